// Describes dropped files as an item: reads each chunk from the File (a disk-backed slice) and hashes it.
import { createManifest, type SignedManifest } from '../core/manifest';
import type { FolderFile } from '../core/share-plan';

/** Reads a byte range of a File without reading the rest. */
const readSlice = async (file: File | undefined, offset: number, length: number): Promise<Uint8Array> => {
  if (!file) throw new RangeError('no such file in the item');
  return new Uint8Array(await file.slice(offset, offset + length).arrayBuffer());
};

/** Builds the manifest of one dropped file. */
export async function describeFile(file: File): Promise<SignedManifest> {
  const entry = { path: file.name, size: file.size, type: file.type };
  return createManifest(file.name, [entry], (_fileIndex, offset, length) => readSlice(file, offset, length));
}

/** Builds the manifest of a folder: one item named `name`, its files in the given order under their relative paths. */
export async function describeFolder(name: string, files: readonly FolderFile<File>[]): Promise<SignedManifest> {
  const entries = files.map(({ path, file }) => ({ path, size: file.size, type: file.type }));
  return createManifest(name, entries, (fileIndex, offset, length) => readSlice(files[fileIndex]?.file, offset, length));
}
