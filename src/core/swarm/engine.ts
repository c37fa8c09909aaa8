// The swarm engine: wires its parts (the peer set, the items, message dispatch, downloads, serving,
// manifest fetching) and keeps the timers and the snapshot for the UI. It knows nothing of WebRTC,
// IndexedDB or React: links and the store are passed in.
import { setRepeating, systemClock, type Clock } from '../clock';
import type { SignedManifest } from '../manifest';
import { encodeFrame } from '../protocol/codec';
import type { Logger, PeerLink, PieceStore } from '../ports';
import { createDerivedStore, type ExternalStore } from '../store';
import { createEmitter, type EventSource } from '../events';
import { paceStepMs, requestTimeoutMs, snapshotNotifyIntervalMs, speedRefreshMs, stallCheckIntervalMs } from './constants';
import { createDispatch } from './dispatch';
import { createDownloads } from './downloads';
import { createItems } from './items';
import { createManifestFetch } from './manifest-fetch';
import { createPeerSet } from './peer-set';
import { createServing } from './serving';
import { createSnapshotBuilder } from './snapshot';
import type { ItemRecord, PeerRecord, SwarmContext, WorkCounts } from './types';
import { createUploadLimiter } from './upload-limiter';
import { createUplinkPacer, type LinkDelay } from './uplink-pacer';
import { summarizePieces, type PieceMap } from './piece-map';
import type { ItemNotice, SwarmEvent, SwarmSnapshot } from './view-types';

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
  /** Items a room may hold here (default `maxItemsPerRoom`; tests shrink it). */
  readonly maxItems?: number;
  /** Where to count per-item work (tests and benches); not counted when absent. */
  readonly work?: WorkCounts;
  /** Bytes fetched in order from where media plays (default `streamWindowBytes`; tests shrink it). */
  readonly streamWindowBytes?: number;
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
  /** Chunks a save found missing or damaged in storage (and deleted): the item downloads them again. */
  dropChunks(itemId: string, chunkIndexes: Iterable<number>): void;
  setAutoDownload(on: boolean): void;
  /** Caps what this peer uploads, in bytes per second; null removes the cap. */
  setUploadLimit(bytesPerSecond: number | null): void;
  /** Peers dropped for misbehaving; discovery must not connect to them again this session. */
  isBanned(peerId: string): boolean;
  /** What happens in the engine, as typed events (persistence and the quota guard listen). */
  readonly events: EventSource<SwarmEvent>;
  /** The verified manifest of an item, for saving. */
  manifestOf(itemId: string): SignedManifest | null;
  /**
   * Media of the item plays from `chunkIndex`: the window from there is fetched first, in order, and the
   * download starts if it was not running. Seeking calls it again; null goes back to rarest first.
   */
  focus(itemId: string, chunkIndex: number | null): void;
  /** Whether this peer holds (has stored) chunk `chunkIndex` of the item. */
  holds(itemId: string, chunkIndex: number): boolean;
  /** The item's pieces summarised in at most `bins` bins, for the swarm view; null for an unknown item. */
  pieceMap(itemId: string, bins: number): PieceMap | null;
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
  const items = new Map<string, ItemRecord>();
  const peers = new Map<string, PeerRecord>();
  const events = createEmitter<SwarmEvent>((error) => log('event-listener-failed', { error: String(error) }));
  // The parts are wired by callbacks; each callback runs only once everything below is built.
  const peerSet = createPeerSet({
    peers,
    items,
    clock,
    log,
    emit: (event) => events.emit(event),
    changed: () => ctx.changed(),
    receive: (peer, message) => dispatch(peer, message),
    greet: (peer) => itemOps.greet(peer),
    released(peerId) {
      downloads.releasePeer(peerId);
      serving.releasePeer(peerId);
      manifests.releasePeer(peerId);
      downloads.schedule();
    },
  });
  const buildSnapshot = createSnapshotBuilder(options.work);
  const snapshots = createDerivedStore(
    () => buildSnapshot(items, peers, { autoDownload, uploadLimit: uploads.limit(), bannedPeerIds: peerSet.bannedPeerIds() }, (itemId) => downloads.speedOf(itemId)),
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
    strike: (peer, reason) => peerSet.strike(peer, reason),
    changed: () => snapshots.invalidate(),
    emit(event) {
      events.emit(event);
      // Whichever part added an item or set one downloading, it joins the download schedule here.
      if (event.type === 'item-added' || event.type === 'item-downloading') {
        downloads.consider(event.itemId);
        downloads.schedule();
      }
    },
  };
  const downloads = createDownloads(ctx, {
    now,
    random,
    ...(options.work ? { work: options.work } : {}),
    ...(options.streamWindowBytes ? { streamWindowBytes: options.streamWindowBytes } : {}),
  });
  // A chunk the store no longer has (deleted by another tab, storage cleared) is dropped, and peers are told.
  const serving = createServing(ctx, uploads, clock, (itemId, chunkIndex) => {
    itemOps.lose(itemId, [chunkIndex]);
    const name = items.get(itemId)?.signed.manifest.name;
    if (name !== undefined) events.emit({ type: 'chunks-missing', itemId, name });
  });
  const itemOps = createItems({ ctx, downloads, autoDownload: () => autoDownload });
  const manifests = createManifestFetch(ctx, (signed) => itemOps.learn(signed), now, options.maxItems);
  const dispatch = createDispatch({ ctx, items: itemOps, manifests, serving, downloads });

  const timeoutMs = options.requestTimeoutMs ?? requestTimeoutMs;
  // Each tick withdraws stalled requests and reschedules: a chunk a peer refused or stalled on is
  // avoided only for a while, and when that while ends no message may arrive to prompt a retry.
  const stopStallChecks = setRepeating(
    clock,
    () => {
      downloads.expireStalled(timeoutMs);
      manifests.expireStalled();
      downloads.schedule();
    },
    options.stallCheckIntervalMs ?? stallCheckIntervalMs,
  );
  // While we download, uploads are paced below the uplink once a queue shows on it (uplink-pacer.ts); the person's limit stays a cap on top.
  const pacer = createUplinkPacer();
  let pacedBytes = uploads.takenBytes();
  let lastPaceStepMs = now();
  let pace: number | null = null;
  const stopPacing = setRepeating(
    clock,
    () => {
      const t = now();
      const delays: LinkDelay[] = [];
      for (const peer of peers.values()) {
        const roundTripMs = peer.closed ? null : (peer.link.roundTripMs?.() ?? null);
        if (roundTripMs !== null) delays.push({ roundTripMs: peer.recentRoundTrip.add(t, roundTripMs), baseRoundTripMs: peer.roundTripFloor.add(t, roundTripMs) });
      }
      pacer.sent(uploads.takenBytes() - pacedBytes);
      pacedBytes = uploads.takenBytes();
      const before = pace;
      const downloading = [...peers.values()].some((peer) => !peer.closed && peer.downSpeed.bytesPerSecond() > 0);
      pace = pacer.step(t, t - lastPaceStepMs, delays, downloading);
      if (pace !== null && (before === null || pace < before)) log('upload-paced', { bytesPerSecond: Math.round(pace) });
      uploads.setPace(pace);
      lastPaceStepMs = t;
    },
    paceStepMs,
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

  return {
    getSnapshot: snapshots.getSnapshot,
    subscribe: snapshots.subscribe,
    events,
    addLink: (link) => peerSet.adopt(link),
    shareItem: (signed) => itemOps.share(signed),
    restoreItem: (signed, heldChunks, restoreOptions) => itemOps.restore(signed, heldChunks, restoreOptions?.local ?? false),
    forgetItem: (itemId) => {
      itemOps.forget(itemId);
      serving.forgetItem(itemId);
    },
    download: (itemId) => itemOps.download(itemId),
    pause: (itemId, reason) => itemOps.pause(itemId, reason),
    dropChunks: (itemId, chunkIndexes) => itemOps.lose(itemId, chunkIndexes),
    setAutoDownload(on) {
      autoDownload = on;
      ctx.changed();
    },
    setUploadLimit(bytesPerSecond) {
      uploads.setLimit(bytesPerSecond);
      ctx.changed();
    },
    isBanned: (peerId) => peerSet.isBanned(peerId),
    manifestOf: (itemId) => items.get(itemId)?.signed ?? null,
    focus(itemId, chunkIndex) {
      const item = items.get(itemId);
      if (!item) return;
      const last = item.signed.manifest.chunkCount - 1;
      const from = chunkIndex === null ? null : Math.max(0, Math.min(last, Math.floor(chunkIndex)));
      downloads.setFocus(item, from);
      // Set first, so the download's first requests are already the window's.
      if (from !== null && item.status !== 'downloading' && item.status !== 'complete') itemOps.download(itemId);
    },
    holds: (itemId, chunkIndex) => items.get(itemId)?.have.has(chunkIndex) ?? false,
    pieceMap(itemId, bins) {
      const item = items.get(itemId);
      if (!item) return null;
      const { chunkCount } = item.signed.manifest;
      return summarizePieces({ chunkCount, have: item.have, availability: item.availability, inFlight: downloads.inFlight(itemId) }, bins);
    },
    destroy() {
      stopStallChecks();
      stopSpeedRefresh();
      stopPacing();
      peerSet.closeAll('swarm destroyed');
      snapshots.dispose();
    },
  };
}
