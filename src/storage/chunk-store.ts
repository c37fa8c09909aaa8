// Verified chunks and manifests in IndexedDB (with src/storage/rooms-store.ts, the only code that
// imports idb-keyval). Chunks are stored as Blobs, so large items stay disk-backed; one item's
// chunks are found through a key range (src/storage/chunk-keys.ts), never a scan of every key.
import { createStore, del, get, promisifyRequest, type UseStore } from 'idb-keyval';
import { createBatchedPut } from './batched-writes';
import { StorageFullError, type PieceStore } from '../core/ports';
import {
  chunkRecordKey,
  itemLegacyRange,
  itemRecordRange,
  legacyChunkKey,
  parseChunkRecordKey,
} from './chunk-keys';

/** IndexedDB database names: one object store each, as idb-keyval's createStore makes them. */
const chunkDbName = 'swarmdrop-chunks';
const manifestDbName = 'swarmdrop-manifests';

/** The IndexedDB piece store: the engine's PieceStore plus what saving, resuming and deleting need. */
export interface ChunkStore extends PieceStore {
  /** A stored manifest's bytes, or null. */
  getManifest(itemId: string): Promise<Uint8Array | null>;
  /** Every stored chunk, as chunk indexes by item id (reads every key: for listing all rooms). */
  heldChunks(): Promise<Map<string, number[]>>;
  /** One item's stored chunk indexes, ascending (a key range read). */
  heldChunksOf(itemId: string): Promise<number[]>;
  /** Keeps a chunk given as a Blob (a File slice stays unread by JavaScript). */
  putChunkBlob(itemId: string, chunkIndex: number, blob: Blob): Promise<void>;
  /** Chunks [first, end) of an item as Blobs, null where none is stored (one transaction). */
  chunkBlobs(itemId: string, first: number, end: number): Promise<(Blob | null)[]>;
  /** Deletes some chunks of an item (found damaged or unreadable). */
  deleteChunks(itemId: string, chunkIndexes: readonly number[]): Promise<void>;
  /** Deletes an item's chunks and manifest. */
  deleteItem(itemId: string): Promise<void>;
}

/** IndexedDB's quota error becomes the core's StorageFullError, so the engine pauses instead of failing. */
function asStorageError(error: unknown): unknown {
  const { name, message } = (typeof error === 'object' && error !== null ? error : {}) as { name?: unknown; message?: unknown };
  return name === 'QuotaExceededError' ? new StorageFullError(typeof message === 'string' ? message : undefined) : error;
}

/** Wraps bytes as a Blob (IndexedDB copies it; the caller's buffer is not kept). */
const blobOf = (bytes: Uint8Array): Blob => new Blob([bytes as Uint8Array<ArrayBuffer>]);

/**
 * Chunks up to this many bytes are stored as bytes, not Blobs: making a Blob is a round trip to the
 * browser process (~0.4 ms each, measured with 2,000 small files), more than a small copy costs.
 * Bigger chunks stay Blobs, so large items remain disk-backed.
 */
export const maxBytesChunkRecord = 64 * 1024;

/** A stored chunk or manifest record as bytes or a Blob (records are Blobs, or bytes when small); null if neither. */
const asRecord = (value: unknown): Blob | Uint8Array | null => (value instanceof Blob || value instanceof Uint8Array ? value : null);
const asBlob = (record: Blob | Uint8Array | null): Blob | null =>
  record instanceof Uint8Array ? new Blob([record as Uint8Array<ArrayBuffer>]) : record;

/** Opens the IndexedDB-backed store (databases are created on first use). */
export function createChunkStore(): ChunkStore {
  const chunks: UseStore = createStore(chunkDbName, 'chunks');
  const manifests: UseStore = createStore(manifestDbName, 'manifests');

  /** One put, resolved when its transaction commits (durable); puts made meanwhile share a transaction. */
  const putChunkRecord = createBatchedPut(chunks, asStorageError);
  const writeChunk = (itemId: string, chunkIndex: number, record: Blob | Uint8Array): Promise<void> => putChunkRecord(chunkRecordKey(itemId, chunkIndex), record);
  const putManifestRecord = createBatchedPut(manifests, asStorageError);

  /** Chunk records [first, end) in one transaction; both key formats are asked, at most one holds each chunk. */
  const chunkRecords = (itemId: string, first: number, end: number): Promise<(Blob | Uint8Array | null)[]> =>
    chunks('readonly', (store) =>
      Promise.all(
        Array.from({ length: Math.max(0, end - first) }, async (_, k) => {
          const [current, legacy] = await Promise.all([
            promisifyRequest<unknown>(store.get(chunkRecordKey(itemId, first + k))),
            promisifyRequest<unknown>(store.get(legacyChunkKey(itemId, first + k))),
          ]);
          return asRecord(current) ?? asRecord(legacy);
        }),
      ),
    );
  const chunkBlobs = async (itemId: string, first: number, end: number): Promise<(Blob | null)[]> =>
    (await chunkRecords(itemId, first, end)).map(asBlob);

  return {
    // Copies: the write happens when the next transaction starts, and the caller may reuse its buffer.
    putManifest: (itemId, bytes) => putManifestRecord(itemId, bytes.slice()),
    putChunk: (itemId, chunkIndex, bytes) => writeChunk(itemId, chunkIndex, bytes.length <= maxBytesChunkRecord ? bytes.slice() : blobOf(bytes)),
    putChunkBlob: writeChunk,
    async readChunk(itemId, chunkIndex) {
      const [record = null] = await chunkRecords(itemId, chunkIndex, chunkIndex + 1);
      return record instanceof Blob ? new Uint8Array(await record.arrayBuffer()) : record;
    },
    chunkBlobs,
    async deleteChunks(itemId, chunkIndexes) {
      await chunks('readwrite', (store) => {
        for (const index of chunkIndexes) {
          store.delete(chunkRecordKey(itemId, index));
          store.delete(legacyChunkKey(itemId, index));
        }
        return promisifyRequest(store.transaction);
      });
    },
    async getManifest(itemId) {
      // Manifests are stored as bytes; ones written by earlier versions are Blobs.
      const stored = asRecord(await get(itemId, manifests));
      return stored instanceof Blob ? new Uint8Array(await stored.arrayBuffer()) : stored;
    },
    async heldChunks() {
      const allKeys = await chunks('readonly', (store) => promisifyRequest(store.getAllKeys()));
      const held = new Map<string, Set<number>>();
      for (const key of allKeys) {
        const parsed = parseChunkRecordKey(key);
        if (parsed) held.set(parsed.itemId, (held.get(parsed.itemId) ?? new Set()).add(parsed.chunkIndex));
      }
      return new Map([...held].map(([itemId, indexes]) => [itemId, [...indexes].sort((a, b) => a - b)]));
    },
    async heldChunksOf(itemId) {
      const [current, legacy] = await chunks('readonly', (store) =>
        Promise.all([
          promisifyRequest(store.getAllKeys(itemRecordRange(itemId))),
          promisifyRequest(store.getAllKeys(itemLegacyRange(itemId))),
        ]),
      );
      const indexes = new Set<number>();
      for (const key of [...current, ...legacy]) {
        const parsed = parseChunkRecordKey(key);
        if (parsed?.itemId === itemId) indexes.add(parsed.chunkIndex);
      }
      return [...indexes].sort((a, b) => a - b);
    },
    async deleteItem(itemId) {
      await chunks('readwrite', (store) => {
        store.delete(itemRecordRange(itemId));
        store.delete(itemLegacyRange(itemId));
        return promisifyRequest(store.transaction);
      });
      await del(itemId, manifests);
    },
  };
}
