// Describes dropped files as an item: reads each chunk from the File (a disk-backed slice) and hashes it.
import { createManifest, type SignedManifest } from '../core/manifest';

/** Builds the manifest of one dropped file. */
export async function describeFile(file: File): Promise<SignedManifest> {
  const entry = { path: file.name, size: file.size, type: file.type };
  const read = async (_fileIndex: number, offset: number, length: number): Promise<Uint8Array> =>
    new Uint8Array(await file.slice(offset, offset + length).arrayBuffer());
  return createManifest(file.name, [entry], read);
}
