// Turns the engine's mutable records into the immutable snapshot the UI renders.
import { toHex } from '../bytes';
import type { ItemRecord, PeerRecord } from './types';
import type { ItemView, PeerView, SwarmSnapshot } from './view-types';

/** Segments of the availability bar: fine enough to see gaps, few enough to rebuild 10 times a second. */
export const coverageSegments = 64;

function coverage(item: ItemRecord): number[] {
  const count = item.signed.manifest.chunkCount;
  if (count === 0) return [];
  const segments = Math.min(coverageSegments, count);
  const covered = new Array<number>(segments).fill(0);
  const sizes = new Array<number>(segments).fill(0);
  for (let i = 0; i < count; i++) {
    const segment = Math.floor((i * segments) / count);
    sizes[segment] = (sizes[segment] ?? 0) + 1;
    if (item.have.has(i) || (item.availability[i] ?? 0) > 0) covered[segment] = (covered[segment] ?? 0) + 1;
  }
  return covered.map((c, s) => c / (sizes[s] ?? 1));
}

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
    notice: item.notice,
    local: item.local,
    peersWithItem,
    swarmCoverage: coverage(item),
    heldBitsHex: toHex(item.have.toBytes()),
  };
}

function peerView(peer: PeerRecord): PeerView {
  return {
    peerId: peer.link.peerId,
    uploadedBytes: peer.uploadedBytes,
    downloadedBytes: peer.downloadedBytes,
    upBytesPerSecond: peer.upSpeed.bytesPerSecond(),
    downBytesPerSecond: peer.downSpeed.bytesPerSecond(),
  };
}

/** A fresh snapshot of the engine's state. */
export function buildSnapshot(
  items: ReadonlyMap<string, ItemRecord>,
  peers: ReadonlyMap<string, PeerRecord>,
  settings: { autoDownload: boolean; uploadLimit: number | null; bannedPeerIds: readonly string[] },
): SwarmSnapshot {
  return {
    items: [...items.values()].map((item) => itemView(item, peers.values())),
    peers: [...peers.values()].map(peerView),
    ...settings,
  };
}
