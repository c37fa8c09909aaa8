// Turns the engine's mutable records into the immutable snapshot the UI renders.
import type { ItemRecord, ItemView, PeerRecord, PeerView, SwarmSnapshot } from './types';

function itemView(item: ItemRecord, peers: Iterable<PeerRecord>): ItemView {
  const { itemId, manifest } = item.signed;
  let peersWithItem = 0;
  for (const peer of peers) if ((peer.bitfields.get(itemId)?.count() ?? 0) > 0) peersWithItem++;
  return {
    itemId,
    name: manifest.name,
    files: manifest.files,
    totalBytes: manifest.totalBytes,
    chunkCount: manifest.chunkCount,
    heldChunks: item.have.count(),
    verifiedBytes: item.verifiedBytes,
    status: item.status,
    error: item.error,
    local: item.local,
    peersWithItem,
  };
}

function peerView(peer: PeerRecord): PeerView {
  return { peerId: peer.link.peerId, uploadedBytes: peer.uploadedBytes, downloadedBytes: peer.downloadedBytes };
}

/** A fresh snapshot of the engine's state. */
export function buildSnapshot(
  items: ReadonlyMap<string, ItemRecord>,
  peers: ReadonlyMap<string, PeerRecord>,
  autoDownload: boolean,
): SwarmSnapshot {
  return {
    items: [...items.values()].map((item) => itemView(item, peers.values())),
    peers: [...peers.values()].map(peerView),
    autoDownload,
  };
}
