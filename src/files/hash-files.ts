// Describes dropped files as an item: reads each chunk from the Files (disk-backed slices) and hashes it.
import { createManifest, type ReadSpans, type SignedManifest } from '../core/manifest';
import type { FolderFile } from '../core/share-plan';
import { chunkOfFiles } from './local-files';

/** Reads one chunk's file ranges in one read: a Blob of the files, so 100 small files are one read, not 100. */
const spansOf = (files: readonly (File | undefined)[]): ReadSpans => async (spans) => {
  const chunk = chunkOfFiles(files, spans);
  if (!chunk) throw new RangeError('no such file in the item');
  return new Uint8Array(await chunk.arrayBuffer());
};

/** Builds the manifest of one dropped file. */
export async function describeFile(file: File): Promise<SignedManifest> {
  const entry = { path: file.name, size: file.size, type: file.type };
  return createManifest(file.name, [entry], spansOf([file]));
}

/** Builds the manifest of a folder: one item named `name`, its files in the given order under their relative paths. */
export async function describeFolder(name: string, files: readonly FolderFile<File>[]): Promise<SignedManifest> {
  const entries = files.map(({ path, file }) => ({ path, size: file.size, type: file.type }));
  return createManifest(name, entries, spansOf(files.map((f) => f.file)));
}
