// The piece store the app runs on: a tab's own dropped files in front of the chunk store, so a
// sharer serves from its files at once while they are copied into IndexedDB in the background.
import type { SignedManifest } from '../core/manifest';
import type { PieceStore } from '../core/ports';
import { createGroupedReader } from './grouped-reads';
import { createLocalFiles, type ChunkSink, type LocalFiles } from './local-files';

/** What the composition needs from the chunk store (src/storage/chunk-store.ts in the app). */
export interface StoredPieces extends PieceStore, ChunkSink {
  getManifest(itemId: string): Promise<Uint8Array | null>;
  heldChunks(): Promise<Map<string, number[]>>;
  heldChunksOf(itemId: string): Promise<number[]>;
  chunkBlobs(itemId: string, first: number, end: number): Promise<(Blob | null)[]>;
  deleteChunks(itemId: string, chunkIndexes: readonly number[]): Promise<void>;
  deleteItem(itemId: string): Promise<void>;
}

/** The browser's piece store, with the extras sharing, saving and resuming need. */
export interface BrowserPieceStore extends PieceStore {
  /** Serves an item from files this tab holds (the sharer's own files). */
  addLocalItem(signed: SignedManifest, files: readonly File[]): void;
  /** Chunks [first, end) of an item as Blobs (the dropped files' slices, or stored ones), null where none is held. */
  chunkBlobs(itemId: string, first: number, end: number): Promise<(Blob | null)[]>;
  /** Deletes stored chunks found damaged or unreadable (the item fetches them again). */
  deleteChunks(itemId: string, chunkIndexes: readonly number[]): Promise<void>;
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
  const readFile = createGroupedReader();
  return {
    putManifest: (itemId, bytes) => stored.putManifest(itemId, bytes),
    putChunk: (itemId, chunkIndex, bytes) => stored.putChunk(itemId, chunkIndex, bytes),
    readChunk(itemId, chunkIndex) {
      const fromFile = local.slice(itemId, chunkIndex);
      return fromFile ? readFile(fromFile) : stored.readChunk(itemId, chunkIndex);
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
    async chunkBlobs(itemId, first, end) {
      const kept = await stored.chunkBlobs(itemId, first, end);
      return kept.map((blob, k) => local.slice(itemId, first + k) ?? blob);
    },
    deleteChunks: (itemId, chunkIndexes) => stored.deleteChunks(itemId, chunkIndexes),
  };
}
