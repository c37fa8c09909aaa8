// Composition root: the only module that knows every part. Builds the engine, the piece store and
// the room connection outside React (safe under StrictMode), then renders the page.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { parseSecret, deriveRoomKeys } from './core/room-keys';
import { createSwarm } from './core/swarm/engine';
import { toHex } from './core/bytes';
import { createBroadcastBus, hasBroadcastChannel } from './discovery/broadcast-bus';
import { createRelayClient } from './discovery/relay-client';
import { createRoomConnector, type BusFactory } from './discovery/room-connector';
import { createSession } from './session';
import { startQuotaGuard } from './quota-guard';
import { createRoomPersistence } from './room-persistence';
import { createBrowserPieceStore } from './storage/piece-store';
import { createRoomsStore } from './storage/rooms-store';
import { describeFile, describeFolder } from './storage/hash-files';
import { createConnectionBudget } from './transport/connection-budget';
import { createWebRtcPeer } from './transport/webrtc-peer';
import { App } from './ui/App';
import './ui/styles.css';

/** STUN/TURN servers: none by default, so nothing leaves the local network unless configured. */
const iceServers: RTCIceServer[] = [];

/** Structured console logs; never secrets or payloads. */
const log = (event: string, fields?: Record<string, unknown>): void => console.debug('swarmdrop', event, fields ?? {});

/** localStorage key of the auto-download setting (on unless the person turned it off). */
const autoDownloadKey = 'swarmdrop.autoDownload';

/** localStorage key of the upload limit in bytes per second (absent: no limit). */
const uploadLimitKey = 'swarmdrop.uploadLimit';

/** The saved upload limit, or null when none is saved or it is not a positive number. */
function savedUploadLimit(): number | null {
  const value = Number(localStorage.getItem(uploadLimitKey));
  return Number.isFinite(value) && value > 0 ? value : null;
}

const myPeerId = toHex(crypto.getRandomValues(new Uint8Array(16)));
const pieces = createBrowserPieceStore();
const swarm = createSwarm({
  store: pieces,
  log,
  autoDownload: localStorage.getItem(autoDownloadKey) !== 'false',
  uploadLimit: savedUploadLimit(),
});
const relayUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/signal`;
/** RTCPeerConnections this tab has created (`connections.count`, for the UI); new ones stop near Chrome's cap. */
const connections = createConnectionBudget({ onExhausted: (message) => session.reportError(message) });

const session = createSession({
  swarm,
  describeFile,
  describeFolder,
  addLocalItem: (signed, files) => {
    pieces.addLocalItem(signed, files);
    persistence.keepShared(signed);
  },
  fileBlob: (signed, fileIndex) => pieces.fileBlob(signed, fileIndex),
  baseUrl: `${location.origin}${location.pathname}`,
  setFragment: (secret) => history.replaceState(null, '', `#${secret}`),
  saveAutoDownload: (on) => localStorage.setItem(autoDownloadKey, String(on)),
  saveUploadLimit: (limit) =>
    limit === null ? localStorage.removeItem(uploadLimitKey) : localStorage.setItem(uploadLimitKey, String(limit)),
  myPeerId,
  offerDownload(blob, fileName) {
    const url = URL.createObjectURL(blob);
    const anchor = document.createElement('a');
    anchor.href = url;
    anchor.download = fileName;
    anchor.rel = 'noopener';
    document.body.append(anchor);
    anchor.click();
    anchor.remove();
    // The download has started reading the Blob; release the URL later, not at once.
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  },
  async joinRoom(secret, onStatus) {
    const keys = await deriveRoomKeys(secret);
    // Items kept from earlier visits come back first, so they are announced as soon as peers connect.
    await persistence.openRoom(keys.roomId, secret);
    // The relay, and BroadcastChannel so tabs of this browser find each other even while it is down.
    const buses: BusFactory[] = [(handlers) => createRelayClient({ ...handlers, url: relayUrl, onStatus })];
    if (hasBroadcastChannel()) buses.push((handlers) => createBroadcastBus(handlers));
    const connector = createRoomConnector({
      keys,
      myPeerId,
      log,
      buses,
      connectPeer: (options) => createWebRtcPeer({ ...options, iceServers, budget: connections, log }),
      onLink: (link) => swarm.addLink(link),
      isBanned: (peerId) => swarm.isBanned(peerId),
      onForgery: (message) => session.reportError(message),
    });
    return () => connector.close();
  },
});

const persistence = createRoomPersistence({
  swarm,
  pieces,
  rooms: createRoomsStore(),
  log,
  reportError: (message) => session.reportError(message),
});

// navigator.storage exists only in secure contexts (https, localhost); elsewhere write errors still pause.
startQuotaGuard({
  swarm,
  log,
  estimate: () => (navigator.storage ? navigator.storage.estimate() : Promise.resolve({})),
  persist: () => (navigator.storage ? navigator.storage.persist() : Promise.resolve(false)),
});

/** Joins the room the address's fragment names, or says the link is damaged. */
function joinFromFragment(): void {
  const secret = parseSecret(location.hash);
  if (secret) {
    session.joinRoom(secret).catch((error: unknown) => session.reportError(`Could not join the room: ${String(error)}`));
  } else if (location.hash.length > 1) {
    session.reportError('This room link is incomplete or damaged. Ask for the link again.');
  }
}
joinFromFragment();

// A room link pasted into an open tab: join it. A tab already in another room reloads, the simplest
// correct way to change rooms (a page is in one room; the reload joins the new one).
addEventListener('hashchange', () => {
  const current = session.getSnapshot().roomLink;
  if (current === null) return joinFromFragment();
  const secret = parseSecret(location.hash);
  if (secret && `#${secret}` !== new URL(current).hash) location.reload();
});

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
createRoot(container).render(
  <StrictMode>
    <App session={session} keeping={persistence.keeping} library={persistence} />
  </StrictMode>,
);
