// The files a sharer dropped: chunks are served straight from the File objects (disk-backed
// slices, never read whole into memory), and copied into the chunk store in the background so the
// sharer keeps seeding after a reload. Stores nothing itself: the chunk store is passed in.
import { chunkSpans, type ChunkSpan } from '../core/chunk-layout';
import type { SignedManifest } from '../core/manifest';

/**
 * A chunk of dropped files as a Blob, unread: whole files as they are, a file's part as a slice.
 * Measured sharing 10,000 files of 10 KB in Chromium 156: each `File.slice` of a picked file took
 * ~0.2 ms (a round trip to the browser process), so slicing every file per request cost the sharer
 * 4.6 s of main thread; a small file inside one chunk is now never sliced. Null if a file is gone.
 */
export function chunkOfFiles(files: readonly (File | undefined)[], spans: readonly ChunkSpan[]): Blob | null {
  const parts: Blob[] = [];
  for (const span of spans) {
    const file = files[span.fileIndex];
    if (!file) return null;
    parts.push(span.offset === 0 && span.length === file.size ? file : file.slice(span.offset, span.offset + span.length));
  }
  return parts.length === 1 ? (parts[0] ?? null) : new Blob(parts);
}

/** What copying needs from the chunk store (the IndexedDB one in the app). */
export interface ChunkSink {
  /** One item's stored chunk indexes. */
  heldChunksOf(itemId: string): Promise<number[]>;
  /** Keeps a chunk given as a Blob; resolves once the write is durable. */
  putChunkBlob(itemId: string, chunkIndex: number, blob: Blob): Promise<void>;
}

/** The dropped files this tab serves, by item. */
export interface LocalFiles {
  /** Serves an item from files this tab holds (in the manifest's file order). */
  add(signed: SignedManifest, files: readonly File[]): void;
  /** A chunk of a local item as File slices, or null when this tab holds no file for it. */
  slice(itemId: string, chunkIndex: number): Blob | null;
  /** Stops serving an item from its files. */
  forget(itemId: string): void;
  /**
   * Copies an item's chunks from its files into `sink` as Blobs (File slices, never read into
   * JavaScript), skipping chunks already there. Reports progress as chunks done / chunk count.
   */
  copyInto(sink: ChunkSink, signed: SignedManifest, onProgress?: (copied: number, total: number) => void): Promise<void>;
}

/** Creates an empty set of local files. */
export function createLocalFiles(): LocalFiles {
  /** Each item's files, and the chunk Blobs made so far (each made once: see `chunkOfFiles`). */
  const local = new Map<string, { signed: SignedManifest; files: readonly File[]; chunks: Map<number, Blob> }>();

  const slice = (itemId: string, chunkIndex: number): Blob | null => {
    const entry = local.get(itemId);
    if (!entry || chunkIndex < 0 || chunkIndex >= entry.signed.manifest.chunkCount) return null;
    let chunk = entry.chunks.get(chunkIndex) ?? null;
    if (!chunk) {
      chunk = chunkOfFiles(entry.files, chunkSpans(entry.signed.manifest.layout, chunkIndex));
      if (chunk) entry.chunks.set(chunkIndex, chunk);
    }
    return chunk;
  };

  return {
    slice,
    add(signed, files) {
      local.set(signed.itemId, { signed, files, chunks: new Map() });
    },
    forget(itemId) {
      local.delete(itemId);
    },
    async copyInto(sink, signed, onProgress) {
      const stored = new Set(await sink.heldChunksOf(signed.itemId));
      const total = signed.manifest.chunkCount;
      for (let i = 0; i < total; i++) {
        if (!stored.has(i)) {
          const part = slice(signed.itemId, i);
          if (!part) throw new Error(`chunk ${i} of ${signed.manifest.name} is no longer readable`);
          await sink.putChunkBlob(signed.itemId, i, part);
        }
        onProgress?.(i + 1, total);
      }
    },
  };
}
