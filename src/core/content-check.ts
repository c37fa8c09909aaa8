// The one read a save makes before handing anything to the browser: every stored chunk it needs is
// read once, in order, checked against its SHA-256 in the manifest, and its file ranges handed on in
// order (a folder's save builds its ZIP from them). A chunk that is missing, the wrong size, unreadable or damaged is
// named, so the item can fetch it again instead of saving a broken file or hanging.
//
// The chunks are read as one Blob of the chunk Blobs through one byte stream into one reused buffer:
// one stream per save, whatever the file count (Chromium 156 stops answering after too many Blob
// streams in one page: see blob-stream.ts), and no garbage buffer per chunk (a `slice().arrayBuffer()`
// per megabyte peaked at 125 MB of heap saving 600 MB; the reused buffer at 7 MB).
//
// A read that gives nothing for long is given up rather than waited on forever: a save that hangs
// with its progress bar frozen is worse than one that reads more slowly (a stalled stream hands the
// rest to chunk-by-chunk reads) or names a chunk to fetch again (a chunk that cannot be read alone).
import { openBlobStream } from './blob-stream';
import { bytesEqual, sha256 } from './bytes';
import { chunkLength, chunkSpans, type ChunkSpan } from './chunk-layout';
import { systemClock, type Clock } from './clock';
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
  /** Times the reads (default: the system clock). */
  readonly clock?: Clock;
  /** Told when a read gave nothing within its stall limit, and what is done instead. */
  readonly onStall?: (stall: ReadStall) => void;
}

/** Why a chunk cannot be used. */
export type ChunkFault = 'missing' | 'unreadable' | 'damaged';

/** The outcome: faults by chunk index (empty when all is well). */
export interface ContentCheck {
  readonly faults: ReadonlyMap<number, ChunkFault>;
}

/** A read given up: the stream's (the rest is read chunk by chunk) or one chunk's (it counts as unreadable). */
export interface ReadStall {
  readonly source: 'stream' | 'chunk';
  readonly chunkIndex: number;
  readonly afterMs: number;
}

/** A stream read that gives nothing for this long (ms) is given up: a 1 MiB read takes well under a second, even on a loaded 2-core machine. */
export const streamReadStallMs = 15_000;

/** A chunk read on its own that gives nothing for this long (ms) counts as unreadable, so the save ends and the chunk is fetched again. */
export const chunkReadStallMs = 30_000;

/** The read's bytes; null if it fails, or if it gives nothing within `ms` (then `onStalled` is called). */
async function readWithin(clock: Clock, ms: number, read: Promise<Uint8Array>, onStalled: () => void): Promise<Uint8Array | null> {
  let timer: ReturnType<Clock['setTimeout']> | undefined;
  const stalled = new Promise<'stalled'>((resolve) => (timer = clock.setTimeout(() => resolve('stalled'), ms)));
  try {
    const outcome = await Promise.race([read.catch(() => null), stalled]);
    if (outcome !== 'stalled') return outcome;
    onStalled();
    return null;
  } finally {
    if (timer !== undefined) clock.clearTimeout(timer);
  }
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
  const { manifest, firstChunk, endChunk, chunks, signal, clock = systemClock } = request;
  const read = (source: ReadStall['source'], chunkIndex: number, afterMs: number, bytes: Promise<Uint8Array>) =>
    readWithin(clock, afterMs, bytes, () => request.onStall?.({ source, chunkIndex, afterMs }));
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
        // A stalled read is given up the same way (closing the stream ends it).
        bytes = await read('stream', index, streamReadStallMs, stream.read(blob, length));
        if (!bytes) {
          stream.close();
          stream = null;
        }
      }
      // The fault names the chunk; the engine's own error says nothing more useful to the person.
      bytes ??= await read('chunk', index, chunkReadStallMs, readWhole(blob, length));
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
