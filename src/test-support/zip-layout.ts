// The reference layout of a whole STORE archive, laid out at once from sizes and CRCs: what the
// incremental builder (src/core/zip/zip-builder.ts) must produce byte for byte, and a way to test
// archives of any size without their data.
import { centralDirectoryHeader, endRecords, localFileHeader, type DosStamp, type ZipEntryInfo } from '../core/zip/layout';

/** An archive laid out: the byte parts in order, with each entry's data standing as its index. */
export interface ZipLayout {
  readonly parts: readonly (Uint8Array | { readonly entry: number })[];
  readonly totalBytes: number;
}

/** Lays out a whole archive: local header and data of each entry in order, then the directory and end records. */
export function layoutZip(entries: readonly ZipEntryInfo[], stamp: DosStamp): ZipLayout {
  const parts: (Uint8Array | { entry: number })[] = [];
  const offsets: number[] = [];
  let at = 0;
  entries.forEach((entry, index) => {
    const header = localFileHeader(entry, stamp);
    offsets.push(at);
    parts.push(header, { entry: index });
    at += header.length + entry.size;
  });
  const directoryOffset = at;
  entries.forEach((entry, index) => {
    const header = centralDirectoryHeader(entry, offsets[index] ?? 0, stamp);
    parts.push(header);
    at += header.length;
  });
  const end = endRecords({ entryCount: entries.length, offset: directoryOffset, size: at - directoryOffset });
  parts.push(end);
  return { parts, totalBytes: at + end.length };
}
