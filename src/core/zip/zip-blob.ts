// Builds a ZIP archive of Blobs as a Blob of Blobs: headers are small byte arrays, and each file's data
// is the file's own Blob, so nothing big is copied (in Chromium a Blob of stored Blobs stays on disk).
// The only pass over the data is the CRC-32, read one slice at a time.
import { utf8Encoder } from '../bytes';
import { crc32 } from './crc32';
import { dosStamp, layoutZip, type ZipEntryInfo } from './layout';

/** Bytes read per step of the CRC pass: one stored chunk's worth, the only buffer the pass holds. */
export const crcReadBytes = 1024 * 1024;

/**
 * Byte streams one archive may open. Chromium 156 leaves each file-backed Blob stream's resources to
 * the garbage collector, and after a few hundred such streams the next read never resolves (measured:
 * BYOB reads of picked files hung at the 252nd; cancelling each reader, at the 449th), which hung "Save
 * as ZIP" for folders of ~420 files. `arrayBuffer()` reads do not hang (700 of 700). So a Blob that fits
 * one read is read whole, and only the first few large ones stream (the memory-lean path for big files).
 */
export const maxStreamsPerArchive = 64;

/** One file of the archive: its entry name ('/' between folders) and its data. */
export interface ZipSource {
  readonly path: string;
  readonly blob: Blob;
  /** The data's CRC-32 when already known (a save works them out while checking chunks): not read again. */
  readonly crc?: number;
}

/** Options of `createZipBlob`. */
export interface ZipOptions {
  /** Modification time written for every entry. */
  readonly modified: Date;
  /** Called after each slice read, with bytes checksummed so far and in total. */
  readonly onProgress?: (doneBytes: number, totalBytes: number) => void;
  /** Stops the CRC pass early (the promise rejects with the signal's reason). */
  readonly signal?: AbortSignal;
}

/** The BYOB reader of a Blob's byte stream, or null where the engine's Blob streams are not byte streams. */
function byobReader(blob: Blob): ReadableStreamBYOBReader | null {
  const stream = blob.stream();
  try {
    return stream.getReader({ mode: 'byob' });
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    void stream.cancel(); // unread; its cancellation cannot fail in a way worth reporting
    return null;
  }
}

/**
 * CRC-32 of a Blob, read into one reused buffer of `crcReadBytes` (a BYOB read of its byte stream), so
 * checksumming a file of any size allocates nothing per step. Measured in Chromium saving a 600 MB
 * folder: JS heap + ArrayBuffers peaked 7 MB over idle this way, 125 MB with `slice().arrayBuffer()`
 * per step (garbage buffers awaiting collection, about a fifth of the bytes read).
 */
export async function blobCrc32(
  blob: Blob,
  onRead?: (bytes: number) => void,
  signal?: AbortSignal,
  mayStream = true,
): Promise<number> {
  const reader = mayStream && blob.size > crcReadBytes ? byobReader(blob) : null;
  let crc = 0;
  if (!reader) {
    for (let offset = 0; offset < blob.size; offset += crcReadBytes) {
      signal?.throwIfAborted();
      const slice = new Uint8Array(await blob.slice(offset, offset + crcReadBytes).arrayBuffer());
      crc = crc32(slice, crc);
      onRead?.(slice.length);
    }
    return crc;
  }
  let buffer = new ArrayBuffer(crcReadBytes);
  try {
    for (;;) {
      signal?.throwIfAborted();
      const { done, value } = await reader.read(new Uint8Array(buffer));
      if (done || !value) break;
      crc = crc32(value, crc);
      onRead?.(value.length);
      buffer = value.buffer; // the same memory, handed back by the stream
    }
  } catch (error) {
    await reader.cancel(error);
    throw error;
  }
  return crc;
}

/** A STORE (uncompressed) ZIP of `sources`, in their order, with UTF-8 names and ZIP64 where needed. */
export async function createZipBlob(sources: readonly ZipSource[], options: ZipOptions): Promise<Blob> {
  const totalBytes = sources.reduce((sum, s) => sum + s.blob.size, 0);
  let doneBytes = 0;
  let streams = 0;
  const entries: ZipEntryInfo[] = [];
  for (const source of sources) {
    if (source.crc !== undefined) {
      entries.push({ name: utf8Encoder.encode(source.path), size: source.blob.size, crc: source.crc });
      continue;
    }
    const mayStream = streams < maxStreamsPerArchive;
    if (mayStream && source.blob.size > crcReadBytes) streams += 1;
    const crc = await blobCrc32(
      source.blob,
      (bytes) => {
        doneBytes += bytes;
        options.onProgress?.(doneBytes, totalBytes);
      },
      options.signal,
      mayStream,
    );
    entries.push({ name: utf8Encoder.encode(source.path), size: source.blob.size, crc });
  }
  const layout = layoutZip(entries, dosStamp(options.modified));
  const parts = layout.parts.map((part) => (part instanceof Uint8Array ? (part as Uint8Array<ArrayBuffer>) : (sources[part.entry]?.blob as Blob)));
  return new Blob(parts, { type: 'application/zip' });
}
