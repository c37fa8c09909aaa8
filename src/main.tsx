// Composition root: the only module that knows every part. It builds the adapters and the application
// layer outside React (safe under StrictMode), wires them together, and renders the page. No logic.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createErrorReports } from './app/error-reports';
import { createDisplayNames } from './app/display-names';
import { browserNotifySetting, startBrowserKeepAlive } from './app/keep-alive-browser';
import { createPeerStatusBoard } from './app/peer-status';
import { quietMoment } from './app/quiet-moment';
import { createTabSync } from './app/tab-sync';
import { startQuotaGuard } from './app/quota-guard';
import { createRoomPersistence } from './app/room-persistence';
import { createSession } from './app/session';
import { registerServiceWorker } from './app/service-worker';
import { takeSharedFiles } from './app/share-target';
import { startUrlRouting } from './app/url-routing';
import { readFileRange, type FileRangeDeps } from './app/file-ranges';
import { startMediaBridge } from './app/media-bridge';
import { systemClock } from './core/clock';
import { deriveRoomKeys } from './core/room-keys';
import { createSwarm } from './core/swarm/engine';
import { createBroadcastBus, hasBroadcastChannel } from './discovery/broadcast-bus';
import { createIdentity, type Identity } from './discovery/identity';
import { createRelayClient } from './discovery/relay-client';
import { loadMeshOverrides } from './discovery/mesh-setting';
import { createRoomConnector, type BusFactory } from './discovery/room-connector';
import { createBrowserPieceStore } from './files/browser-piece-store';
import { describeFile, describeFolder } from './files/hash-files';
import { nextIdle } from './files/idle';
import { createChunkStore } from './storage/chunk-store';
import { createRoomsStore } from './storage/rooms-store';
import { createShareInbox } from './sw/share-inbox';
import { createConnectionBudget } from './transport/connection-budget';
import { createIceConfig } from './transport/ice-config';
import { createPeerConnector } from './transport/peer-connector';
import { App, type AppMedia } from './ui/App';
import type { ReadFile } from './ui/ItemPreview';
import { InsecureContext } from './ui/InsecureContext';
import { offerDownload } from './ui/offer-download';
import { loadDisplayName, loadNotifyDownloads, loadSettings, saveAutoDownload, saveDisplayName, saveNotifyDownloads, saveUploadLimit } from './ui/saved-settings';
import './ui/styles.css';

/** Structured console logs; never secrets or payloads. */
const log = (event: string, fields?: Record<string, unknown>): void => console.debug('swarmdrop', event, fields ?? {});

/** Builds every part and renders the app (a secure context: WebCrypto and storage are there). */
function startApp(container: HTMLElement, identity: Identity): void {
  const myPeerId = identity.peerId;
  const errors = createErrorReports();
  const ice = createIceConfig(); // none until the relay says which: its STUN, TURN with fresh credentials
  const peerStatuses = createPeerStatusBoard();
  const pieces = createBrowserPieceStore(createChunkStore());
  const swarm = createSwarm({ store: pieces, log, ...loadSettings(localStorage) });
  const names = createDisplayNames({ load: () => loadDisplayName(localStorage), save: (name) => saveDisplayName(localStorage, name) });
  const notify = browserNotifySetting({ load: () => loadNotifyDownloads(localStorage), save: (on) => saveNotifyDownloads(localStorage, on) });
  startBrowserKeepAlive(swarm, log, notify); // wake lock, title badge and notifications, the last-holder warning
  const missingSaid = new Set<string>();
  swarm.events.subscribe((event) => {
    if (event.type === 'room-item-limit') errors.report({ code: 'room-item-limit', limit: event.limit });
    if (event.type === 'chunks-missing' && !missingSaid.has(event.itemId)) {
      missingSaid.add(event.itemId); // once per item: every lost chunk asked for would say it again
      errors.report({ code: 'stored-data-missing', name: event.name });
    }
  });
  const uploading = (): boolean => swarm.getSnapshot().peers.some((peer) => peer.upBytesPerSecond > 0);
  const idle = quietMoment({ uploading, idle: nextIdle, clock: systemClock });
  const persistence = createRoomPersistence({ swarm, pieces, rooms: createRoomsStore(), log, reportError: errors.report, idle, tabs: createTabSync() });
  const connectPeer = createPeerConnector({ ice, budget: createConnectionBudget({ onExhausted: (count) => errors.report({ code: 'connection-budget-spent', count }) }), board: peerStatuses, log });
  const relayUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/signal`;

  const session = createSession({
    swarm,
    errors,
    myPeerId,
    describeFile,
    describeFolder,
    addLocalItem: (signed, files) => {
      pieces.addLocalItem(signed, files);
      persistence.keepShared(signed);
    },
    chunkBlobs: (itemId, first, end) => pieces.chunkBlobs(itemId, first, end),
    deleteChunks: (itemId, chunkIndexes) => pieces.deleteChunks(itemId, chunkIndexes),
    offerDownload,
    baseUrl: `${location.origin}${location.pathname}`,
    setFragment: (secret) => history.replaceState(null, '', `#${secret}`),
    saveAutoDownload: (on) => saveAutoDownload(localStorage, on),
    saveUploadLimit: (limit) => saveUploadLimit(localStorage, limit),
    async joinRoom(secret, onStatus) {
      const keys = await deriveRoomKeys(secret);
      // Items kept from earlier visits come back first, so they are announced as soon as peers connect.
      await persistence.openRoom(keys.roomId, secret);
      // The relay, and BroadcastChannel so tabs of this browser find each other even while it is down.
      const buses: BusFactory[] = [(handlers, peerId) => createRelayClient({ ...handlers, url: relayUrl, peerId, onStatus, onIceServers: ice.set })];
      if (hasBroadcastChannel()) buses.push((handlers) => createBroadcastBus(handlers));
      const connector = createRoomConnector({
        keys,
        identity,
        log,
        buses,
        connectPeer,
        onLink: (link) => swarm.addLink(link),
        isBanned: (peerId) => swarm.isBanned(peerId),
        onForgery: () => errors.report({ code: 'signaling-tampered' }),
        onMemberForgery: () => errors.report({ code: 'signaling-member-forgery' }),
        displayName: () => names.getSnapshot().mine,
        onPeerName: (peerId, name) => names.heard(peerId, name),
        mesh: loadMeshOverrides(localStorage), // a test-only cap; none for people
      });
      const stopAnnouncing = names.onMineChange(() => connector.announce()); // a new name reaches the room at once
      return () => (stopAnnouncing(), connector.close());
    },
  });

  // navigator.storage exists only in secure contexts (https, localhost); elsewhere write errors still pause.
  startQuotaGuard({
    swarm,
    log,
    estimate: () => (navigator.storage ? navigator.storage.estimate() : Promise.resolve({})),
    persist: () => (navigator.storage ? navigator.storage.persist() : Promise.resolve(false)),
  });
  startUrlRouting(session, {
    hash: () => location.hash,
    reload: () => location.reload(),
    onHashChange: (listener) => (addEventListener('hashchange', listener), () => removeEventListener('hashchange', listener)),
  });
  // Files shared from another app arrive at /?share=<id> (the worker's share target): a new room holds them.
  const sharedFiles = { take: (id: string) => createShareInbox({ caches, origin: location.origin, now: Date.now, newId: () => crypto.randomUUID() }).take(id) };
  void takeSharedFiles({ href: () => location.href, replace: (path) => history.replaceState(history.state, '', path) }, sharedFiles, session);
  if (import.meta.env.PROD) registerServiceWorker(log); // the dev server builds no worker

  // Previews and media played while it downloads read the stored chunks; the worker asks for ranges.
  const fileRanges: FileRangeDeps = {
    manifestOf: (itemId) => swarm.manifestOf(itemId),
    holds: (itemId, chunkIndex) => swarm.holds(itemId, chunkIndex),
    focus: (itemId, chunkIndex) => swarm.focus(itemId, chunkIndex),
    events: swarm.events,
    chunkBlobs: (itemId, first, end) => pieces.chunkBlobs(itemId, first, end),
  };
  const readFile: ReadFile = (itemId, fileIndex, start, end, options) => readFileRange(fileRanges, itemId, fileIndex, start, end, options);
  if ('serviceWorker' in navigator) startMediaBridge(navigator.serviceWorker, readFile);
  const media: AppMedia = {
    readFile,
    streamUrl: (itemId, fileIndex) => (navigator.serviceWorker?.controller ? `/stream/${itemId}/${fileIndex}` : null),
    pieceMap: (itemId, bins) => swarm.pieceMap(itemId, bins),
  };

  createRoot(container).render(
    <StrictMode>
      <App session={session} keeping={persistence.keeping} library={persistence} peerStatuses={peerStatuses} media={media} settings={{ names, notify }} />
    </StrictMode>,
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
// Plain HTTP from another machine is not a secure context: crypto.subtle is missing there, and every
// share would fail. Say so and what to do, instead of starting anything.
// The tab's signing key comes first: its peer id is derived from it.
if (window.isSecureContext && typeof crypto.subtle === 'object') void createIdentity().then((identity) => startApp(root, identity));
else createRoot(root).render(<InsecureContext origin={location.origin} />);
