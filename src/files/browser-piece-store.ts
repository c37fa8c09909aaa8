// The piece store the app runs on: a tab's own dropped files in front of the chunk store, so a
// sharer serves from its files at once while they are copied into IndexedDB in the background.
import type { SignedManifest } from '../core/manifest';
import type { PieceStore } from '../core/ports';
import { createLocalFiles, type ChunkSink, type LocalFiles } from './local-files';

/** What the composition needs from the chunk store (src/storage/chunk-store.ts in the app). */
export interface StoredPieces extends PieceStore, ChunkSink {
  getManifest(itemId: string): Promise<Uint8Array | null>;
  heldChunks(): Promise<Map<string, number[]>>;
  heldChunksOf(itemId: string): Promise<number[]>;
  chunkBlob(itemId: string, chunkIndex: number): Promise<Blob | null>;
  deleteItem(itemId: string): Promise<void>;
}

/** The browser's piece store, with the extras sharing, saving and resuming need. */
export interface BrowserPieceStore extends PieceStore {
  /** Serves an item from files this tab holds (the sharer's own files). */
  addLocalItem(signed: SignedManifest, files: readonly File[]): void;
  /** One file of an item as a Blob built from chunk Blobs: disk-backed, never one big ArrayBuffer. */
  fileBlob(signed: SignedManifest, fileIndex: number): Promise<Blob>;
  /** A stored manifest's bytes, or null. */
  getManifest(itemId: string): Promise<Uint8Array | null>;
  /** Every stored chunk, as chunk indexes by item id. */
  heldChunks(): Promise<Map<string, number[]>>;
  /** One item's stored chunk indexes (one IndexedDB key range). */
  heldChunksOf(itemId: string): Promise<number[]>;
  /**
   * Copies a shared item's chunks from the dropped files into storage, skipping chunks already
   * there, so the sharer keeps seeding after a reload. Reports progress as chunks copied / chunk count.
   */
  keepLocalItem(signed: SignedManifest, onProgress?: (copied: number, total: number) => void): Promise<void>;
  /** Deletes an item's chunks and manifest, and stops serving it from files. */
  deleteItem(itemId: string): Promise<void>;
}

/** Puts this tab's dropped files in front of `stored`. */
export function createBrowserPieceStore(stored: StoredPieces, local: LocalFiles = createLocalFiles()): BrowserPieceStore {
  const chunkBlob = async (itemId: string, chunkIndex: number): Promise<Blob | null> =>
    local.slice(itemId, chunkIndex) ?? stored.chunkBlob(itemId, chunkIndex);

  return {
    putManifest: (itemId, bytes) => stored.putManifest(itemId, bytes),
    putChunk: (itemId, chunkIndex, bytes) => stored.putChunk(itemId, chunkIndex, bytes),
    async readChunk(itemId, chunkIndex) {
      const fromFile = local.slice(itemId, chunkIndex);
      return fromFile ? new Uint8Array(await fromFile.arrayBuffer()) : stored.readChunk(itemId, chunkIndex);
    },
    getManifest: (itemId) => stored.getManifest(itemId),
    heldChunks: () => stored.heldChunks(),
    heldChunksOf: (itemId) => stored.heldChunksOf(itemId),
    addLocalItem: (signed, files) => local.add(signed, files),
    keepLocalItem: (signed, onProgress) => local.copyInto(stored, signed, onProgress),
    async deleteItem(itemId) {
      await stored.deleteItem(itemId);
      local.forget(itemId);
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
