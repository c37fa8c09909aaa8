// One compliance suite for every PieceStore (the in-memory fake and the IndexedDB store): both
// must behave the same, or engine tests over the fake would prove nothing about the app.
import { describe, expect, it } from 'vitest';
import { isStorageFullError, type PieceStore } from '../core/ports';

/** What the suite exercises: the engine's port plus what resuming and deleting rooms use. */
export interface CompliantStore extends PieceStore {
  getManifest(itemId: string): Promise<Uint8Array | null>;
  heldChunks(): Promise<Map<string, number[]>>;
  heldChunksOf(itemId: string): Promise<number[]>;
  deleteItem(itemId: string): Promise<void>;
}

/** A fresh, empty store, and a switch that makes its chunk writes fail as a full disk does. */
export interface StoreUnderTest {
  readonly store: CompliantStore;
  diskFull(full: boolean): void;
}

/** Bytes in the big-chunk case: 1 MiB, the base chunk size (shared/MEASURED.md, "Storage and hashing"). */
const bigChunkBytes = 1024 * 1024;

/** Item ids that share all but their last hex digit, so a sloppy prefix or range match mixes them up. */
const itemA = `${'ab'.repeat(31)}c1`;
const itemB = `${'ab'.repeat(31)}c2`;

/** Distinct, recognisable bytes for one chunk. */
const bytesOf = (seed: number, length = 16): Uint8Array => Uint8Array.from({ length }, (_, i) => (seed * 31 + i) & 0xff);

/** Registers the suite under `name`; `open` is called once per case and must return an empty store. */
export function describePieceStoreCompliance(name: string, open: () => StoreUnderTest | Promise<StoreUnderTest>): void {
  describe(`PieceStore compliance: ${name}`, () => {
    it('returns a stored manifest, and null for one never stored', async () => {
      const { store } = await open();
      await store.putManifest(itemA, bytesOf(7, 300));
      expect(await store.getManifest(itemA)).toEqual(bytesOf(7, 300));
      expect(await store.getManifest(itemB)).toBeNull();
    });

    it('reads a chunk back byte for byte, as its own copy', async () => {
      const { store } = await open();
      const written = bytesOf(1);
      await store.putChunk(itemA, 0, written);
      written.fill(0);
      const read = await store.readChunk(itemA, 0);
      expect(read).toEqual(bytesOf(1));
      read?.fill(0);
      expect(await store.readChunk(itemA, 0)).toEqual(bytesOf(1));
    });

    it('reads null for a chunk it does not hold', async () => {
      const { store } = await open();
      await store.putChunk(itemA, 0, bytesOf(1));
      expect(await store.readChunk(itemA, 1)).toBeNull();
      expect(await store.readChunk(itemB, 0)).toBeNull();
    });

    it("lists each item's held chunks, and only that item's", async () => {
      const { store } = await open();
      for (const index of [10, 2, 0]) await store.putChunk(itemA, index, bytesOf(index));
      await store.putChunk(itemB, 1, bytesOf(99));
      expect(await store.heldChunksOf(itemA)).toEqual([0, 2, 10]);
      expect(await store.heldChunksOf(itemB)).toEqual([1]);
      expect(await store.heldChunksOf(`${'ab'.repeat(31)}c3`)).toEqual([]);
      const all = await store.heldChunks();
      expect([...all.keys()].sort()).toEqual([itemA, itemB]);
      expect(all.get(itemA)).toEqual([0, 2, 10]);
    });

    it("deletes an item's chunks and manifest, and nothing of another item", async () => {
      const { store } = await open();
      await store.putManifest(itemA, bytesOf(5));
      await store.putManifest(itemB, bytesOf(6));
      for (const index of [0, 1, 2]) {
        await store.putChunk(itemA, index, bytesOf(index));
        await store.putChunk(itemB, index, bytesOf(index + 50));
      }
      await store.deleteItem(itemA);
      expect(await store.heldChunksOf(itemA)).toEqual([]);
      expect(await store.readChunk(itemA, 1)).toBeNull();
      expect(await store.getManifest(itemA)).toBeNull();
      expect(await store.heldChunksOf(itemB)).toEqual([0, 1, 2]);
      expect(await store.readChunk(itemB, 2)).toEqual(bytesOf(52));
      expect(await store.getManifest(itemB)).toEqual(bytesOf(6));
    });

    it('keeps a 1 MiB chunk whole', async () => {
      const { store } = await open();
      const big = bytesOf(3, bigChunkBytes);
      await store.putChunk(itemA, 4, big);
      const read = await store.readChunk(itemA, 4);
      expect(read?.length).toBe(bigChunkBytes);
      // Buffer.equals compares 1 MiB at once; toEqual walks it element by element (seconds).
      expect(Buffer.from(read ?? []).equals(Buffer.from(big))).toBe(true);
    });

    it('rejects a write on a full disk with StorageFullError, keeping what it already held', async () => {
      const { store, diskFull } = await open();
      await store.putChunk(itemA, 0, bytesOf(0));
      diskFull(true);
      const failed = await store.putChunk(itemA, 1, bytesOf(1)).then(
        () => null,
        (error: unknown) => error,
      );
      expect(isStorageFullError(failed)).toBe(true);
      diskFull(false);
      expect(await store.heldChunksOf(itemA)).toEqual([0]);
      expect(await store.readChunk(itemA, 0)).toEqual(bytesOf(0));
      await store.putChunk(itemA, 1, bytesOf(1));
      expect(await store.heldChunksOf(itemA)).toEqual([0, 1]);
    });
  });
}
