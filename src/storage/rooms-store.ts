// The rooms this browser has joined, for resuming them and for the "your rooms" list.
// The room's link secret is kept here (on this device only) so the room can be reopened from the list.
import { createStore, del, get, set, values, type UseStore } from 'idb-keyval';
import { isRoomRecord, type RoomsStore } from '../core/rooms';

export type { RoomRecord, RoomsStore } from '../core/rooms';

/** IndexedDB database of room records (one object store, as idb-keyval makes them). */
const roomsDbName = 'swarmdrop-rooms';

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
