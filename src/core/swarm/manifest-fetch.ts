// Learning items from peers: fetch each manifest from one announcer at a time, reassemble it, and accept
// it only if it hashes to the id it was announced under (and is within the size limits). Every cost a
// member can cause is bounded: fetches in flight (the rest queue), manifest bytes held, a fetch that goes
// quiet (given up and asked elsewhere), items per room, and our answers to one peer (queued by id, sent
// one manifest at a time as its link drains).
import { parseManifest, type SignedManifest } from '../manifest';
import { encodeFrame, maxManifestPartBytes } from '../protocol/codec';
import { maxManifestBytes } from '../protocol/limits';
import type { WireMessage } from '../protocol/messages';
import {
  manifestFetchTimeoutMs,
  maxItemsPerRoom,
  maxManifestBytesInFlight,
  maxManifestFetchesInFlight,
  maxManifestFetchesPerPeer,
  maxQueuedManifestServesPerPeer,
} from './constants';
import type { PeerRecord, SwarmContext } from './types';

interface PendingManifest {
  readonly peerId: string;
  readonly parts: Uint8Array[];
  received: number;
  lastPartMs: number;
}

/** The manifest side of the engine. */
export interface ManifestFetch {
  /** A peer announced an item we lack: fetch its manifest (now, or when a fetch slot frees up). */
  want(itemId: string, peer: PeerRecord): void;
  onPart(peer: PeerRecord, message: Extract<WireMessage, { type: 'manifest-part' }>): void;
  /** Queues one of our manifests for a peer; it is sent in parts. */
  serve(peer: PeerRecord, itemId: string): void;
  /** Gives up fetches that went quiet, asking another announcer. */
  expireStalled(): void;
  /** A peer left: fetches from it move to another peer that announced the item. */
  releasePeer(peerId: string): void;
}

/** Creates the manifest side; `accepted` is called once per verified new manifest. */
export function createManifestFetch(
  ctx: SwarmContext,
  accepted: (signed: SignedManifest) => void,
  now: () => number,
  maxItems = maxItemsPerRoom,
): ManifestFetch {
  const pending = new Map<string, PendingManifest>();
  /** Fetches under way from each peer. */
  const inFlightFrom = new Map<string, number>();
  /**
   * Items each peer announced that we have not fetched, oldest first. Fetches are shared out peer by
   * peer, at most `maxManifestFetchesPerPeer` from one, so a member announcing 100k items and never
   * answering holds a few slots, not the queue of everyone else's items.
   */
  const queues = new Map<string, Set<string>>();
  let bytesInFlight = 0;
  /** Announcers that sent a bad manifest or went quiet for an item are not asked for it again. */
  const failedFrom = new Set<string>();
  let roomFullSaid = false;
  /** Per peer: manifest ids it asked for, and whether they are being sent. */
  const serves = new Map<string, { readonly queue: string[]; sending: boolean }>();

  const announcerOf = (itemId: string): PeerRecord | null => {
    for (const peer of ctx.peers.values()) {
      if (!peer.closed && peer.knownItems.has(itemId) && !failedFrom.has(`${peer.link.peerId}:${itemId}`)) return peer;
    }
    return null;
  };

  const queueFor = (peerId: string): Set<string> => {
    let queue = queues.get(peerId);
    if (!queue) queues.set(peerId, (queue = new Set()));
    return queue;
  };

  const start = (itemId: string, peer: PeerRecord): void => {
    const peerId = peer.link.peerId;
    pending.set(itemId, { peerId, parts: [], received: 0, lastPartMs: now() });
    inFlightFrom.set(peerId, (inFlightFrom.get(peerId) ?? 0) + 1);
    ctx.send(peer, { type: 'get-manifest', itemId });
  };

  /** Starts the next fetch from `peerId`'s queue; false when it has none it may start. */
  const startNextFrom = (peerId: string, queue: Set<string>): boolean => {
    if ((inFlightFrom.get(peerId) ?? 0) >= maxManifestFetchesPerPeer) return false;
    for (const itemId of queue) {
      queue.delete(itemId);
      if (ctx.items.has(itemId) || pending.has(itemId)) continue;
      const peer = ctx.peers.get(peerId);
      if (!peer || peer.closed || failedFrom.has(`${peerId}:${itemId}`)) continue;
      start(itemId, peer);
      return true;
    }
    return false;
  };

  /** Starts queued fetches, a peer at a time in turn, while there are slots and room for more items. */
  const fill = (): void => {
    for (let started = true; started; ) {
      started = false;
      for (const [peerId, queue] of queues) {
        if (pending.size >= maxManifestFetchesInFlight) return;
        if (ctx.items.size + pending.size >= maxItems) return roomFull();
        if (startNextFrom(peerId, queue)) started = true;
        if (queue.size === 0) queues.delete(peerId);
      }
    }
  };

  const roomFull = (): void => {
    if (!roomFullSaid) ctx.emit({ type: 'room-item-limit', limit: maxItems });
    roomFullSaid = true;
    queues.clear();
  };

  const finish = (itemId: string): void => {
    const entry = pending.get(itemId);
    if (!entry) return;
    bytesInFlight -= entry.received;
    pending.delete(itemId);
    const left = (inFlightFrom.get(entry.peerId) ?? 1) - 1;
    if (left > 0) inFlightFrom.set(entry.peerId, left);
    else inFlightFrom.delete(entry.peerId);
  };

  /** Queues an item with another peer that announced it, if one is left. */
  const askAnother = (itemId: string): void => {
    const other = announcerOf(itemId);
    if (other) queueFor(other.link.peerId).add(itemId);
  };

  /** Gives up the fetch from `peer` (a strike if it misbehaved), and asks someone else. */
  const fail = (peer: PeerRecord | null, peerId: string, itemId: string, reason: string, strike: boolean): void => {
    failedFrom.add(`${peerId}:${itemId}`);
    finish(itemId);
    if (strike && peer) ctx.strike(peer, reason);
    else ctx.log('manifest-fetch-failed', { peerId, reason });
    askAnother(itemId);
    fill();
  };

  const complete = async (peer: PeerRecord, itemId: string, entry: PendingManifest): Promise<void> => {
    const bytes = new Uint8Array(entry.received);
    let at = 0;
    for (const part of entry.parts) {
      bytes.set(part, at);
      at += part.length;
    }
    finish(itemId);
    const signed = await parseManifest(bytes, itemId);
    if (!signed) return fail(peer, peer.link.peerId, itemId, 'manifest does not match its item id or is invalid', true);
    if (!ctx.items.has(itemId)) accepted(signed);
    fill();
  };

  const sendQueued = async (peer: PeerRecord, serve: { readonly queue: string[]; sending: boolean }): Promise<void> => {
    serve.sending = true;
    try {
      for (let itemId = serve.queue.shift(); itemId !== undefined && !peer.closed; itemId = serve.queue.shift()) {
        const bytes = ctx.items.get(itemId)?.signed.bytes;
        for (let offset = 0; bytes && offset < bytes.length && !peer.closed; offset += maxManifestPartBytes) {
          const part = bytes.subarray(offset, offset + maxManifestPartBytes);
          // Awaited: the link holds at most its watermark of our answers, however fast the peer asks.
          await peer.link.send(encodeFrame({ type: 'manifest-part', itemId, totalBytes: bytes.length, offset, bytes: part }));
        }
      }
    } catch (error) {
      ctx.log('send-failed', { peerId: peer.link.peerId, error: String(error) });
    } finally {
      serve.sending = false;
    }
  };

  const api: ManifestFetch = {
    want(itemId, peer) {
      if (pending.has(itemId) || ctx.items.has(itemId)) return;
      queueFor(peer.link.peerId).add(itemId);
      fill();
    },
    onPart(peer, message) {
      const entry = pending.get(message.itemId);
      if (!entry || entry.peerId !== peer.link.peerId) return; // unasked-for parts are ignored
      const peerId = peer.link.peerId;
      if (message.totalBytes > maxManifestBytes || message.totalBytes === 0) {
        return fail(peer, peerId, message.itemId, `manifest of ${message.totalBytes} bytes is outside the limits`, true);
      }
      if (message.offset !== entry.received) return fail(peer, peerId, message.itemId, 'manifest parts out of order', true);
      if (bytesInFlight + message.bytes.length > maxManifestBytesInFlight) {
        return fail(null, peerId, message.itemId, 'too many manifest bytes in flight', false);
      }
      // Parts are kept as they come (copies: the frame may be a view of a reused buffer), so memory follows the bytes sent, not the size claimed.
      entry.parts.push(message.bytes.slice());
      entry.received += message.bytes.length;
      entry.lastPartMs = now();
      bytesInFlight += message.bytes.length;
      if (entry.received < message.totalBytes) return;
      complete(peer, message.itemId, entry).catch((error: unknown) => ctx.log('manifest-failed', { error: String(error) }));
    },
    serve(peer, itemId) {
      if (!ctx.items.has(itemId)) return;
      const serve = serves.get(peer.link.peerId) ?? { queue: [], sending: false };
      serves.set(peer.link.peerId, serve);
      if (serve.queue.length >= maxQueuedManifestServesPerPeer) return ctx.log('manifest-request-dropped', { peerId: peer.link.peerId });
      serve.queue.push(itemId);
      if (!serve.sending) void sendQueued(peer, serve);
    },
    expireStalled() {
      const cutoff = now() - manifestFetchTimeoutMs;
      for (const [itemId, entry] of [...pending]) {
        if (entry.lastPartMs <= cutoff) fail(ctx.peers.get(entry.peerId) ?? null, entry.peerId, itemId, 'no answer', false);
      }
    },
    releasePeer(peerId) {
      serves.delete(peerId);
      queues.delete(peerId);
      for (const [itemId, entry] of [...pending]) {
        if (entry.peerId !== peerId) continue;
        finish(itemId);
        askAnother(itemId);
      }
      fill();
    },
  };
  return api;
}
