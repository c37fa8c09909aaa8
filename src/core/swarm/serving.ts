// Serving chunks to peers: one queue per peer, one chunk at a time, each frame sent with backpressure.
import { encodeFrame, maxDataPayloadBytes } from '../protocol/codec';
import type { WireMessage } from '../protocol/messages';
import { chunkKey } from './claims';
import { chunkLength } from '../chunk-layout';
import { createFirstCopies } from './first-copies';
import { createSeederShares } from './seeder-shares';
import type { Clock } from '../clock';
import { cancelledServeForgetMs, dataFrameMs, duplicateServeFreshMs, minDataFrameBytes, maxQueuedServesPerPeer, serveReadAheadBytes } from './constants';
import type { ItemRecord, PeerRecord, SwarmContext } from './types';
import type { UploadLimiter } from './upload-limiter';

type RequestMessage = Extract<WireMessage, { type: 'request' }>;

/** Payload bytes of the next data frame to a peer we send `bytesPerSecond` to: `dataFrameMs` of it, within the frame sizes. */
export function dataFrameBytes(bytesPerSecond: number): number {
  return Math.min(maxDataPayloadBytes, Math.max(minDataFrameBytes, Math.floor((bytesPerSecond * dataFrameMs) / 1000)));
}

interface PeerQueue {
  readonly waiting: RequestMessage[];
  /** The request being sent now, if any. */
  current: number | null;
  cancelledCurrent: boolean;
  /** Waiting chunks being read while the current one is sent (small chunks take as long to read as to send), by request id. */
  readonly ahead: Map<number, Promise<Uint8Array | null>>;
}

/** The upload side of the engine. */
export interface Serving {
  onRequest(peer: PeerRecord, message: RequestMessage): void;
  onCancel(peer: PeerRecord, requestId: number): void;
  releasePeer(peerId: string): void;
  /** An item was forgotten: what the seeder kept about its first copies goes with it. */
  forgetItem(itemId: string): void;
}

/** Creates the upload side over the shared context. */
export function createServing(
  ctx: SwarmContext,
  uploads: UploadLimiter,
  clock: Clock,
  /** A chunk we hold by our records but the store could not read: it is lost. */
  missing: (itemId: string, chunkIndex: number) => void = () => undefined,
): Serving {
  const now = (): number => clock.now();
  const shares = createSeederShares(clock);
  const queues = new Map<string, PeerQueue>();
  /** Chunks queued or being sent, by "itemId:chunk": to which peers, and when each last made progress (ms). */
  const inFlight = new Map<string, Map<string, number>>();
  /** When each peer last cancelled a serve it had asked for (ms). */
  const cancelledAt = new Map<string, number>();
  const track = (request: RequestMessage, peerId: string, on: boolean): void => {
    const key = chunkKey(request.itemId, request.chunkIndex);
    const peers = inFlight.get(key) ?? new Map<string, number>();
    if (on) peers.set(peerId, now());
    else peers.delete(peerId);
    if (peers.size > 0) inFlight.set(key, peers);
    else inFlight.delete(key);
  };
  /**
   * Each chunk goes to one peer at a time, from a seeder or a downloader alike: whoever asks second gets it
   * from the first. A downloader holding a chunk few others hold, asked for it by all its links at once,
   * would otherwise send it to all of them in parallel and each would wait for the whole round (simulated
   * churn of 100: everyone stuck 10 s on the last chunks, 1.74× T*; one at a time: 1.16×).
   * Only a transfer that is moving counts: one stuck on a vanished peer must not block the others.
   */
  const isDuplicate = (request: RequestMessage, peerId: string): boolean => {
    const peers = inFlight.get(chunkKey(request.itemId, request.chunkIndex));
    if (!peers) return false;
    for (const [other, progressMs] of peers) {
      if (other === peerId || now() - progressMs >= duplicateServeFreshMs) continue;
      // A peer that cancels what it asked for may never pass the chunk on: it holds it for nobody.
      if (now() - (cancelledAt.get(other) ?? -Infinity) < cancelledServeForgetMs) continue;
      return true;
    }
    return false;
  };

  /** Starts reading the next waiting chunks: at least one, and more while they fit `serveReadAheadBytes`. */
  const readAhead = (queue: PeerQueue): void => {
    let bytes = 0;
    for (const next of queue.waiting) {
      const item = ctx.items.get(next.itemId);
      const length = item && next.chunkIndex < item.signed.manifest.chunkCount ? chunkLength(item.signed.manifest.layout, next.chunkIndex) : 0;
      if (bytes > 0 && bytes + length > serveReadAheadBytes) break;
      bytes += length;
      if (queue.ahead.has(next.requestId)) continue;
      const reading = ctx.store.readChunk(next.itemId, next.chunkIndex);
      reading.catch(() => undefined); // a failed read-ahead is reported when its turn comes, or dropped if cancelled
      queue.ahead.set(next.requestId, reading);
    }
  };

  /** What this peer, as a seeder, has given out: each chunk once before any twice. */
  const firstCopies = createFirstCopies();
  /** The other connected peers of an item, in one pass: how many hold all of it, and which are still downloading it. */
  const roomOf = (item: ItemRecord, peerId: string): { seeders: number; otherDownloaders: string[] } => {
    const { itemId, manifest } = item.signed;
    let seeders = 0;
    const otherDownloaders: string[] = [];
    for (const [otherId, other] of ctx.peers) {
      if (other.closed) continue;
      const held = other.bitfields.get(itemId)?.count() ?? 0;
      if (held === manifest.chunkCount) seeders++;
      else if (otherId !== peerId && other.knownItems.has(itemId)) otherDownloaders.push(otherId);
    }
    return { seeders, otherDownloaders };
  };
  /** Whether a peer holds a chunk of the item, by the bitfield it announced. */
  const holdsOf = (item: ItemRecord, peerId: string): ((chunkIndex: number) => boolean) => {
    const field = ctx.peers.get(peerId)?.bitfields.get(item.signed.itemId);
    return (chunkIndex) => field?.has(chunkIndex) ?? false;
  };
  const isSeeding = (item: ItemRecord): boolean => item.have.count() === item.signed.manifest.chunkCount;
  /**
   * A seeder turns the request away while the chunk is out (given, or held by a downloader) and some chunk
   * is not: on arrival, and again at its turn, since with many downloaders a request waits seconds in the
   * queue while others come to hold its chunk. The asker gets it from them, or from us once every chunk is out.
   */
  const holdBack = (item: ItemRecord, peerId: string, chunkIndex: number): boolean => {
    if (!isSeeding(item)) return false;
    return firstCopies.holdBack({ item, chunkIndex, peerId, askerHolds: holdsOf(item, peerId), ...roomOf(item, peerId) });
  };
  /**
   * A seeder's share for this peer (seeder-shares.ts): lower while it holds fresh chunks we sent it that it
   * has yet to pass on. Null when not seeding, or when it is the only downloader (nobody to share with).
   */
  const shareWeight = (item: ItemRecord, peerId: string, queue: PeerQueue, sending: number): number | null => {
    if (!isSeeding(item)) return null;
    const { seeders, otherDownloaders } = roomOf(item, peerId);
    if (otherDownloaders.length === 0) return null;
    const { itemId } = item.signed;
    const queued = (c: number): boolean => c === sending || queue.waiting.some((r) => r.itemId === itemId && r.chunkIndex === c);
    return 1 / (1 + firstCopies.waitingToPass({ item, peerId, seeders, askerHolds: holdsOf(item, peerId), queued }));
  };

  const sendChunk = async (peer: PeerRecord, queue: PeerQueue, request: RequestMessage): Promise<void> => {
    const item = ctx.items.get(request.itemId);
    if (item && holdBack(item, peer.link.peerId, request.chunkIndex)) {
      queue.ahead.delete(request.requestId);
      firstCopies.withdraw(request.itemId, request.chunkIndex, peer.link.peerId);
      ctx.send(peer, { type: 'reject', requestId: request.requestId });
      return;
    }
    const read = queue.ahead.get(request.requestId) ?? ctx.store.readChunk(request.itemId, request.chunkIndex);
    queue.ahead.delete(request.requestId);
    readAhead(queue);
    const bytes = await read;
    if (!bytes) {
      firstCopies.withdraw(request.itemId, request.chunkIndex, peer.link.peerId);
      ctx.send(peer, { type: 'reject', requestId: request.requestId });
      // Only a downloaded item's chunk is lost for good when storage lacks it; a shared one is read from
      // its files, which may answer again.
      const item = ctx.items.get(request.itemId);
      if (item && !item.local && item.have.has(request.chunkIndex)) {
        ctx.log('chunk-missing', { chunkIndex: request.chunkIndex });
        missing(request.itemId, request.chunkIndex);
      }
      return;
    }
    // Each frame's size follows the link's measured rate (dataFrameBytes), so the loop steps by what it sent.
    let offset = 0;
    while (offset < bytes.length) {
      if (peer.closed) return;
      if (queue.cancelledCurrent) return firstCopies.withdraw(request.itemId, request.chunkIndex, peer.link.peerId);
      const slice = bytes.subarray(offset, offset + dataFrameBytes(peer.upSpeed.bytesPerSecond()));
      const weight = item ? shareWeight(item, peer.link.peerId, queue, request.chunkIndex) : null;
      if (weight !== null) await shares.turn(peer.link.peerId, weight);
      if (peer.closed) return;
      await uploads.take(slice.length);
      if (peer.closed) return;
      if (queue.cancelledCurrent) return firstCopies.withdraw(request.itemId, request.chunkIndex, peer.link.peerId);
      await peer.link.send(encodeFrame({ type: 'data', requestId: request.requestId, offset, bytes: slice }));
      inFlight.get(chunkKey(request.itemId, request.chunkIndex))?.set(peer.link.peerId, now());
      if (weight !== null) shares.sent(peer.link.peerId, slice.length);
      peer.uploadedBytes += slice.length;
      peer.upSpeed.add(slice.length);
      ctx.changed();
      offset += slice.length;
    }
  };

  const pump = async (peer: PeerRecord, queue: PeerQueue): Promise<void> => {
    while (!peer.closed) {
      const request = queue.waiting.shift();
      if (!request) break;
      queue.current = request.requestId;
      queue.cancelledCurrent = false;
      try {
        await sendChunk(peer, queue, request);
      } catch (error) {
        ctx.log('serve-failed', { peerId: peer.link.peerId, error: String(error) });
        break; // the link is gone or broken; its close handler cleans up
      } finally {
        track(request, peer.link.peerId, false);
      }
    }
    queue.current = null;
    shares.idle(peer.link.peerId);
  };

  return {
    onRequest(peer, message) {
      const item = ctx.items.get(message.itemId);
      const queue: PeerQueue = queues.get(peer.link.peerId) ?? { waiting: [], current: null, cancelledCurrent: false, ahead: new Map() };
      queues.set(peer.link.peerId, queue);
      if (
        !item ||
        !item.have.has(message.chunkIndex) ||
        queue.waiting.length >= maxQueuedServesPerPeer ||
        isDuplicate(message, peer.link.peerId) ||
        holdBack(item, peer.link.peerId, message.chunkIndex)
      ) {
        ctx.send(peer, { type: 'reject', requestId: message.requestId });
        return;
      }
      if (isSeeding(item)) firstCopies.give(item, message.chunkIndex, peer.link.peerId, roomOf(item, peer.link.peerId).seeders);
      queue.waiting.push(message);
      track(message, peer.link.peerId, true);
      if (queue.current === null) {
        pump(peer, queue).catch((error: unknown) => ctx.log('serve-failed', { error: String(error) }));
      } else readAhead(queue); // a request arriving while another is sent starts its read now
    },
    onCancel(peer, requestId) {
      const queue = queues.get(peer.link.peerId);
      if (!queue) return;
      const index = queue.waiting.findIndex((r) => r.requestId === requestId);
      const [removed] = index >= 0 ? queue.waiting.splice(index, 1) : [];
      if (removed) {
        track(removed, peer.link.peerId, false);
        firstCopies.withdraw(removed.itemId, removed.chunkIndex, peer.link.peerId);
      }
      queue.ahead.delete(requestId);
      if (queue.current === requestId) queue.cancelledCurrent = true;
      if (removed || queue.current === requestId) cancelledAt.set(peer.link.peerId, now());
    },
    releasePeer(peerId) {
      for (const request of queues.get(peerId)?.waiting ?? []) track(request, peerId, false);
      queues.delete(peerId);
      shares.idle(peerId);
      firstCopies.releasePeer(peerId);
      cancelledAt.delete(peerId);
    },
    forgetItem(itemId) {
      firstCopies.forgetItem(itemId);
    },
  };
}


