// Names people show the room: this tab's own (a setting, kept between visits, sent in every hello)
// and the ones peers said in their signed hellos, for the peer list. Discovery writes the peers'
// names; the Settings panel writes ours; the connector re-announces when ours changes.
import { cleanDisplayName } from '../core/display-name';
import { setRecent } from '../core/recent-map';
import { createDerivedStore, type ExternalStore } from '../core/store';

/** Peers whose names are kept, most recent first: each hello may come from a new identity, so it is bounded like the peer book. */
export const maxPeerNames = 1_024;

/** UI notifications at most this often: a crowd joining says many hellos at once. */
const notifyIntervalMs = 100;

/** What the page shows: our name, and each peer's by id (peers with none are absent). */
export interface DisplayNamesSnapshot {
  readonly mine: string | null;
  readonly peers: ReadonlyMap<string, string>;
}

/** The names, for the UI (read), the Settings panel and discovery (write). */
export interface DisplayNames extends ExternalStore<DisplayNamesSnapshot> {
  /** Sets our name from what the person typed (cleaned and cut to fit); returns the name kept. */
  setMine(typed: string): string | null;
  /** A peer said its name in a hello (null: it shows none). */
  heard(peerId: string, name: string | null): void;
  /** Hears our own name change (not the peers'); returns how to stop. */
  onMineChange(listener: (name: string | null) => void): () => void;
}

/** Where our name is kept between visits (localStorage in main.tsx). */
export interface DisplayNameStorage {
  load(): string | null;
  save(name: string | null): void;
}

/** Creates the names, starting from the stored one (cleaned again: storage is not trusted). */
export function createDisplayNames(storage: DisplayNameStorage): DisplayNames {
  const stored = storage.load();
  let mine = stored === null ? null : cleanDisplayName(stored);
  const peers = new Map<string, string>();
  const mineListeners = new Set<(name: string | null) => void>();
  const store = createDerivedStore<DisplayNamesSnapshot>(() => ({ mine, peers: new Map(peers) }), notifyIntervalMs);
  return {
    getSnapshot: store.getSnapshot,
    subscribe: store.subscribe,
    setMine(typed) {
      const next = cleanDisplayName(typed);
      if (next === mine) return mine;
      mine = next;
      storage.save(mine);
      store.invalidate();
      for (const listener of [...mineListeners]) listener(mine);
      return mine;
    },
    heard(peerId, name) {
      const before = peers.get(peerId) ?? null;
      if (name === null) peers.delete(peerId);
      else setRecent(peers, peerId, name, maxPeerNames); // heard again: the newest, last to be dropped
      if (before !== name) store.invalidate();
    },
    onMineChange(listener) {
      mineListeners.add(listener);
      return () => mineListeners.delete(listener);
    },
  };
}
