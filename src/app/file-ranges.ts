// Bytes of one file of an item, read from the stored chunks, for previews and for media played while
// it downloads. Chunks not stored yet are waited for: the engine is told to fetch from there first
// (its streaming window), and each stored chunk is a verified one.
import { chunkAtFileByte, chunkLength, fileByteAfterChunk } from '../core/chunk-layout';
import type { SignedManifest } from '../core/manifest';
import type { EventSource } from '../core/events';
import type { SwarmEvent } from '../core/swarm/view-types';

/** What reading needs from the engine and the store. */
export interface FileRangeDeps {
  readonly manifestOf: (itemId: string) => SignedManifest | null;
  readonly holds: (itemId: string, chunkIndex: number) => boolean;
  /** Media plays from this chunk: fetch the window from there first. */
  readonly focus: (itemId: string, chunkIndex: number) => void;
  readonly events: EventSource<SwarmEvent>;
  /** Chunks [first, end) as Blobs, null where storage holds none. */
  readonly chunkBlobs: (itemId: string, first: number, end: number) => Promise<(Blob | null)[]>;
}

/** A piece of a file, and what the answer to a range request needs to say about the whole. */
export interface FileRange {
  readonly blob: Blob;
  /** Byte offsets in the file: [start, end). */
  readonly start: number;
  readonly end: number;
  readonly fileBytes: number;
  readonly mimeType: string;
}

/** Why a range could not be read. */
export class FileRangeError extends Error {
  constructor(
    readonly reason: 'unknown-item' | 'no-such-file' | 'out-of-range' | 'not-stored' | 'timed-out',
    message: string,
  ) {
    super(message);
    this.name = 'FileRangeError';
  }
}

/** What one read may wait for and cover. */
export interface ReadOptions {
  /** Longest piece returned: a range request asking to the end gets this much, and asks again for more. */
  readonly maxBytes: number;
  readonly signal?: AbortSignal;
  /**
   * Answer as soon as the first chunk is here, with it and the stored chunks right after it (a media
   * element asks again from where the answer ends); otherwise wait for the whole range.
   */
  readonly partial?: boolean;
}

/** Resolves once every chunk in [first, end) is stored; rejects when `signal` aborts. */
function whenStored(deps: FileRangeDeps, itemId: string, first: number, end: number, signal?: AbortSignal): Promise<void> {
  const missing = (): number[] => {
    const list: number[] = [];
    for (let chunk = first; chunk < end; chunk++) if (!deps.holds(itemId, chunk)) list.push(chunk);
    return list;
  };
  const waiting = missing();
  if (waiting.length === 0) return Promise.resolve();
  deps.focus(itemId, waiting[0] ?? first);
  return new Promise((resolve, reject) => {
    const stop = deps.events.subscribe((event) => {
      if (event.type !== 'chunk-stored' || event.itemId !== itemId || missing().length > 0) return;
      finish();
      resolve();
    });
    const onAbort = (): void => {
      finish();
      reject(new FileRangeError('timed-out', 'the pieces did not arrive in time'));
    };
    const finish = (): void => {
      stop();
      signal?.removeEventListener('abort', onAbort);
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort);
  });
}

/**
 * Reads bytes [start, end) of file `fileIndex` (end clipped to the file and to `maxBytes`), waiting for
 * chunks that are not stored yet. A range starting at or past the file's end is out of range.
 */
export async function readFileRange(deps: FileRangeDeps, itemId: string, fileIndex: number, start: number, end: number, options: ReadOptions): Promise<FileRange> {
  const signed = deps.manifestOf(itemId);
  if (!signed) throw new FileRangeError('unknown-item', 'this item is not in the room');
  const file = signed.manifest.files[fileIndex];
  if (!file) throw new FileRangeError('no-such-file', `the item has no file ${fileIndex}`);
  const fileBytes = file.size;
  const mimeType = file.type || 'application/octet-stream';
  const last = Math.min(end, fileBytes, start + options.maxBytes);
  if (start < 0 || (start >= fileBytes && fileBytes > 0) || last < start) throw new FileRangeError('out-of-range', `bytes from ${start} are outside the file`);
  if (last === start) return { blob: new Blob([], { type: mimeType }), start, end: start, fileBytes, mimeType };
  const { layout } = signed.manifest;
  const from = chunkAtFileByte(layout, fileIndex, start);
  const to = chunkAtFileByte(layout, fileIndex, last - 1);
  await whenStored(deps, itemId, from.chunk, options.partial ? from.chunk + 1 : to.chunk + 1, options.signal);
  if (options.partial) {
    let chunk = from.chunk;
    while (chunk < to.chunk && deps.holds(itemId, chunk + 1)) chunk++;
    if (chunk < to.chunk) return readFileRange(deps, itemId, fileIndex, start, fileByteAfterChunk(layout, fileIndex, chunk), { ...options, partial: false });
  }
  const blobs = await deps.chunkBlobs(itemId, from.chunk, to.chunk + 1);
  const parts: Blob[] = [];
  for (let chunk = from.chunk; chunk <= to.chunk; chunk++) {
    const blob = blobs[chunk - from.chunk];
    if (!blob) throw new FileRangeError('not-stored', `piece ${chunk} is no longer in this browser's storage`);
    const sliceStart = chunk === from.chunk ? from.offset : 0;
    const sliceEnd = chunk === to.chunk ? to.offset + 1 : chunkLength(layout, chunk);
    parts.push(blob.slice(sliceStart, sliceEnd));
  }
  return { blob: new Blob(parts, { type: mimeType }), start, end: last, fileBytes, mimeType };
}
