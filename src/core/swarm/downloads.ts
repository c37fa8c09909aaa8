// Fetching chunks: choose what to ask of whom, reassemble the reply, verify it, store it, announce it.
import { bytesEqual, sha256 } from '../bytes';
import { chunkHash, chunkSpan } from '../manifest';
import type { WireMessage } from '../protocol/messages';
import { maxRequestsPerPeer } from './constants';
import { pickChunk } from './picker';
import type { ItemRecord, PeerRecord, SwarmContext } from './types';

interface OpenRequest {
  readonly id: number;
  readonly peerId: string;
  readonly itemId: string;
  readonly chunkIndex: number;
  readonly buffer: Uint8Array;
  received: number;
}

/** The download side of the engine. */
export interface Downloads {
  /** Fills every peer's request slots with chunks it holds that we still need. */
  schedule(): void;
  onData(peer: PeerRecord, message: Extract<WireMessage, { type: 'data' }>): void;
  onReject(peer: PeerRecord, requestId: number): void;
  /** Forgets a departed peer's requests so their chunks can be asked of others. */
  releasePeer(peerId: string): void;
  /** Withdraws an item's open requests (pause). */
  cancelItem(itemId: string): void;
}

const chunkKey = (itemId: string, chunkIndex: number): string => `${itemId}:${chunkIndex}`;

/** Creates the download side over the shared context. */
export function createDownloads(ctx: SwarmContext, random: () => number): Downloads {
  const requests = new Map<number, OpenRequest>();
  /** Chunks requested or being verified/stored: "itemId:index". */
  const busyChunks = new Set<string>();
  let nextRequestId = 1;

  const openCount = (peerId: string): number => {
    let count = 0;
    for (const request of requests.values()) if (request.peerId === peerId) count++;
    return count;
  };

  const requestFrom = (peer: PeerRecord, item: ItemRecord, chunkIndex: number): void => {
    const id = nextRequestId;
    nextRequestId = nextRequestId >= 0xffffffff ? 1 : nextRequestId + 1;
    const { length } = chunkSpan(item.signed.manifest, chunkIndex);
    requests.set(id, { id, peerId: peer.link.peerId, itemId: item.signed.itemId, chunkIndex, buffer: new Uint8Array(length), received: 0 });
    busyChunks.add(chunkKey(item.signed.itemId, chunkIndex));
    ctx.send(peer, { type: 'request', requestId: id, itemId: item.signed.itemId, chunkIndex });
  };

  const fillPeer = (peer: PeerRecord): void => {
    let open = openCount(peer.link.peerId);
    for (const item of ctx.items.values()) {
      if (item.status !== 'downloading') continue;
      const theirs = peer.bitfields.get(item.signed.itemId);
      if (!theirs) continue;
      while (open < maxRequestsPerPeer) {
        const chunk = pickChunk({
          chunkCount: item.signed.manifest.chunkCount,
          isWanted: (i) => !item.have.has(i) && !busyChunks.has(chunkKey(item.signed.itemId, i)),
          peerHas: (i) => theirs.has(i) && !peer.refused.has(chunkKey(item.signed.itemId, i)),
        });
        if (chunk === null) break;
        requestFrom(peer, item, chunk);
        open++;
      }
      if (open >= maxRequestsPerPeer) return;
    }
  };

  const finishItemIfDone = (item: ItemRecord): void => {
    if (item.have.count() === item.signed.manifest.chunkCount && item.status === 'downloading') {
      item.status = 'complete';
      ctx.log('item-complete', { itemId: item.signed.itemId.slice(0, 12) });
    }
  };

  const accept = async (request: OpenRequest, peer: PeerRecord): Promise<void> => {
    const item = ctx.items.get(request.itemId);
    const key = chunkKey(request.itemId, request.chunkIndex);
    if (!item) return void busyChunks.delete(key);
    const expected = chunkHash(item.signed.manifest, request.chunkIndex);
    if (!bytesEqual(await sha256(request.buffer), expected)) {
      busyChunks.delete(key);
      peer.refused.add(key);
      ctx.strike(peer, `chunk ${request.chunkIndex} failed verification`);
      return;
    }
    try {
      await ctx.store.putChunk(request.itemId, request.chunkIndex, request.buffer);
    } catch (error) {
      busyChunks.delete(key);
      item.status = 'error';
      item.error = `could not store a chunk: ${error instanceof Error ? error.message : String(error)}`;
      ctx.log('store-failed', { itemId: request.itemId.slice(0, 12), error: item.error });
      ctx.changed();
      return;
    }
    busyChunks.delete(key);
    if (!item.have.has(request.chunkIndex)) {
      item.have.set(request.chunkIndex);
      item.verifiedBytes += request.buffer.length;
    }
    for (const other of ctx.peers.values()) {
      if (other.knownItems.has(request.itemId)) {
        ctx.send(other, { type: 'have', itemId: request.itemId, chunkIndex: request.chunkIndex });
      }
    }
    finishItemIfDone(item);
    ctx.changed();
  };

  const api: Downloads = {
    schedule() {
      const peers = [...ctx.peers.values()].filter((p) => !p.closed);
      // Random peer order so no peer is always asked first.
      for (let i = peers.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [peers[i], peers[j]] = [peers[j] as PeerRecord, peers[i] as PeerRecord];
      }
      for (const peer of peers) fillPeer(peer);
      for (const item of ctx.items.values()) finishItemIfDone(item);
    },
    onData(peer, message) {
      const request = requests.get(message.requestId);
      if (!request || request.peerId !== peer.link.peerId) return; // cancelled or unknown: late data is harmless
      if (message.offset !== request.received || request.received + message.bytes.length > request.buffer.length) {
        requests.delete(request.id);
        busyChunks.delete(chunkKey(request.itemId, request.chunkIndex));
        ctx.strike(peer, 'data out of order or past the chunk end');
        api.schedule();
        return;
      }
      request.buffer.set(message.bytes, request.received);
      request.received += message.bytes.length;
      peer.downloadedBytes += message.bytes.length;
      ctx.changed();
      if (request.received < request.buffer.length) return;
      requests.delete(request.id);
      accept(request, peer)
        .catch((error: unknown) => ctx.log('accept-failed', { error: String(error) }))
        .finally(() => api.schedule());
    },
    onReject(peer, requestId) {
      const request = requests.get(requestId);
      if (!request || request.peerId !== peer.link.peerId) return;
      requests.delete(requestId);
      const key = chunkKey(request.itemId, request.chunkIndex);
      busyChunks.delete(key);
      peer.refused.add(key);
      api.schedule();
    },
    releasePeer(peerId) {
      for (const request of [...requests.values()]) {
        if (request.peerId !== peerId) continue;
        requests.delete(request.id);
        busyChunks.delete(chunkKey(request.itemId, request.chunkIndex));
      }
    },
    cancelItem(itemId) {
      for (const request of [...requests.values()]) {
        if (request.itemId !== itemId) continue;
        requests.delete(request.id);
        busyChunks.delete(chunkKey(request.itemId, request.chunkIndex));
        const peer = ctx.peers.get(request.peerId);
        if (peer) ctx.send(peer, { type: 'cancel', requestId: request.id });
      }
    },
  };
  return api;
}
