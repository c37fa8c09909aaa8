// The one read a save makes before handing anything to the browser: every stored chunk it needs is
// read once, in order, checked against its SHA-256 in the manifest, and its file ranges handed on in
// order (a folder's save builds its ZIP from them). A chunk that is missing, the wrong size, unreadable or damaged is
// named, so the item can fetch it again instead of saving a broken file or hanging.
//
// The chunks are read as one Blob of the chunk Blobs through one byte stream into one reused buffer:
// one stream per save, whatever the file count (Chromium 156 stops answering after too many Blob
// streams in one page: see blob-stream.ts), and no garbage buffer per chunk (a `slice().arrayBuffer()`
// per megabyte peaked at 125 MB of heap saving 600 MB; the reused buffer at 7 MB).
import { openBlobStream } from './blob-stream';
import { bytesEqual, sha256 } from './bytes';
import { chunkLength, chunkSpans, type ChunkSpan } from './chunk-layout';
import { chunkHash, type Manifest } from './manifest';

/** What to check: chunks [first, end) of an item. */
export interface ContentCheckRequest {
  readonly manifest: Manifest;
  readonly firstChunk: number;
  readonly endChunk: number;
  /** The stored chunks first..end-1 as Blobs; null where storage has none. */
  readonly chunks: readonly (Blob | null)[];
  /**
   * Called with each file range of each verified chunk, in order, while no fault has been found
   * (`bytes` is only valid during the call: the buffer is reused).
   */
  readonly onSpan?: (span: ChunkSpan, bytes: Uint8Array) => void;
  /** Called after each chunk, with bytes checked so far and in total. */
  readonly onProgress?: (doneBytes: number, totalBytes: number) => void;
  /** Stops the pass early (the promise rejects with the signal's reason). */
  readonly signal?: AbortSignal;
}

/** Why a chunk cannot be used. */
export type ChunkFault = 'missing' | 'unreadable' | 'damaged';

/** The outcome: faults by chunk index (empty when all is well). */
export interface ContentCheck {
  readonly faults: ReadonlyMap<number, ChunkFault>;
}

/** Reads the next chunk's bytes into a buffer; throws if the source cannot be read. */
type ChunkReader = (blob: Blob, length: number) => Promise<Uint8Array>;

/** One byte stream over all the chunks, read into one buffer; null where Blob streams are not byte streams. */
function streamReader(blobs: readonly Blob[], maxLength: number): { read: ChunkReader; close: () => void } | null {
  const stream = openBlobStream(new Blob([...blobs]), maxLength);
  return stream && { read: (_blob, length) => stream.read(length), close: () => stream.close() };
}

/** A chunk at a time, each read whole: the fallback, and what follows a stream that failed. */
const readWhole: ChunkReader = async (blob) => new Uint8Array(await blob.arrayBuffer());

/** Checks the chunks a save needs; see the file comment. */
export async function checkContent(request: ContentCheckRequest): Promise<ContentCheck> {
  const { manifest, firstChunk, endChunk, chunks, signal } = request;
  const faults = new Map<number, ChunkFault>();
  const usable: { index: number; blob: Blob; length: number }[] = [];
  let totalBytes = 0;
  for (let index = firstChunk; index < endChunk; index++) {
    const blob = chunks[index - firstChunk] ?? null;
    const length = chunkLength(manifest.layout, index);
    totalBytes += length;
    if (!blob) faults.set(index, 'missing');
    else if (blob.size !== length) faults.set(index, 'damaged');
    else usable.push({ index, blob, length });
  }

  const maxLength = usable.reduce((max, c) => Math.max(max, c.length), 0);
  let stream = usable.length > 1 ? streamReader(usable.map((c) => c.blob), maxLength) : null;
  let doneBytes = 0;
  try {
    for (const { index, blob, length } of usable) {
      signal?.throwIfAborted();
      let bytes: Uint8Array | null = null;
      if (stream) {
        // A stream cannot go past a failed read: from here on each chunk is read on its own, this one first.
        bytes = await stream.read(blob, length).catch(() => null);
        if (!bytes) {
          stream.close();
          stream = null;
        }
      }
      // The fault names the chunk; the engine's own error says nothing more useful to the person.
      bytes ??= await readWhole(blob, length).catch(() => null);
      signal?.throwIfAborted();
      if (!bytes) {
        faults.set(index, 'unreadable');
        continue;
      }
      if (!bytesEqual(await sha256(bytes), chunkHash(manifest, index))) {
        faults.set(index, 'damaged');
        continue;
      }
      let at = 0;
      for (const span of faults.size === 0 && request.onSpan ? chunkSpans(manifest.layout, index) : []) {
        request.onSpan?.(span, bytes.subarray(at, at + span.length));
        at += span.length;
      }
      doneBytes += length;
      request.onProgress?.(doneBytes, totalBytes);
    }
  } finally {
    stream?.close();
  }
  return { faults };
}
