// The page: drop zone, room link, items, peers and errors. It only reads stores and calls the session.
import { reportText } from '../app/messages';
import { errorMessage } from '../core/errors';
import type { Report } from '../core/reports';
import { useCallback, useMemo, useState } from 'react';
import type { ExternalStore } from '../core/store';
import type { KeepingSnapshot, RoomLibrary } from '../app/room-persistence';
import type { Session } from '../app/session';
import type { PeerStatus } from '../app/peer-status';
import { DropZone } from './DropZone';
import { useStore } from './hooks';
import { ItemRow, type ItemActions } from './ItemRow';
import type { ReadFile } from './ItemPreview';
import { PeerList } from './PeerList';
import type { PieceMap } from '../core/swarm/piece-map';
import { SnippetComposer } from './SnippetComposer';
import { SwarmView } from './SwarmView';
import { RoomLink } from './RoomLink';
import { RoomsList } from './RoomsList';
import { Settings } from './Settings';
import type { DisplayNames } from '../app/display-names';
import type { NotifySetting } from '../app/keep-alive-browser';
import { UploadLimit } from './UploadLimit';

const relayText = {
  connecting: 'Connecting to the relay…',
  open: 'Online',
  closed: 'Relay unreachable, retrying…',
  'room-full': 'The room is full at the relay, retrying…',
  offline: '',
};

/** Props: the session, and the copies of shared files being kept in this browser. */
export interface AppProps {
  readonly session: Session;
  readonly keeping: ExternalStore<KeepingSnapshot>;
  readonly library: RoomLibrary;
  /** Each peer's connection status (route, reconnecting, unreachable). */
  readonly peerStatuses: ExternalStore<ReadonlyMap<string, PeerStatus>>;
  /** Looking inside items and at the swarm: previews, streaming, piece maps (main.tsx wires the engine). */
  readonly media: AppMedia;
  /** The names shown in the room (ours and the peers'), and whether to notify when a download finishes. */
  readonly settings: { readonly names: DisplayNames; readonly notify: NotifySetting };
}

/** What previews, streaming and the swarm view read. */
export interface AppMedia {
  readonly readFile: ReadFile;
  /** Where media streams from while it downloads; null where no service worker answers (yet). */
  readonly streamUrl: (itemId: string, fileIndex: number) => string | null;
  readonly pieceMap: (itemId: string, bins: number) => PieceMap | null;
}

/** The whole page. */
/** Names listed while files are hashed; the rest are counted (2,000 dropped files are not 2,000 lines). */
const preparingNamesShown = 3;

export function App({ session, keeping, library, peerStatuses, media, settings }: AppProps) {
  const statuses = useStore(peerStatuses);
  const names = useStore(settings.names);
  /** Bumped when Settings deleted everything: "Your rooms" reads the library again. */
  const [libraryVersion, setLibraryVersion] = useState(0);
  const libraryCleared = useCallback(() => setLibraryVersion((version) => version + 1), []);
  const state = useStore(session);
  const swarm = useStore(session.swarmView);
  const kept = useStore(keeping);
  const reportError = useCallback((report: Report) => session.reportError(report), [session]);
  const itemActions = useMemo<ItemActions>(
    () => ({
      download: (itemId) => session.download(itemId),
      pause: (itemId) => session.pause(itemId),
      save: (itemId) => void session.save(itemId),
      saveFile: (itemId, fileIndex) => void session.saveFile(itemId, fileIndex),
      readFile: media.readFile,
      streamUrl: media.streamUrl,
    }),
    [session, media],
  );
  const share = (files: File[]) => {
    session.shareFiles(files).catch((error: unknown) => session.reportError({ code: 'share-failed', name: files.map((f) => f.name).join(', '), detail: errorMessage(error) }));
  };
  return (
    <main className="app">
      <header className="app__header">
        <h1>Swarmdrop</h1>
        {state.roomLink && <span className={`relay relay--${state.relayStatus}`}>{relayText[state.relayStatus]}</span>}
      </header>
      {state.errors.length > 0 && (
        <ul className="errors">
          {state.errors.map((error) => (
            <li key={error.id} className="error" data-testid="error" data-reason={error.report.code}>
              {reportText(error.report)}
              <button type="button" className="button button--quiet" onClick={() => session.dismissError(error.id)}>
                Dismiss
              </button>
            </li>
          ))}
        </ul>
      )}
      <DropZone onFiles={share} compact={state.roomLink !== null} />
      <SnippetComposer onShare={(file) => share([file])} />
      {state.roomLink && <RoomLink link={state.roomLink} />}
      {!state.roomLink && <RoomsList key={libraryVersion} library={library} onError={reportError} />}
      {state.roomLink && (
        <section className="items">
          <div className="items__head">
            <h2>Files</h2>
            <div className="items__settings">
              <UploadLimit limit={swarm.uploadLimit} onChange={(limit) => session.setUploadLimit(limit)} />
              <label className="toggle">
              <input
                type="checkbox"
                data-testid="auto-download"
                checked={swarm.autoDownload}
                onChange={(event) => session.setAutoDownload(event.currentTarget.checked)}
              />
              Download automatically
              </label>
            </div>
          </div>
          {kept.size > 0 && (
            <p className="items__preparing" data-testid="keeping-copy">
              Keeping a copy in this browser so you can go on sharing after a reload…{' '}
              {Math.floor((100 * [...kept.values()].reduce((a, b) => a + b, 0)) / kept.size)}%
            </p>
          )}
          {state.preparing.slice(0, preparingNamesShown).map((name, i) => (
            <p key={`${name}-${i}`} className="items__preparing">
              Preparing {name}…
            </p>
          ))}
          {state.preparing.length > preparingNamesShown && (
            <p className="items__preparing">Preparing {(state.preparing.length - preparingNamesShown).toLocaleString('en-US')} more…</p>
          )}
          {state.saves.map((save) => (
            <p key={save.id} className="items__preparing" data-testid="save-progress" data-done-bytes={save.doneBytes} data-total-bytes={save.totalBytes}>
              Preparing {save.fileName}…{' '}
              <progress value={save.doneBytes} max={Math.max(1, save.totalBytes)} aria-label={`Preparing ${save.fileName}`} />{' '}
              <button type="button" className="button button--quiet" data-testid="save-cancel" onClick={() => session.cancelSave(save.id)}>
                Cancel
              </button>
            </p>
          ))}
          {swarm.items.length === 0 && state.preparing.length === 0 ? (
            <p className="items__empty">Nothing shared yet.</p>
          ) : (
            <ul className="items__list">
              {swarm.items.map((item) => (
                <ItemRow key={item.itemId} item={item} actions={itemActions} />
              ))}
            </ul>
          )}
        </section>
      )}
      {state.roomLink && <SwarmView peers={swarm.peers} items={swarm.items} pieceMap={media.pieceMap} />}
      {state.roomLink && <PeerList peers={swarm.peers} myPeerId={session.myPeerId} bannedCount={swarm.bannedPeerIds.length} statuses={statuses} names={names.peers} />}
      <Settings names={settings.names} notify={settings.notify} library={library} inRoom={state.roomLink !== null} onCleared={libraryCleared} onError={reportError} />
      <footer className="app__footer">
        Files go straight from browser to browser. The relay only introduces peers and never sees the link&apos;s secret.
      </footer>
    </main>
  );
}
