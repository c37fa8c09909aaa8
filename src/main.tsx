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
import { createIceConfig } from './transport/ice-config';
import { createPeerStatusBoard } from './transport/peer-status';
import { createWebRtcPeer } from './transport/webrtc-peer';
import { App } from './ui/App';
import { InsecureContext } from './ui/InsecureContext';
import './ui/styles.css';

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

/** Builds every part and renders the app (a secure context: WebCrypto and storage are there). */
function startApp(container: HTMLElement): void {
  const myPeerId = toHex(crypto.getRandomValues(new Uint8Array(16)));
  /** STUN/TURN servers: none until the relay says which (its own STUN, TURN with fresh credentials). */
  const ice = createIceConfig();
  const peerStatuses = createPeerStatusBoard();
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
      const buses: BusFactory[] = [
        (handlers) => createRelayClient({ ...handlers, url: relayUrl, onStatus, onIceServers: (servers) => ice.set(servers) }),
      ];
      if (hasBroadcastChannel()) buses.push((handlers) => createBroadcastBus(handlers));
      const connector = createRoomConnector({
        keys,
        myPeerId,
        log,
        buses,
        connectPeer: (options) => {
          const peerId = options.remotePeerId;
          peerStatuses.connecting(peerId);
          return createWebRtcPeer({
            ...options,
            ice,
            budget: connections,
            log,
            onLink: (link) => {
              peerStatuses.opened(peerId);
              options.onLink(link);
            },
            onRoute: (route) => peerStatuses.route(peerId, route),
          onFingerprint: (result) => peerStatuses.fingerprint(peerId, result),
            onRecovering: (on) => peerStatuses.recovering(peerId, on),
            onClose: (error) => {
              peerStatuses.closed(peerId, error);
              options.onClose(error);
            },
          });
        },
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

  createRoot(container).render(
    <StrictMode>
      <App session={session} keeping={persistence.keeping} library={persistence} peerStatuses={peerStatuses} />
    </StrictMode>,
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
// Plain HTTP from another machine is not a secure context: crypto.subtle is missing there, and every
// share would fail. Say so and what to do, instead of starting anything.
if (window.isSecureContext && typeof crypto.subtle === 'object') startApp(root);
else createRoot(root).render(<InsecureContext origin={location.origin} />);
