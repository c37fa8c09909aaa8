// Describes dropped files as an item: reads each chunk from the Files (disk-backed slices) and hashes it.
// A large file's chunks come through one byte stream into one reused buffer; small files' chunks one
// read per chunk, several ahead (core/chunk-sequence.ts).
import { longFileRuns, runFileRange, type ChunkSource, type ReadSpans } from '../core/chunk-sequence';
import { openBlobStream } from '../core/blob-stream';
import { createManifest, type SignedManifest } from '../core/manifest';
import type { FolderFile } from '../core/share-plan';
import { chunkOfFiles } from './local-files';

/**
 * Files from this size on are streamed: their chunks are many and one stream is cheap; smaller ones are
 * read a chunk at a time (Chromium reads the files of one stream one after another: 10,000 files of
 * 10 KB took 3.0 s through streams, 0.8 s in chunk reads four at a time).
 */
const minStreamedFileBytes = 16 * 1024 * 1024;
/** Streams one item's hashing may open: well under the ~2,900 after which Chromium 156 stops answering. */
const maxStreamsPerItem = 256;

/** Reads one chunk's file ranges in one read: a Blob of the files, so 100 small files are one read, not 100. */
const spansOf = (files: readonly (File | undefined)[]): ReadSpans => async (spans) => {
  const chunk = chunkOfFiles(files, spans);
  if (!chunk) throw new RangeError('no such file in the item');
  return new Uint8Array(await chunk.arrayBuffer());
};

/** The Files' chunks: long files streamed, the rest read by chunk. */
function sourceOf(files: readonly (File | undefined)[]): ChunkSource {
  return {
    read: spansOf(files),
    runs: (layout) => longFileRuns(layout, minStreamedFileBytes, maxStreamsPerItem),
    openRun(layout, run, maxLength) {
      const range = runFileRange(layout, run);
      const file = range && files[range.fileIndex];
      return range && file ? openBlobStream(file.slice(range.start, range.end), maxLength) : null;
    },
  };
}

/** Builds the manifest of one dropped file. */
export async function describeFile(file: File): Promise<SignedManifest> {
  const entry = { path: file.name, size: file.size, type: file.type };
  return createManifest(file.name, [entry], sourceOf([file]));
}

/** Builds the manifest of a folder: one item named `name`, its files in the given order under their relative paths. */
export async function describeFolder(name: string, files: readonly FolderFile<File>[]): Promise<SignedManifest> {
  const entries = files.map(({ path, file }) => ({ path, size: file.size, type: file.type }));
  return createManifest(name, entries, sourceOf(files.map((f) => f.file)));
}
