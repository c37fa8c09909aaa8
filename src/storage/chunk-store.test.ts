// The IndexedDB chunk store over fake-indexeddb (a full IndexedDB in memory, for Node).
import 'fake-indexeddb/auto';
import { createStore, get, set } from 'idb-keyval';
import { afterEach, describe, expect, it } from 'vitest';
import { describePieceStoreCompliance } from '../test-support/piece-store-compliance';
import { storageFullCode } from '../core/ports';
import { maxPutsPerTransaction } from './batched-writes';
import { createChunkStore, maxBytesChunkRecord } from './chunk-store';
import { chunkRecordKey, legacyChunkKey } from './chunk-keys';

/** Prototype methods a test replaced, put back after each test. */
const restores: (() => void)[] = [];
afterEach(() => restores.splice(0).forEach((restore) => restore()));

/** Replaces one IDBObjectStore method until the test ends. */
function patchObjectStore<K extends 'put' | 'getAllKeys' | 'openCursor' | 'openKeyCursor'>(name: K, patched: IDBObjectStore[K]): void {
  const original = IDBObjectStore.prototype[name];
  IDBObjectStore.prototype[name] = patched;
  restores.push(() => void (IDBObjectStore.prototype[name] = original));
}

/** A store on a fresh, empty IndexedDB (a new factory holds no databases). */
function openFresh(): ReturnType<typeof createChunkStore> {
  globalThis.indexedDB = new IDBFactory();
  return createChunkStore();
}

describePieceStoreCompliance('IndexedDB store', () => {
  let full = false;
  const put = IDBObjectStore.prototype.put;
  // As e2e/quota.spec.ts does in the browser: a full disk makes IndexedDB refuse the write.
  patchObjectStore('put', function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
    if (full) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    return put.apply(this, args);
  });
  return { store: openFresh(), diskFull: (on) => void (full = on) };
});

/** Real item ids are hex SHA-256; the legacy key format was only ever written for them. */
const itemA = 'a'.repeat(64);
const itemB = 'b'.repeat(64);

/** The raw chunk database, as an earlier version of the app wrote it. */
const rawChunks = () => createStore('swarmdrop-chunks', 'chunks');

describe('IndexedDB chunk store', () => {
  it('reads chunks stored under the earlier `${itemId}/${index}` keys, next to new ones', async () => {
    const store = openFresh();
    const raw = rawChunks();
    for (const index of [0, 1, 10]) await set(legacyChunkKey(itemA, index), new Blob([new Uint8Array([index])]), raw);
    await set(legacyChunkKey(itemB, 3), new Blob([new Uint8Array([33])]), raw);
    await set('not-a-chunk', 'junk', raw);
    await store.putChunk(itemA, 2, new Uint8Array([2]));

    expect(await store.readChunk(itemA, 10)).toEqual(new Uint8Array([10]));
    expect(await store.heldChunksOf(itemA)).toEqual([0, 1, 2, 10]);
    expect(await store.heldChunks()).toEqual(new Map([[itemA, [0, 1, 2, 10]], [itemB, [3]]]));

    await store.deleteItem(itemA);
    expect(await store.heldChunks()).toEqual(new Map([[itemB, [3]]]));
    expect(await get('not-a-chunk', raw)).toBe('junk');
  });

  it("finds one item's chunks through key ranges, never a read of every key", async () => {
    const store = openFresh();
    await store.putChunk(itemA, 0, new Uint8Array([1]));
    const ranges: unknown[] = [];
    const getAllKeys = IDBObjectStore.prototype.getAllKeys;
    patchObjectStore('getAllKeys', function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['getAllKeys']>) {
      ranges.push(args[0]);
      return getAllKeys.apply(this, args);
    });
    const scan = () => {
      throw new Error('cursor scan');
    };
    patchObjectStore('openCursor', scan);
    patchObjectStore('openKeyCursor', scan);

    expect(await store.heldChunksOf(itemA)).toEqual([0]);
    await store.deleteItem(itemA);
    expect(ranges.length).toBeGreaterThan(0);
    expect(ranges.every((range) => range instanceof IDBKeyRange)).toBe(true);
  });

  it('keeps a Blob chunk and gives it back as a Blob', async () => {
    const store = openFresh();
    await store.putChunkBlob(itemA, 0, new Blob([new Uint8Array([4, 5, 6])]));
    const [blob, missing] = await store.chunkBlobs(itemA, 0, 2);
    expect(blob).toBeInstanceOf(Blob);
    expect(new Uint8Array((await blob?.arrayBuffer()) ?? new ArrayBuffer(0))).toEqual(new Uint8Array([4, 5, 6]));
    expect(missing).toBeNull();
  });

  it('keeps small chunks and manifests as bytes, and still reads manifests an earlier version kept as Blobs', async () => {
    const store = openFresh();
    const small = new Uint8Array(maxBytesChunkRecord).fill(7);
    const large = new Uint8Array(maxBytesChunkRecord + 1).fill(8);
    await Promise.all([store.putChunk(itemA, 0, small), store.putChunk(itemA, 1, large), store.putManifest(itemA, new Uint8Array([1, 2]))]);
    const raw = rawChunks();
    expect(await get(chunkRecordKey(itemA, 0), raw)).toBeInstanceOf(Uint8Array);
    expect(await get(chunkRecordKey(itemA, 1), raw)).toBeInstanceOf(Blob);
    expect(await store.readChunk(itemA, 0)).toEqual(small);
    expect(await store.readChunk(itemA, 1)).toEqual(large);
    const [smallBlob] = await store.chunkBlobs(itemA, 0, 1);
    expect(smallBlob).toBeInstanceOf(Blob);
    expect(new Uint8Array((await smallBlob?.arrayBuffer()) ?? new ArrayBuffer(0))).toEqual(small);
    expect(await store.getManifest(itemA)).toEqual(new Uint8Array([1, 2]));
    await set(itemB, new Blob([new Uint8Array([3, 4])]), createStore('swarmdrop-manifests', 'manifests'));
    expect(await store.getManifest(itemB)).toEqual(new Uint8Array([3, 4]));
  });

  it('writes many chunks put at once in a few transactions, each resolved once its transaction commits', async () => {
    const store = openFresh();
    await store.putChunk(itemB, 0, new Uint8Array([0])); // the database is open before counting
    let transactions = 0;
    const transaction = IDBDatabase.prototype.transaction;
    IDBDatabase.prototype.transaction = function (this: IDBDatabase, ...args: Parameters<IDBDatabase['transaction']>) {
      if (args[1] === 'readwrite') transactions++;
      return transaction.apply(this, args);
    } as typeof transaction;
    restores.push(() => void (IDBDatabase.prototype.transaction = transaction));
    const count = 1000;
    await Promise.all(Array.from({ length: count }, (_, i) => store.putChunk(itemA, i, new Uint8Array([i & 0xff]))));
    // Puts wait for the transaction under way and go in batches of at most maxPutsPerTransaction.
    expect(transactions).toBeGreaterThanOrEqual(Math.ceil(count / maxPutsPerTransaction));
    expect(transactions).toBeLessThanOrEqual(1 + Math.ceil(count / maxPutsPerTransaction));
    expect((await store.heldChunksOf(itemA)).length).toBe(count);
    expect(await store.readChunk(itemA, 999)).toEqual(new Uint8Array([999 & 0xff]));
  });

  it('rejects every put of a transaction that fails, and keeps none of them', async () => {
    const store = openFresh();
    await store.putChunk(itemB, 0, new Uint8Array([0]));
    const put = IDBObjectStore.prototype.put;
    let puts = 0;
    patchObjectStore('put', function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      // The third put of the batch finds the disk full.
      if (++puts === 3) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.apply(this, args);
    });
    const results = await Promise.allSettled([1, 2, 3, 4].map((i) => store.putChunk(itemA, i, new Uint8Array([i]))));
    expect(puts).toBe(3); // one transaction held all four
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
    expect(results[0]).toMatchObject({ reason: { code: storageFullCode } });
    expect(await store.heldChunksOf(itemA)).toEqual([]);
    expect(await store.heldChunksOf(itemB)).toEqual([0]);
  });

  it('passes other write errors through unchanged', async () => {
    const store = openFresh();
    patchObjectStore('put', () => {
      throw new DOMException('read only', 'ReadOnlyError');
    });
    await expect(store.putChunk(itemA, 0, new Uint8Array([1]))).rejects.toMatchObject({ name: 'ReadOnlyError' });
  });
});
