// How chunks are keyed in IndexedDB. New writes use array keys `[itemId, chunkIndex]`: IndexedDB
// orders arrays element by element, so one item's chunks are one contiguous key range, in chunk order.
// Earlier versions wrote strings `${itemId}/${chunkIndex}`; those records are still read, never rewritten.

/** The IndexedDB key of one stored chunk. */
export type ChunkRecordKey = [itemId: string, chunkIndex: number];

/** Where one chunk is written. */
export const chunkRecordKey = (itemId: string, chunkIndex: number): ChunkRecordKey => [itemId, chunkIndex];

/** Every array key of one item: chunk indexes are non-negative integers, so 0..Infinity holds them all. */
export const itemRecordRange = (itemId: string): IDBKeyRange =>
  IDBKeyRange.bound(chunkRecordKey(itemId, 0), chunkRecordKey(itemId, Infinity));

/** The key an earlier version wrote a chunk under (read and deleted, never written). */
export const legacyChunkKey = (itemId: string, chunkIndex: number): string => `${itemId}/${chunkIndex}`;

/**
 * Every legacy key of one item: the strings that start with `${itemId}/`. '0' is the code unit
 * right after '/', so `${itemId}0` (excluded) is the first string past them.
 */
export const itemLegacyRange = (itemId: string): IDBKeyRange => IDBKeyRange.bound(`${itemId}/`, `${itemId}0`, false, true);

/** Legacy keys were written only for real item ids (hex SHA-256); anything else is not a chunk of ours. */
const legacyKeyPattern = /^([0-9a-f]{64})\/(\d+)$/;

/** Splits a stored chunk key (either format) into item id and index; null for a key that is not ours. */
export function parseChunkRecordKey(key: IDBValidKey): { itemId: string; chunkIndex: number } | null {
  if (Array.isArray(key)) {
    const [itemId, chunkIndex] = key;
    if (key.length !== 2 || typeof itemId !== 'string' || typeof chunkIndex !== 'number') return null;
    return Number.isSafeInteger(chunkIndex) && chunkIndex >= 0 ? { itemId, chunkIndex } : null;
  }
  if (typeof key !== 'string') return null;
  const match = legacyKeyPattern.exec(key);
  return match?.[1] && match[2] ? { itemId: match[1], chunkIndex: Number(match[2]) } : null;
}
