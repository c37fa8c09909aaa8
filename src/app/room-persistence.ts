// What survives a reload: each room's items (manifests and verified chunks in IndexedDB) come back
// into the engine when the room is reopened, and a sharer's dropped files are copied into IndexedDB
// in the background so it keeps seeding after a reload. Composition-level: it drives the engine and
// the stores it is given (main.tsx builds the real ones).
import { errorMessage } from '../core/errors';
import type { Report } from '../core/reports';
import { logIdChars, shortId } from '../core/ids';
import { chunkLength } from '../core/chunk-layout';
import { parseManifest, type SignedManifest } from '../core/manifest';
import type { KeptItemStore, Logger } from '../core/ports';
import { createDerivedStore, type ExternalStore } from '../core/store';
import type { Swarm } from '../core/swarm/engine';
import type { RoomRecord, RoomsStore } from '../core/rooms';
import { soloTab, type TabSync } from './tab-sync';

/** Items whose copy into this browser's storage is under way, with the fraction done. */
export type KeepingSnapshot = ReadonlyMap<string, number>;

/** One remembered room as the start page lists it. */
export interface RoomSummary {
  readonly roomId: string;
  readonly secret: string;
  readonly openedMs: number;
  readonly items: readonly { readonly itemId: string; readonly name: string; readonly totalBytes: number; readonly storedBytes: number }[];
  /** Bytes of verified chunks kept for this room's items. */
  readonly storedBytes: number;
}

/** The start page's view of what this browser keeps. */
export interface RoomLibrary {
  list(): Promise<RoomSummary[]>;
  /** Deletes a room's record and the data of its items that no other room lists. */
  deleteRoom(roomId: string): Promise<void>;
  /** Deletes every room and all their data. */
  deleteAll(): Promise<void>;
}

/** The persistence side of a session. */
export interface RoomPersistence extends RoomLibrary {
  /** Brings back a room's stored items, records the visit, and from then on records its new items. */
  openRoom(roomId: string, secret: string): Promise<void>;
  /** Marks an item as shared from here and copies its data into storage in the background. */
  keepShared(signed: SignedManifest): void;
  /** Copies in progress, for the UI. */
  readonly keeping: ExternalStore<KeepingSnapshot>;
  /** Stops listening to the engine. */
  close(): void;
}

/** What persistence needs. */
export interface RoomPersistenceDeps {
  readonly swarm: Swarm;
  readonly pieces: KeptItemStore;
  readonly rooms: RoomsStore;
  readonly log: Logger;
  readonly reportError: (report: Report) => void;
  readonly now?: () => number;
  /**
   * Resolves when the page has a moment to spare and peers are not downloading from it (the app's is
   * app/quiet-moment.ts). Each copy into storage waits for one: measured with 2,000 small items,
   * copying them all at once while serving them delayed the friend's page by 0.5–0.7 s to show them
   * all. Within an item the copy runs on, so a big file is kept at full speed.
   */
  readonly idle?: () => Promise<void>;
  /** The other tabs of this browser (app/tab-sync.ts); one tab alone when absent. */
  readonly tabs?: TabSync;
}

/** `stored`'s record with what this tab lists added (the other tabs may have listed items too). */
function merged(stored: RoomRecord | null, mine: RoomRecord): RoomRecord {
  if (!stored) return mine;
  return { ...mine, itemIds: withNew(stored.itemIds, new Set(mine.itemIds)), sharedItemIds: withNew(stored.sharedItemIds, new Set(mine.sharedItemIds)) };
}

/** The Web Lock a room's record is written under. */
const roomLock = (roomId: string): string => `swarmdrop-room:${roomId}`;

/** `list` with the ids of `more` it lacks appended, in order; `list` itself when it lacks none. */
function withNew(list: readonly string[], more: ReadonlySet<string>): readonly string[] {
  if (more.size === 0) return list;
  const known = new Set(list);
  const added = [...more].filter((id) => !known.has(id));
  return added.length === 0 ? list : [...list, ...added];
}

/** Creates room persistence. */
export function createRoomPersistence(deps: RoomPersistenceDeps): RoomPersistence {
  const now = deps.now ?? Date.now;
  const idle = deps.idle ?? (() => Promise.resolve());
  const tabs = deps.tabs ?? soloTab;
  /** The copies of shared items into storage, one after another. */
  let copies: Promise<void> = Promise.resolve();
  /** Items copied since the last log line. */
  let keptSinceLog = 0;
  let current: RoomRecord | null = null;
  /** Writes the open room's record, merged with what other tabs wrote, one tab at a time. */
  const writeCurrent = (record: RoomRecord): Promise<void> =>
    tabs.withLock(roomLock(record.roomId), async () => {
      current = merged(await deps.rooms.get(record.roomId), record);
      await deps.rooms.put(current);
    });
  let writes: Promise<void> = Promise.resolve();
  const progress = new Map<string, number>();
  const keeping = createDerivedStore<KeepingSnapshot>(() => new Map(progress), 100);

  /**
   * Items to list in the open room's record, and which of them were shared from here. Room record
   * writes are serialized so none overwrites another, and all the items that arrive while one write is
   * under way go into the next: a thousand items dropped at once cost a few writes, not a thousand
   * (each write stores the whole list).
   */
  const unlisted = new Set<string>();
  const unlistedShared = new Set<string>();
  let writeQueued = false;
  const listItem = (itemId: string, shared: boolean): void => {
    unlisted.add(itemId);
    if (shared) unlistedShared.add(itemId);
    if (writeQueued) return;
    writeQueued = true;
    writes = writes
      .then(async () => {
        writeQueued = false;
        const added = withNew(current?.itemIds ?? [], unlisted);
        const addedShared = withNew(current?.sharedItemIds ?? [], unlistedShared);
        unlisted.clear();
        unlistedShared.clear();
        if (!current || (added === current.itemIds && addedShared === current.sharedItemIds)) return;
        await writeCurrent({ ...current, itemIds: added, sharedItemIds: addedShared });
      })
      .catch((error: unknown) => deps.log('room-save-failed', { error: String(error) }));
  };

  const restoreItems = async (record: RoomRecord): Promise<void> => {
    for (const itemId of record.itemIds) {
      const signed = await loadManifest(itemId);
      if (!signed) {
        deps.log('restore-skipped', { itemId: shortId(itemId, logIdChars), reason: 'manifest missing or invalid' });
        continue;
      }
      deps.swarm.restoreItem(signed, await deps.pieces.heldChunksOf(itemId), { local: record.sharedItemIds.includes(itemId) });
    }
  };

  /** Every item the engine adds from now on (shared, fetched or restored) is listed in the open room. */
  let stopTracking: (() => void) | null = null;
  const trackNewItems = (): void => {
    stopTracking ??= deps.swarm.events.subscribe((event) => {
      if (event.type === 'item-added' && current) listItem(event.itemId, false);
    });
  };

  const loadManifest = async (itemId: string): Promise<SignedManifest | null> => {
    const bytes = await deps.pieces.getManifest(itemId);
    return bytes && (await parseManifest(bytes, itemId));
  };

  const deleteRoom = (roomId: string): Promise<void> =>
    tabs.withLock(roomLock(roomId), async () => {
      const all = await deps.rooms.list();
      const doomed = all.find((r) => r.roomId === roomId);
      if (!doomed) return;
      const stillListed = new Set(all.filter((r) => r.roomId !== roomId).flatMap((r) => r.itemIds));
      const deleted = doomed.itemIds.filter((itemId) => !stillListed.has(itemId));
      for (const itemId of deleted) await deps.pieces.deleteItem(itemId);
      await deps.rooms.delete(roomId);
      deps.log('room-deleted', { items: doomed.itemIds.length });
      tabs.post({ type: 'room-deleted', roomId, itemIds: deleted });
    });

  /**
   * Another tab deleted items' stored data: this tab no longer holds their chunks. Items shared from its
   * own files are copied again; the others go back to downloading what they lost (peers are told, so
   * nobody asks this tab for chunks it no longer has). The open room's record is written again.
   */
  const onDeletedElsewhere = (roomId: string, itemIds: readonly string[]): void => {
    const byId = new Map(deps.swarm.getSnapshot().items.map((item) => [item.itemId, item]));
    let affected = 0;
    for (const itemId of itemIds) {
      const view = byId.get(itemId);
      const signed = deps.swarm.manifestOf(itemId);
      if (!view || !signed) continue;
      affected += 1;
      if (view.local) api.keepShared(signed);
      else deps.swarm.dropChunks(itemId, Array.from({ length: signed.manifest.chunkCount }, (_, i) => i));
    }
    if (current?.roomId === roomId) writeCurrent(current).catch((error: unknown) => deps.log('room-save-failed', { error: String(error) }));
    if (affected > 0) deps.reportError({ code: 'room-data-deleted-elsewhere', items: affected });
  };

  const stopListening = tabs.subscribe((event) => onDeletedElsewhere(event.roomId, event.itemIds));

  const api: RoomPersistence = {
    keeping,
    async list() {
      const summaries: RoomSummary[] = [];
      for (const record of await deps.rooms.list()) {
        const items = [];
        for (const itemId of record.itemIds) {
          const signed = await loadManifest(itemId);
          if (!signed) continue;
          // One key range per item: listing never reads every stored key.
          const chunks = await deps.pieces.heldChunksOf(itemId);
          const storedBytes = chunks.reduce((sum, i) => sum + (i < signed.manifest.chunkCount ? chunkLength(signed.manifest.layout, i) : 0), 0);
          items.push({ itemId, name: signed.manifest.name, totalBytes: signed.manifest.totalBytes, storedBytes });
        }
        const storedBytes = items.reduce((sum, item) => sum + item.storedBytes, 0);
        summaries.push({ roomId: record.roomId, secret: record.secret, openedMs: record.openedMs, items, storedBytes });
      }
      return summaries;
    },
    deleteRoom,
    async deleteAll() {
      for (const record of await deps.rooms.list()) await deleteRoom(record.roomId);
    },
    async openRoom(roomId, secret) {
      const stored = await deps.rooms.get(roomId);
      const opened = now();
      current = stored
        ? { ...stored, secret, openedMs: opened }
        : { roomId, secret, itemIds: [], sharedItemIds: [], createdMs: opened, openedMs: opened };
      await writeCurrent(current);
      if (stored) await restoreItems(stored);
      trackNewItems();
    },
    close() {
      stopTracking?.();
      stopTracking = null;
      stopListening();
    },
    keepShared(signed) {
      listItem(signed.itemId, true);
      progress.set(signed.itemId, 0);
      keeping.invalidate();
      // The engine stores the manifest when the item is shared; this copies the data, one item at a
      // time and in the page's spare moments (serving peers comes first).
      copies = copies
        .then(idle)
        .then(() =>
          deps.pieces.keepLocalItem(signed, (copied, total) => {
            progress.set(signed.itemId, total === 0 ? 1 : copied / total);
            keeping.invalidate();
          }),
        )
        .then(
          () => void (keptSinceLog += 1),
          (error: unknown) =>
            deps.reportError({ code: 'keep-copy-failed', name: signed.manifest.name, detail: errorMessage(error) }),
        )
        .finally(() => {
          progress.delete(signed.itemId);
          keeping.invalidate();
          // One line when the copies are done, not one per item (2,000 items: 2,000 lines).
          if (progress.size === 0 && keptSinceLog > 0) {
            deps.log('kept-local-copies', { items: keptSinceLog });
            keptSinceLog = 0;
          }
        });
    },
  };
  return api;
}
