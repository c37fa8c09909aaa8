// The swarm engine: the peer set, message dispatch, and the snapshot for the UI.
// It knows nothing of WebRTC, IndexedDB or React: links and the store are passed in.
import { setRepeating, systemClock, type Clock } from '../clock';
import { chunkSpan, type SignedManifest } from '../manifest';
import { decodeFrame, encodeFrame } from '../protocol/codec';
import { maxItemIdsPerFrame } from '../protocol/limits';
import type { WireMessage } from '../protocol/messages';
import type { Logger, PeerLink, PieceStore } from '../ports';
import { createDerivedStore, type ExternalStore } from '../store';
import { emptyAvailability, forgetPeer, recordBitfield, recordHave } from './availability';
import { createBitfield, fullBitfield, parseBitfield } from './bitfield';
import { maxStrikesPerPeer, requestTimeoutMs, snapshotNotifyIntervalMs, speedRefreshMs, stallCheckIntervalMs } from './constants';
import { createDownloads } from './downloads';
import { createManifestFetch } from './manifest-fetch';
import { createRateMeter, createWindowRate } from './rate-meter';
import { createServing } from './serving';
import type { ItemNotice, ItemRecord, PeerRecord, SwarmContext, SwarmEvent, SwarmSnapshot } from './types';
import { createEmitter, type EventSource } from '../events';
import { buildSnapshot } from './snapshot';
import { createUploadLimiter } from './upload-limiter';

/** What the engine is built from. */
export interface SwarmOptions {
  readonly store: PieceStore;
  readonly log?: Logger;
  /** Random source for tie-breaks ([0, 1)); injectable so tests are repeatable. */
  readonly random?: () => number;
  /** Where time and timers come from (request timeouts, the upload limit, speeds); a manual clock in tests. */
  readonly clock?: Clock;
  readonly autoDownload?: boolean;
  /** Upload limit in bytes per second (null: none). */
  readonly uploadLimit?: number | null;
  /** Withdraw a request after this long without data (tests shorten it). */
  readonly requestTimeoutMs?: number;
  readonly stallCheckIntervalMs?: number;
}

/** The engine as the rest of the app uses it. */
export interface Swarm extends ExternalStore<SwarmSnapshot> {
  /** Adopts a connected link to a peer; a second link to the same peer is closed. */
  addLink(link: PeerLink): void;
  /** Shares an item this browser holds in full (its chunks readable from the store). */
  shareItem(signed: SignedManifest): void;
  /** Brings back an item from storage after a reload, with the chunks already verified and stored; resumes it if incomplete. */
  restoreItem(signed: SignedManifest, heldChunks: Iterable<number>, options?: { readonly local?: boolean }): void;
  /** Forgets an item (its data was deleted); open requests for it are withdrawn. */
  forgetItem(itemId: string): void;
  /** Starts or resumes downloading an item. */
  download(itemId: string): void;
  /** Pauses an item's download, withdrawing its open requests; `reason` is shown with it. */
  pause(itemId: string, reason?: ItemNotice): void;
  setAutoDownload(on: boolean): void;
  /** Caps what this peer uploads, in bytes per second; null removes the cap. */
  setUploadLimit(bytesPerSecond: number | null): void;
  /** Peers dropped for misbehaving; discovery must not connect to them again this session. */
  isBanned(peerId: string): boolean;
  /** What happens in the engine, as typed events (persistence and the quota guard listen). */
  readonly events: EventSource<SwarmEvent>;
  /** The verified manifest of an item, for saving. */
  manifestOf(itemId: string): SignedManifest | null;
  destroy(): void;
}

/** Builds a swarm engine. */
export function createSwarm(options: SwarmOptions): Swarm {
  const log: Logger = options.log ?? (() => undefined);
  const random = options.random ?? Math.random;
  const clock = options.clock ?? systemClock;
  const now = (): number => clock.now();
  let autoDownload = options.autoDownload ?? true;
  const uploads = createUploadLimiter(clock);
  uploads.setLimit(options.uploadLimit ?? null);
  const banned = new Set<string>();
  const items = new Map<string, ItemRecord>();
  const peers = new Map<string, PeerRecord>();
  const events = createEmitter<SwarmEvent>((error) => log('event-listener-failed', { error: String(error) }));
  const snapshots = createDerivedStore(
    () => buildSnapshot(items, peers, { autoDownload, uploadLimit: uploads.limit(), bannedPeerIds: [...banned] }),
    snapshotNotifyIntervalMs,
    clock,
  );

  const ctx: SwarmContext = {
    items,
    peers,
    store: options.store,
    log,
    send(peer, message) {
      if (peer.closed) return;
      peer.link.send(encodeFrame(message)).catch((error: unknown) => log('send-failed', { peerId: peer.link.peerId, error: String(error) }));
    },
    strike(peer, reason) {
      peer.strikes++;
      log('peer-strike', { peerId: peer.link.peerId, strikes: peer.strikes, reason });
      if (peer.strikes >= maxStrikesPerPeer) {
        banned.add(peer.link.peerId);
        events.emit({ type: 'peer-banned', peerId: peer.link.peerId, reason });
        peer.link.close(`banned: ${reason}`);
      }
    },
    changed: () => snapshots.invalidate(),
    emit: (event) => events.emit(event),
  };
  const downloads = createDownloads(ctx, { now, random });
  const serving = createServing(ctx, uploads, now);
  const timeoutMs = options.requestTimeoutMs ?? requestTimeoutMs;
  // Each tick withdraws stalled requests and reschedules: a chunk a peer refused or stalled on is
  // avoided only for a while, and when that while ends no message may arrive to prompt a retry.
  const stopStallChecks = setRepeating(
    clock,
    () => {
      downloads.expireStalled(timeoutMs);
      downloads.schedule();
    },
    options.stallCheckIntervalMs ?? stallCheckIntervalMs,
  );
  // Speeds are read when the snapshot is built; while bytes flow, every frame rebuilds it, and when
  // they stop, this refresh lets the shown speeds fall (one more after they reach zero).
  let speedsMoving = false;
  const stopSpeedRefresh = setRepeating(
    clock,
    () => {
      const moving = [...peers.values()].some((p) => p.upSpeed.bytesPerSecond() > 0 || p.downSpeed.bytesPerSecond() > 0);
      if (moving || speedsMoving) ctx.changed();
      speedsMoving = moving;
    },
    speedRefreshMs,
  );

  const announce = (itemId: string): void => {
    for (const peer of peers.values()) {
      ctx.send(peer, { type: 'items', itemIds: [itemId] });
      if (peer.knownItems.has(itemId)) sendBitfield(peer, itemId);
    }
  };
  const sendBitfield = (peer: PeerRecord, itemId: string): void => {
    const item = items.get(itemId);
    if (item) ctx.send(peer, { type: 'bitfield', itemId, bits: item.have.toBytes() });
  };
  const addItem = (record: ItemRecord): void => {
    items.set(record.signed.itemId, record);
    announce(record.signed.itemId);
    downloads.schedule();
    ctx.changed();
    // Emitted after the change is recorded, so a listener reading the snapshot sees the item.
    events.emit({ type: 'item-added', itemId: record.signed.itemId, local: record.local });
  };

  const manifests = createManifestFetch(ctx, (signed) => {
    options.store.putManifest(signed.itemId, signed.bytes).then(
      () => {
        if (items.has(signed.itemId)) return;
        const status = autoDownload ? 'downloading' : 'available';
        const have = createBitfield(signed.manifest.chunkCount);
        const availability = emptyAvailability(signed.manifest.chunkCount);
        addItem({ signed, have, status, verifiedBytes: 0, notice: null, local: false, availability });
      },
      (error: unknown) => log('manifest-store-failed', { error: String(error) }),
    );
  });

  const handle = (peer: PeerRecord, message: WireMessage): void => {
    switch (message.type) {
      case 'items':
        for (const itemId of message.itemIds) {
          peer.knownItems.add(itemId);
          if (items.has(itemId)) sendBitfield(peer, itemId);
          else manifests.want(itemId, peer);
        }
        return;
      case 'get-manifest':
        return manifests.serve(peer, message.itemId);
      case 'manifest-part':
        return manifests.onPart(peer, message);
      case 'bitfield': {
        const item = items.get(message.itemId);
        const field = item && parseBitfield(item.signed.manifest.chunkCount, message.bits);
        if (!item) return;
        if (!field) return ctx.strike(peer, 'malformed bitfield');
        recordBitfield(item, peer, field);
        downloads.schedule();
        return ctx.changed();
      }
      case 'have': {
        const item = items.get(message.itemId);
        if (!item) return;
        if (message.chunkIndex >= item.signed.manifest.chunkCount) return ctx.strike(peer, 'have past the item end');
        recordHave(item, peer, message.chunkIndex);
        downloads.schedule();
        return ctx.changed();
      }
      case 'request':
        return serving.onRequest(peer, message);
      case 'cancel':
        return serving.onCancel(peer, message.requestId);
      case 'data':
        return downloads.onData(peer, message);
      case 'reject':
        return downloads.onReject(peer, message.requestId);
    }
  };

  const dropPeer = (peer: PeerRecord, error?: Error): void => {
    if (peers.get(peer.link.peerId) !== peer) return;
    peer.closed = true;
    peers.delete(peer.link.peerId);
    forgetPeer(items, peer);
    log('peer-left', { peerId: peer.link.peerId, ...(error ? { error: error.message } : {}) });
    events.emit({ type: 'peer-left', peerId: peer.link.peerId });
    downloads.releasePeer(peer.link.peerId);
    serving.releasePeer(peer.link.peerId);
    manifests.releasePeer(peer.link.peerId);
    downloads.schedule();
    ctx.changed();
  };

  return {
    getSnapshot: snapshots.getSnapshot,
    subscribe: snapshots.subscribe,
    events,
    addLink(link) {
      if (peers.has(link.peerId) || banned.has(link.peerId)) {
        link.close(banned.has(link.peerId) ? 'banned' : 'duplicate link');
        return;
      }
      const peer: PeerRecord = {
        link, knownItems: new Set(), bitfields: new Map(), refused: new Set(), avoidUntil: new Map(),
        meter: createRateMeter(clock), upSpeed: createWindowRate(clock), downSpeed: createWindowRate(clock), uploadedBytes: 0, downloadedBytes: 0, strikes: 0, closed: false,
      };
      peers.set(link.peerId, peer);
      link.listen({
        frame(frame) {
          const message = decodeFrame(frame);
          if (message) handle(peer, message);
          else ctx.strike(peer, `malformed frame of ${frame.length} bytes`);
        },
        close: (error) => dropPeer(peer, error),
      });
      const ids = [...items.keys()];
      for (let i = 0; i < ids.length; i += maxItemIdsPerFrame) {
        ctx.send(peer, { type: 'items', itemIds: ids.slice(i, i + maxItemIdsPerFrame) });
      }
      log('peer-joined', { peerId: link.peerId });
      events.emit({ type: 'peer-joined', peerId: link.peerId });
      ctx.changed();
    },
    shareItem(signed) {
      if (items.has(signed.itemId)) return;
      // The engine writes every manifest it holds (fetched ones in manifest-fetch's callback): one owner.
      options.store.putManifest(signed.itemId, signed.bytes).catch((error: unknown) => log('manifest-store-failed', { error: String(error) }));
      const have = fullBitfield(signed.manifest.chunkCount);
      const availability = emptyAvailability(signed.manifest.chunkCount);
      addItem({ signed, have, status: 'complete', verifiedBytes: signed.manifest.totalBytes, notice: null, local: true, availability });
    },
    restoreItem(signed, heldChunks, restoreOptions) {
      if (items.has(signed.itemId)) return;
      const { manifest } = signed;
      const have = createBitfield(manifest.chunkCount);
      let verifiedBytes = 0;
      for (const index of heldChunks) {
        if (index < 0 || index >= manifest.chunkCount || have.has(index)) continue;
        have.set(index);
        verifiedBytes += chunkSpan(manifest, index).length;
      }
      const status = have.count() === manifest.chunkCount ? 'complete' : 'downloading';
      const availability = emptyAvailability(manifest.chunkCount);
      addItem({ signed, have, status, verifiedBytes, notice: null, local: restoreOptions?.local ?? false, availability });
    },
    forgetItem(itemId) {
      if (!items.has(itemId)) return;
      downloads.cancelItem(itemId);
      items.delete(itemId);
      events.emit({ type: 'item-forgotten', itemId });
      ctx.changed();
    },
    download(itemId) {
      const item = items.get(itemId);
      if (!item || item.status === 'complete' || item.status === 'downloading') return;
      item.status = 'downloading';
      item.notice = null;
      downloads.schedule();
      ctx.changed();
      events.emit({ type: 'item-downloading', itemId });
    },
    pause(itemId, reason) {
      const item = items.get(itemId);
      if (!item || item.status !== 'downloading') return;
      item.status = 'paused';
      item.notice = reason ?? null;
      downloads.cancelItem(itemId);
      ctx.changed();
      events.emit({ type: 'item-paused', itemId, notice: item.notice });
    },
    setAutoDownload(on) {
      autoDownload = on;
      ctx.changed();
    },
    setUploadLimit(bytesPerSecond) {
      uploads.setLimit(bytesPerSecond);
      ctx.changed();
    },
    isBanned: (peerId) => banned.has(peerId),
    manifestOf: (itemId) => items.get(itemId)?.signed ?? null,
    destroy() {
      stopStallChecks();
      stopSpeedRefresh();
      for (const peer of [...peers.values()]) peer.link.close('swarm destroyed');
      snapshots.dispose();
    },
  };
}
