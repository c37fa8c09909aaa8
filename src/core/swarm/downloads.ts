// Fetching chunks: send what the request chooser picks (rarest first, endgame at the end), reassemble
// the reply, verify it, store it, announce it; withdraw requests that stall and ask someone else.
import { bytesEqual, sha256 } from '../bytes';
import { chunkLength } from '../chunk-layout';
import { chunkHash } from '../manifest';
import type { WireMessage } from '../protocol/messages';
import { chunkKey, createClaims, type OpenRequest } from './claims';
import { rejectedRetryAfterMs, stalledRetryAfterMs } from './constants';
import { requestStalled, requestTooSlow, stallTimeoutMs } from './stall-rules';
import { errorMessage } from '../errors';
import { logIdChars, shortId } from '../ids';
import { shuffleInPlace } from '../shuffle';
import { isStorageFullError } from '../ports';
import { createWindowRate, type RateMeter } from './rate-meter';
import { chooseRequests, windowChunks, type ChooserItem } from './request-chooser';
import type { ItemRecord, PeerRecord, SwarmContext, WorkCounts } from './types';

/** The download side of the engine. */
export interface Downloads {
  /** Fills every peer's request slots with chunks it holds that we still need. */
  schedule(): void;
  /** An item was added, set downloading, or a peer announced chunks of it: it is scheduled from now on (and finished at once if nothing is missing). */
  consider(itemId: string): void;
  onData(peer: PeerRecord, message: Extract<WireMessage, { type: 'data' }>): void;
  onReject(peer: PeerRecord, requestId: number): void;
  /** Forgets a departed peer's requests so their chunks can be asked of others. */
  releasePeer(peerId: string): void;
  /** Withdraws an item's open requests (pause). */
  cancelItem(itemId: string): void;
  /** Withdraws requests with no data for `timeoutMs` and asks elsewhere. */
  expireStalled(timeoutMs: number): void;
  /** Bytes per second arriving for an item, averaged as the peers' speeds are. */
  speedOf(itemId: string): number;
  /** Chunks of an item asked of a peer or being written now. */
  inFlight(itemId: string): Set<number>;
  /** Media of the item plays from `chunkIndex` (null: no longer): that window is asked first (see request-chooser). */
  setFocus(item: ItemRecord, chunkIndex: number | null): void;
}

/** Timing and randomness the download side needs. */
export interface DownloadsEnv {
  readonly now: () => number;
  readonly random: () => number;
  /** Counts the items offered to the chooser. */
  readonly work?: Pick<WorkCounts, 'itemsScheduled'>;
  /** Bytes fetched in order from where media plays (default `streamWindowBytes`). */
  readonly streamWindowBytes?: number;
}

/** Creates the download side over the shared context. */
export function createDownloads(ctx: SwarmContext, env: DownloadsEnv): Downloads {
  const claims = createClaims();
  let nextRequestId = 1;
  const itemSpeeds = new Map<string, RateMeter>();

  const requestFrom = (peer: PeerRecord, item: ItemRecord, chunkIndex: number): void => {
    const id = nextRequestId;
    nextRequestId = nextRequestId >= 0xffffffff ? 1 : nextRequestId + 1;
    const length = chunkLength(item.signed.manifest.layout, chunkIndex);
    const request: OpenRequest = {
      id, peerId: peer.link.peerId, itemId: item.signed.itemId, chunkIndex,
      buffer: new Uint8Array(length), received: 0, lastProgressMs: env.now(),
    };
    claims.add(request);
    ctx.send(peer, { type: 'request', requestId: id, itemId: item.signed.itemId, chunkIndex });
  };

  /**
   * Items that may be downloading, in the order they became so. The chooser walks them lazily and stops
   * once every peer's slots are full, so a schedule costs about the open requests, not the item count;
   * items met that stopped downloading, that no peer holds a chunk of, or that are done leave the list (the done ones are finished after
   * the choice, so no listener runs in the middle of it).
   */
  const active = new Map<string, ItemRecord>();
  const heldByAPeer = (itemId: string): boolean => {
    for (const peer of ctx.peers.values()) if (!peer.closed && (peer.bitfields.get(itemId)?.count() ?? 0) > 0) return true;
    return false;
  };
  const done: ItemRecord[] = [];
  /** The item as the chooser sees it, or null when it leaves the walk (see `active`). */
  const walkItem = (itemId: string, item: ItemRecord): ChooserItem | null => {
    if (ctx.items.get(itemId) !== item || item.status !== 'downloading') active.delete(itemId);
    else if (!heldByAPeer(itemId)) active.delete(itemId); // it comes back with the next bitfield or have for it
    else if (item.have.count() === item.signed.manifest.chunkCount) {
      active.delete(itemId);
      done.push(item);
    } else if (item.signed.manifest.chunkCount === 1 && claims.claimedCount(itemId) > 0) {
      // A one-chunk item being fetched waits outside the walk (no endgame for it: a stall moves it), and
      // comes back if its request is withdrawn: while manifests trickle in, the walk is not all in-flight items.
      active.delete(itemId);
    } else {
      if (env.work) env.work.itemsScheduled++;
      const { manifest } = item.signed;
      // An item smaller than a chunk is one short chunk: its request depth follows its real size.
      const chunkBytes = Math.max(1, Math.min(manifest.chunkBytes, manifest.totalBytes));
      const chosen: ChooserItem = { itemId, chunkCount: manifest.chunkCount, chunkBytes, have: item.have, availability: item.availability };
      if (item.focus === null) return chosen;
      return { ...chosen, focus: { from: item.focus, to: item.focus + windowChunks(chunkBytes, env.streamWindowBytes) } };
    }
    return null;
  };
  /** Items with media playing (few): walked first, since their window waits on the network. */
  const playing = new Set<string>();
  /** Items being played first, then the rest in order; lazy, so a walk stops once the peer's slots are full. */
  function* wantedItems(): Generator<ChooserItem> {
    for (const itemId of playing) {
      const item = active.get(itemId);
      const chosen = item && item.focus !== null ? walkItem(itemId, item) : null;
      if (chosen) yield chosen;
    }
    for (const [itemId, item] of active) {
      if (item.focus !== null && playing.has(itemId)) continue;
      const chosen = walkItem(itemId, item);
      if (chosen) yield chosen;
    }
  }

  /** Asks the chooser what to request of whom, then claims and sends each request. */
  const fillPeers = (peers: readonly PeerRecord[]): void => {
    if (active.size === 0) return;
    const nowMs = env.now();
    for (const peer of peers) {
      for (const [key, until] of peer.avoidUntil) if (until <= nowMs) peer.avoidUntil.delete(key);
    }
    const chosen = chooseRequests({
      items: { [Symbol.iterator]: wantedItems },
      peers: peers.map((peer) => ({
        peerId: peer.link.peerId, bytesPerSecond: peer.meter.bytesPerSecond(), holds: peer.bitfields,
        refused: peer.refused, avoidUntil: peer.avoidUntil, unreliable: peer.unreliableUntil > nowMs,
        lastBytesPerSecond: lastDataFrom.get(peer.link.peerId)?.bytesPerSecond ?? 0,
      })),
      open: [...claims.all()].map((r) => ({ peerId: r.peerId, itemId: r.itemId, chunkIndex: r.chunkIndex, remainingBytes: r.buffer.length - r.received })),
      storing: [...claims.storing()],
      nowMs,
      random: env.random,
    });
    for (const { peerId, itemId, chunkIndex } of chosen) {
      const peer = ctx.peers.get(peerId);
      const item = ctx.items.get(itemId);
      if (peer && item) requestFrom(peer, item, chunkIndex);
    }
  };

  /**
   * When each peer last sent us data (ms), and its measured rate then: a request queued behind another one
   * it is sending waits, it has not stalled; and a slow link's frames are far apart.
   */
  const lastDataFrom = new Map<string, { readonly atMs: number; readonly bytesPerSecond: number }>();

  /** Drops a request's claim; its item may need asking again, so it rejoins the walk. */
  const unclaim = (requestId: number): void => {
    const request = claims.remove(requestId);
    if (request) api.consider(request.itemId);
  };

  const withdraw = (request: OpenRequest): void => {
    unclaim(request.id);
    const peer = ctx.peers.get(request.peerId);
    if (peer) ctx.send(peer, { type: 'cancel', requestId: request.id });
  };

  const finishItemIfDone = (item: ItemRecord): void => {
    if (item.have.count() === item.signed.manifest.chunkCount && item.status === 'downloading') {
      item.status = 'complete';
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
    // Claimed from the last byte until written: a schedule while the hash is computed must not ask again.
    claims.setStoring(request.itemId, request.chunkIndex, true);
    try {
      if (!bytesEqual(await sha256(request.buffer), chunkHash(item.signed.manifest, request.chunkIndex))) {
        peer.refused.add(key);
        ctx.strike(peer, `chunk ${request.chunkIndex} failed verification`);
        return;
      }
      for (const loser of claims.forChunk(request.itemId, request.chunkIndex)) withdraw(loser);
      try {
        await ctx.store.putChunk(request.itemId, request.chunkIndex, request.buffer);
      } catch (error) {
        onStoreFailed(item, error);
        return;
      }
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
      // The fastest peers choose first, so the rarest chunks come from whoever delivers them soonest;
      // peers of equal speed (the unmeasured ones) in random order, so none is always asked first.
      const peers = shuffleInPlace([...ctx.peers.values()].filter((p) => !p.closed), env.random);
      const rates = new Map(peers.map((p) => [p, p.meter.bytesPerSecond()]));
      peers.sort((a, b) => (rates.get(b) ?? 0) - (rates.get(a) ?? 0));
      fillPeers(peers);
      for (const item of done.splice(0)) finishItemIfDone(item);
    },
    consider(itemId) {
      const item = ctx.items.get(itemId);
      if (!item || item.status !== 'downloading') return;
      if (item.have.count() === item.signed.manifest.chunkCount) return finishItemIfDone(item);
      active.set(itemId, item);
    },
    onData(peer, message) {
      const request = claims.get(message.requestId);
      if (!request || request.peerId !== peer.link.peerId) return; // cancelled or unknown: late data is harmless
      if (message.offset !== request.received || request.received + message.bytes.length > request.buffer.length) {
        unclaim(request.id);
        ctx.strike(peer, 'data out of order or past the chunk end');
        api.schedule();
        return;
      }
      request.buffer.set(message.bytes, request.received);
      request.received += message.bytes.length;
      request.lastProgressMs = env.now();
      request.firstByteMs ??= request.lastProgressMs;
      peer.downloadedBytes += message.bytes.length;
      peer.meter.add(message.bytes.length);
      lastDataFrom.set(request.peerId, { atMs: request.lastProgressMs, bytesPerSecond: peer.meter.bytesPerSecond() });
      peer.downSpeed.add(message.bytes.length);
      let itemSpeed = itemSpeeds.get(request.itemId);
      if (!itemSpeed) itemSpeeds.set(request.itemId, (itemSpeed = createWindowRate({ now: env.now })));
      itemSpeed.add(message.bytes.length);
      ctx.changed();
      if (request.received < request.buffer.length) return;
      claims.remove(request.id);
      accept(request, peer)
        .catch((error: unknown) => ctx.log('accept-failed', { error: String(error) }))
        .finally(() => {
          api.consider(request.itemId); // back in the walk if the chunk failed verification or storing
          api.schedule();
        });
    },
    onReject(peer, requestId) {
      const request = claims.get(requestId);
      if (!request || request.peerId !== peer.link.peerId) return;
      unclaim(requestId);
      peer.avoidUntil.set(chunkKey(request.itemId, request.chunkIndex), env.now() + rejectedRetryAfterMs);
      api.schedule();
    },
    speedOf: (itemId) => itemSpeeds.get(itemId)?.bytesPerSecond() ?? 0,
    setFocus(item, chunkIndex) {
      item.focus = chunkIndex;
      if (chunkIndex === null) playing.delete(item.signed.itemId);
      else playing.add(item.signed.itemId);
      api.consider(item.signed.itemId);
      api.schedule();
    },
    inFlight(itemId) {
      const chunks = new Set<number>();
      for (const request of claims.all()) if (request.itemId === itemId) chunks.add(request.chunkIndex);
      for (const ref of claims.storing()) if (ref.itemId === itemId) chunks.add(ref.chunkIndex);
      return chunks;
    },
    releasePeer(peerId) {
      lastDataFrom.delete(peerId);
      for (const request of [...claims.all()]) if (request.peerId === peerId) unclaim(request.id);
    },
    cancelItem(itemId) {
      for (const request of [...claims.all()]) if (request.itemId === itemId) withdraw(request);
    },
    expireStalled(timeoutMs) {
      const now = env.now();
      let expired = 0;
      /** Of those, how many had no data for their stall time (the rest came too slowly). */
      let silent = 0;
      for (const request of [...claims.all()]) {
        const lastData = lastDataFrom.get(request.peerId);
        const stallMs = stallTimeoutMs(timeoutMs, lastData?.bytesPerSecond ?? 0);
        const quiet = requestStalled(request, lastData?.atMs, now, stallMs);
        if (!quiet && !requestTooSlow(request, now, timeoutMs)) continue;
        if (quiet) silent++;
        withdraw(request);
        const peer = ctx.peers.get(request.peerId);
        peer?.avoidUntil.set(chunkKey(request.itemId, request.chunkIndex), now + stalledRetryAfterMs);
        // Not counted on to pass chunks on for a while: a seeder is asked for what it holds instead.
        if (peer) peer.unreliableUntil = now + stalledRetryAfterMs;
        expired++;
      }
      if (expired > 0) {
        ctx.log('requests-stalled', { expired, silent, tooSlow: expired - silent });
        api.schedule();
      }
    },
  };
  return api;
}
