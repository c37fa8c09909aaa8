// The rooms this browser has joined, for resuming them and for the "your rooms" list.
// The room's link secret is kept here (on this device only) so the room can be reopened from the list.
import { createStore, del, get, set, values, type UseStore } from 'idb-keyval';

/** IndexedDB database of room records (one object store, as idb-keyval makes them). */
const roomsDbName = 'swarmdrop-rooms';

/** What is remembered of a room. */
export interface RoomRecord {
  readonly roomId: string;
  readonly secret: string;
  /** Items learned or shared in the room, in the order they appeared. */
  readonly itemIds: readonly string[];
  /** Items this browser shared (so they show as "shared by you" after a reload). */
  readonly sharedItemIds: readonly string[];
  readonly createdMs: number;
  readonly openedMs: number;
}

function isRoomRecord(value: unknown): value is RoomRecord {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  const isIds = (list: unknown): boolean => Array.isArray(list) && list.every((id) => typeof id === 'string');
  return (
    typeof r.roomId === 'string' && typeof r.secret === 'string' && isIds(r.itemIds) && isIds(r.sharedItemIds) &&
    typeof r.createdMs === 'number' && typeof r.openedMs === 'number'
  );
}

/** The rooms store. */
export interface RoomsStore {
  get(roomId: string): Promise<RoomRecord | null>;
  /** All rooms, most recently opened first; malformed records are skipped. */
  list(): Promise<RoomRecord[]>;
  put(record: RoomRecord): Promise<void>;
  delete(roomId: string): Promise<void>;
}

/** Opens the rooms store. */
export function createRoomsStore(): RoomsStore {
  const rooms: UseStore = createStore(roomsDbName, 'rooms');
  return {
    async get(roomId) {
      const value: unknown = await get(roomId, rooms);
      return isRoomRecord(value) ? value : null;
    },
    async list() {
      const all: unknown[] = await values(rooms);
      return all.filter(isRoomRecord).sort((a, b) => b.openedMs - a.openedMs);
    },
    put: (record) => set(record.roomId, record, rooms),
    delete: (roomId) => del(roomId, rooms),
  };
}
