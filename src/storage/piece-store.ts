// The only module that imports idb-keyval: chunks and manifests in IndexedDB, plus the files this
// tab shared (read straight from the File objects the person dropped, never copied into memory).
import { createStore, get, set, type UseStore } from 'idb-keyval';
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
}

const chunkKey = (itemId: string, chunkIndex: number): string => `${itemId}/${chunkIndex}`;

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

  return {
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
