// Fetching chunks: choose what to ask of whom (rarest first, endgame at the end), reassemble the
// reply, verify it, store it, announce it; withdraw requests that stall and ask someone else.
import { bytesEqual, sha256 } from '../bytes';
import { chunkHash, chunkSpan } from '../manifest';
import type { WireMessage } from '../protocol/messages';
import { chunkKey, createClaims, type OpenRequest } from './claims';
import {
  maxRequestsPerChunkInEndgame,
  maxRequestsPerPeer,
  minRequestsPerPeer,
  rejectedRetryAfterMs,
  requestPipelineMs,
  stalledRetryAfterMs,
} from './constants';
import { errorMessage } from '../errors';
import { logIdChars, shortId } from '../ids';
import { shuffleInPlace } from '../shuffle';
import { isStorageFullError } from '../ports';
import { pickChunk } from './picker';
import type { ItemRecord, PeerRecord, SwarmContext } from './types';

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
  /** Withdraws requests with no data for `timeoutMs` and asks elsewhere. */
  expireStalled(timeoutMs: number): void;
}

/** Timing and randomness the download side needs. */
export interface DownloadsEnv {
  readonly now: () => number;
  readonly random: () => number;
}

/** Creates the download side over the shared context. */
export function createDownloads(ctx: SwarmContext, env: DownloadsEnv): Downloads {
  const claims = createClaims();
  let nextRequestId = 1;

  const depthFor = (peer: PeerRecord, chunkBytes: number): number => {
    const wanted = 1 + Math.ceil((peer.meter.bytesPerSecond() * requestPipelineMs) / 1000 / chunkBytes);
    return Math.min(maxRequestsPerPeer, Math.max(minRequestsPerPeer, wanted));
  };

  const avoided = (peer: PeerRecord, key: string): boolean => {
    if (peer.refused.has(key)) return true;
    const until = peer.avoidUntil.get(key);
    if (until === undefined) return false;
    if (until > env.now()) return true;
    peer.avoidUntil.delete(key);
    return false;
  };

  const requestFrom = (peer: PeerRecord, item: ItemRecord, chunkIndex: number): void => {
    const id = nextRequestId;
    nextRequestId = nextRequestId >= 0xffffffff ? 1 : nextRequestId + 1;
    const { length } = chunkSpan(item.signed.manifest, chunkIndex);
    const request: OpenRequest = {
      id, peerId: peer.link.peerId, itemId: item.signed.itemId, chunkIndex,
      buffer: new Uint8Array(length), received: 0, lastProgressMs: env.now(),
    };
    claims.add(request);
    ctx.send(peer, { type: 'request', requestId: id, itemId: item.signed.itemId, chunkIndex });
  };

  /** Connected peers holding the whole item: in a young swarm the scarce upload everyone leans on. */
  const seedersOf = (itemId: string, chunkCount: number): number => {
    let seeders = 0;
    for (const peer of ctx.peers.values()) if (peer.bitfields.get(itemId)?.count() === chunkCount) seeders++;
    return seeders;
  };

  const pickFor = (peer: PeerRecord, item: ItemRecord): number | null => {
    const { itemId, manifest } = item.signed;
    const theirs = peer.bitfields.get(itemId);
    if (!theirs) return null;
    const usable = (i: number): boolean => !item.have.has(i) && theirs.has(i) && !avoided(peer, chunkKey(itemId, i));
    // A seeder is asked only for chunks no other downloader holds: those can come from the others,
    // and the seeder's upload is kept for what only seeders have (outside endgame).
    const isSeeder = theirs.count() === manifest.chunkCount;
    const seeders = isSeeder ? seedersOf(itemId, manifest.chunkCount) : 0;
    const heldByOthers = (i: number): boolean => {
      if (!isSeeder || (item.availability[i] ?? 0) <= seeders) return false;
      const key = chunkKey(itemId, i);
      for (const other of ctx.peers.values()) {
        const field = other.bitfields.get(itemId);
        if (other !== peer && field?.has(i) && field.count() < manifest.chunkCount && !avoided(other, key)) return true;
      }
      return false; // its other holders are ones we avoid (stalled or refusing): the seeder it is
    };
    const fresh = pickChunk({
      chunkCount: manifest.chunkCount,
      isCandidate: (i) => usable(i) && !claims.isClaimed(itemId, i) && !heldByOthers(i),
      cost: (i) => item.availability[i] ?? 0,
      random: env.random,
    });
    if (fresh !== null) return fresh;
    // Endgame: every missing chunk is claimed; duplicate the requests this peer could also answer.
    if (item.have.count() + claims.claimedCount(itemId) < manifest.chunkCount) return null;
    return pickChunk({
      chunkCount: manifest.chunkCount,
      isCandidate: (i) => {
        if (!usable(i)) return false;
        const open = claims.forChunk(itemId, i);
        return open.length > 0 && open.length < maxRequestsPerChunkInEndgame && open.every((r) => r.peerId !== peer.link.peerId);
      },
      cost: (i) => claims.forChunk(itemId, i).length,
      random: env.random,
    });
  };

  const fillPeer = (peer: PeerRecord): void => {
    for (const item of ctx.items.values()) {
      if (item.status !== 'downloading') continue;
      const depth = depthFor(peer, item.signed.manifest.chunkBytes);
      while (claims.openCount(peer.link.peerId) < depth) {
        const chunk = pickFor(peer, item);
        if (chunk === null) break;
        requestFrom(peer, item, chunk);
      }
    }
  };

  const withdraw = (request: OpenRequest): void => {
    claims.remove(request.id);
    const peer = ctx.peers.get(request.peerId);
    if (peer) ctx.send(peer, { type: 'cancel', requestId: request.id });
  };

  const finishItemIfDone = (item: ItemRecord): void => {
    if (item.have.count() === item.signed.manifest.chunkCount && item.status === 'downloading') {
      item.status = 'complete';
      ctx.log('item-complete', { itemId: shortId(item.signed.itemId, logIdChars) });
      ctx.changed();
      ctx.emit({ type: 'item-completed', itemId: item.signed.itemId });
    }
  };

  /** A full disk pauses the item (nothing verified is lost; it resumes when space is freed); other failures stop it. */
  const onStoreFailed = (item: ItemRecord, error: unknown): void => {
    const full = isStorageFullError(error);
    if (item.status === 'downloading') item.status = full ? 'paused' : 'error';
    item.notice = full ? { code: 'storage-full' } : { code: 'store-failed', detail: errorMessage(error) };
    if (full) api.cancelItem(item.signed.itemId);
    const itemId = item.signed.itemId;
    ctx.log('store-failed', { itemId: shortId(itemId, logIdChars), full });
    ctx.changed();
    ctx.emit(full ? { type: 'item-paused', itemId, notice: item.notice } : { type: 'item-failed', itemId, notice: item.notice });
  };

  const accept = async (request: OpenRequest, peer: PeerRecord): Promise<void> => {
    const item = ctx.items.get(request.itemId);
    if (!item || item.have.has(request.chunkIndex)) return;
    const key = chunkKey(request.itemId, request.chunkIndex);
    if (!bytesEqual(await sha256(request.buffer), chunkHash(item.signed.manifest, request.chunkIndex))) {
      peer.refused.add(key);
      ctx.strike(peer, `chunk ${request.chunkIndex} failed verification`);
      return;
    }
    for (const loser of claims.forChunk(request.itemId, request.chunkIndex)) withdraw(loser);
    claims.setStoring(request.itemId, request.chunkIndex, true);
    try {
      await ctx.store.putChunk(request.itemId, request.chunkIndex, request.buffer);
    } catch (error) {
      onStoreFailed(item, error);
      return;
    } finally {
      claims.setStoring(request.itemId, request.chunkIndex, false);
    }
    if (!item.have.has(request.chunkIndex)) {
      item.have.set(request.chunkIndex);
      item.verifiedBytes += request.buffer.length;
    }
    for (const other of ctx.peers.values()) {
      if (other.knownItems.has(request.itemId)) ctx.send(other, { type: 'have', itemId: request.itemId, chunkIndex: request.chunkIndex });
    }
    // Events go out after the change is recorded, so listeners reading the snapshot see it.
    ctx.changed();
    ctx.emit({ type: 'chunk-stored', itemId: request.itemId, chunkIndex: request.chunkIndex });
    finishItemIfDone(item);
  };

  const api: Downloads = {
    schedule() {
      // Random peer order so no peer is always asked first.
      const peers = shuffleInPlace([...ctx.peers.values()].filter((p) => !p.closed), env.random);
      for (const peer of peers) fillPeer(peer);
      for (const item of ctx.items.values()) finishItemIfDone(item);
    },
    onData(peer, message) {
      const request = claims.get(message.requestId);
      if (!request || request.peerId !== peer.link.peerId) return; // cancelled or unknown: late data is harmless
      if (message.offset !== request.received || request.received + message.bytes.length > request.buffer.length) {
        claims.remove(request.id);
        ctx.strike(peer, 'data out of order or past the chunk end');
        api.schedule();
        return;
      }
      request.buffer.set(message.bytes, request.received);
      request.received += message.bytes.length;
      request.lastProgressMs = env.now();
      peer.downloadedBytes += message.bytes.length;
      peer.meter.add(message.bytes.length);
      peer.downSpeed.add(message.bytes.length);
      ctx.changed();
      if (request.received < request.buffer.length) return;
      claims.remove(request.id);
      accept(request, peer)
        .catch((error: unknown) => ctx.log('accept-failed', { error: String(error) }))
        .finally(() => api.schedule());
    },
    onReject(peer, requestId) {
      const request = claims.get(requestId);
      if (!request || request.peerId !== peer.link.peerId) return;
      claims.remove(requestId);
      peer.avoidUntil.set(chunkKey(request.itemId, request.chunkIndex), env.now() + rejectedRetryAfterMs);
      api.schedule();
    },
    releasePeer(peerId) {
      for (const request of [...claims.all()]) if (request.peerId === peerId) claims.remove(request.id);
    },
    cancelItem(itemId) {
      for (const request of [...claims.all()]) if (request.itemId === itemId) withdraw(request);
    },
    expireStalled(timeoutMs) {
      const now = env.now();
      let expired = 0;
      for (const request of [...claims.all()]) {
        if (now - request.lastProgressMs < timeoutMs) continue;
        withdraw(request);
        ctx.peers.get(request.peerId)?.avoidUntil.set(chunkKey(request.itemId, request.chunkIndex), now + stalledRetryAfterMs);
        expired++;
      }
      if (expired > 0) {
        ctx.log('requests-stalled', { expired });
        api.schedule();
      }
    },
  };
  return api;
}
