// What is remembered of each room this browser joined, and the port of the store that keeps it.

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

/** True for a stored value that is a well-formed room record (parsed at the storage boundary). */
export function isRoomRecord(value: unknown): value is RoomRecord {
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
