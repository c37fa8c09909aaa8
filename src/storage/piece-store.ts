// The only module that imports idb-keyval: chunks and manifests in IndexedDB, plus the files this
// tab shared (read straight from the File objects the person dropped, never copied into memory).
import { createStore, del, delMany, get, keys, set, type UseStore } from 'idb-keyval';
import { chunkSpan, type SignedManifest } from '../core/manifest';
import type { PieceStore } from '../core/ports';

/** IndexedDB database names: one object store each, as idb-keyval's createStore makes them. */
const chunkDbName = 'swarmdrop-chunks';
const manifestDbName = 'swarmdrop-manifests';

/** The browser's piece store, with the extras saving needs. */
export interface BrowserPieceStore extends PieceStore {
  /** Serves an item from files this tab holds (the sharer's own files). */
  addLocalItem(signed: SignedManifest, files: readonly File[]): void;
  /** One file of an item as a Blob built from stored chunk Blobs: disk-backed, never one big ArrayBuffer. */
  fileBlob(signed: SignedManifest, fileIndex: number): Promise<Blob>;
  /** A stored manifest's bytes, or null. */
  getManifest(itemId: string): Promise<Uint8Array | null>;
  /** Every stored chunk, as chunk indexes by item id. */
  heldChunks(): Promise<Map<string, number[]>>;
  /**
   * Copies a shared item's chunks from the dropped files into IndexedDB (File slices are stored as
   * Blobs, never read into JavaScript), skipping chunks already there, so the sharer keeps seeding
   * after a reload. Reports progress as chunks copied / chunk count.
   */
  keepLocalItem(signed: SignedManifest, onProgress?: (copied: number, total: number) => void): Promise<void>;
  /** Deletes an item's chunks and manifest. */
  deleteItem(itemId: string): Promise<void>;
}

const chunkKey = (itemId: string, chunkIndex: number): string => `${itemId}/${chunkIndex}`;

/** Splits a chunk key back into item id and index; null for a key that is not ours. */
function parseChunkKey(key: IDBValidKey): { itemId: string; chunkIndex: number } | null {
  if (typeof key !== 'string') return null;
  const match = /^([0-9a-f]{64})\/(\d+)$/.exec(key);
  return match?.[1] && match[2] ? { itemId: match[1], chunkIndex: Number(match[2]) } : null;
}

/** Opens the IndexedDB-backed store (databases are created on first use). */
export function createBrowserPieceStore(): BrowserPieceStore {
  const chunks: UseStore = createStore(chunkDbName, 'chunks');
  const manifests: UseStore = createStore(manifestDbName, 'manifests');
  const local = new Map<string, { signed: SignedManifest; files: readonly File[] }>();

  const localSlice = (itemId: string, chunkIndex: number): Blob | null => {
    const entry = local.get(itemId);
    if (!entry || chunkIndex < 0 || chunkIndex >= entry.signed.manifest.chunkCount) return null;
    const span = chunkSpan(entry.signed.manifest, chunkIndex);
    return entry.files[span.fileIndex]?.slice(span.offset, span.offset + span.length) ?? null;
  };

  const chunkBlob = async (itemId: string, chunkIndex: number): Promise<Blob | null> => {
    const fromFile = localSlice(itemId, chunkIndex);
    if (fromFile) return fromFile;
    const stored: unknown = await get(chunkKey(itemId, chunkIndex), chunks);
    return stored instanceof Blob ? stored : null;
  };

  const heldChunks = async (): Promise<Map<string, number[]>> => {
    const held = new Map<string, number[]>();
    for (const key of await keys(chunks)) {
      const parsed = parseChunkKey(key);
      if (!parsed) continue;
      const list = held.get(parsed.itemId) ?? [];
      list.push(parsed.chunkIndex);
      held.set(parsed.itemId, list);
    }
    return held;
  };

  return {
    heldChunks,
    async putManifest(itemId, bytes) {
      await set(itemId, new Blob([bytes as Uint8Array<ArrayBuffer>]), manifests);
    },
    async putChunk(itemId, chunkIndex, bytes) {
      await set(chunkKey(itemId, chunkIndex), new Blob([bytes as Uint8Array<ArrayBuffer>]), chunks);
    },
    async readChunk(itemId, chunkIndex) {
      const blob = await chunkBlob(itemId, chunkIndex);
      return blob ? new Uint8Array(await blob.arrayBuffer()) : null;
    },
    addLocalItem(signed, files) {
      local.set(signed.itemId, { signed, files });
    },
    async getManifest(itemId) {
      const stored: unknown = await get(itemId, manifests);
      return stored instanceof Blob ? new Uint8Array(await stored.arrayBuffer()) : null;
    },
    async keepLocalItem(signed, onProgress) {
      const stored = new Set((await heldChunks()).get(signed.itemId) ?? []);
      const total = signed.manifest.chunkCount;
      for (let i = 0; i < total; i++) {
        const slice = localSlice(signed.itemId, i);
        if (!stored.has(i)) {
          if (!slice) throw new Error(`chunk ${i} of ${signed.manifest.name} is no longer readable`);
          await set(chunkKey(signed.itemId, i), slice, chunks);
        }
        onProgress?.(i + 1, total);
      }
    },
    async deleteItem(itemId) {
      const mine = (await keys(chunks)).filter((key) => parseChunkKey(key)?.itemId === itemId);
      await delMany(mine, chunks);
      await del(itemId, manifests);
      local.delete(itemId);
    },
    async fileBlob(signed, fileIndex) {
      const { manifest } = signed;
      const file = manifest.files[fileIndex];
      if (!file) throw new RangeError(`no file ${fileIndex} in the item`);
      const first = manifest.firstChunkOfFile[fileIndex] ?? 0;
      const count = Math.ceil(file.size / manifest.chunkBytes);
      const parts: Blob[] = [];
      for (let i = first; i < first + count; i++) {
        const part = await chunkBlob(signed.itemId, i);
        if (!part) throw new Error(`chunk ${i} of ${file.path} is missing`);
        parts.push(part);
      }
      return new Blob(parts, { type: file.type || 'application/octet-stream' });
    },
  };
}
