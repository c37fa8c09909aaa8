// Builds what "Save" hands to the browser: one file, or a folder as a ZIP. The stored chunks are
// checked first (src/core/content-check.ts), so a save either offers data that matches the manifest
// or names the chunks that must be fetched again; it never hands over a Blob that fails half-way.
// Nothing big is copied: a file is a slice of a Blob of the stored chunk Blobs, and a ZIP copies only
// small files (into a few segments, src/core/zip/zip-builder.ts).
import { chunkContentStart, filesChunkRange, type ChunkSpan } from '../core/chunk-layout';
import { checkContent, type ChunkFault, type ReadStall } from '../core/content-check';
import type { SignedManifest } from '../core/manifest';
import { isFolderItem } from '../core/share-plan';
import { crc32 } from '../core/zip/crc32';
import { createZipBuilder } from '../core/zip/zip-builder';

/** What saving reads from. */
export interface SaverDeps {
  /** Chunks [first, end) of an item as Blobs, null where storage holds none. */
  readonly chunkBlobs: (itemId: string, first: number, end: number) => Promise<(Blob | null)[]>;
}

/** The whole item (a loose file as itself, a folder as a ZIP), or one file of it. */
export type SaveTarget = { readonly kind: 'item' } | { readonly kind: 'file'; readonly fileIndex: number };

/** Chunks a save found missing, unreadable or damaged; the item must fetch them again. */
export class ChunkFaultsError extends Error {
  constructor(readonly faults: ReadonlyMap<number, ChunkFault>) {
    super(`${faults.size} stored chunks cannot be used`);
    this.name = 'ChunkFaultsError';
  }
}

/** Options of a save: progress of the check, and how to cancel it. */
export interface SaveOptions {
  readonly onProgress?: (doneBytes: number, totalBytes: number) => void;
  readonly signal?: AbortSignal;
  /** Modification time written into a ZIP. */
  readonly modified?: Date;
  /** Told when a read of the stored chunks stalled and was given up (src/core/content-check.ts). */
  readonly onStall?: (stall: ReadStall) => void;
}

/** The name a save is offered under. */
export function saveFileName(signed: SignedManifest, target: SaveTarget): string {
  const { name, files } = signed.manifest;
  if (target.kind === 'file') {
    const path = files[target.fileIndex]?.path ?? name;
    return path.split('/').pop() ?? path;
  }
  return isFolderItem(name, files) ? `${name}.zip` : name;
}

/** Bytes a save reads for its check (for progress before the check starts). */
export function saveBytes(signed: SignedManifest, target: SaveTarget): number {
  return target.kind === 'file' ? (signed.manifest.files[target.fileIndex]?.size ?? 0) : signed.manifest.totalBytes;
}

/** Files up to this size are copied into the ZIP's segments; bigger ones stay slices of the stored chunks. */
export const zipCopyMaxBytes = 1024 * 1024;

/**
 * Builds a folder's ZIP from the verified file ranges as they come, in file order: each file's CRC-32
 * grows span by span, and when a file's last byte arrives its entry is added (small files copied,
 * big ones as a slice of `fileBlob`). Files of 0 bytes have no ranges and are added as they are passed.
 */
function folderZipFeed(signed: SignedManifest, fileBlob: (f: number) => Blob, modified: Date) {
  const { files, name } = signed.manifest;
  const zip = createZipBuilder(modified);
  let next = 0;
  let current: { index: number; crc: number; copy: Uint8Array | null; filled: number } | null = null;
  const add = (f: number, crc: number, copy: Uint8Array | null): void => {
    const path = `${name}/${files[f]?.path ?? ''}`;
    if (copy) zip.addBytes(path, copy, crc);
    else zip.addBlob(path, fileBlob(f), crc);
  };
  const passEmptyFilesBefore = (f: number): void => {
    for (; next < f; next++) add(next, 0, new Uint8Array(0));
  };
  return {
    onSpan(span: ChunkSpan, bytes: Uint8Array): void {
      const size = files[span.fileIndex]?.size ?? 0;
      if (!current) {
        passEmptyFilesBefore(span.fileIndex);
        current = { index: span.fileIndex, crc: 0, copy: size <= zipCopyMaxBytes ? new Uint8Array(size) : null, filled: 0 };
      }
      current.crc = crc32(bytes, current.crc);
      current.copy?.set(bytes, current.filled);
      current.filled += bytes.length;
      if (current.filled < size) return;
      add(current.index, current.crc, current.copy);
      next = current.index + 1;
      current = null;
    },
    finish(): Blob {
      passEmptyFilesBefore(files.length);
      return zip.finish();
    },
  };
}

/** Checks the chunks a save needs and builds its Blob; rejects with ChunkFaultsError when some cannot be used. */
export async function buildSave(deps: SaverDeps, signed: SignedManifest, target: SaveTarget, options: SaveOptions = {}): Promise<Blob> {
  const { manifest } = signed;
  const { layout, files, name } = manifest;
  const folder = target.kind === 'item' && isFolderItem(name, files);
  const firstFile = target.kind === 'file' ? target.fileIndex : 0;
  const endFile = target.kind === 'file' ? target.fileIndex + 1 : files.length;
  if (!files[firstFile]) throw new RangeError(`no file ${firstFile} in the item`);
  const range = filesChunkRange(layout, firstFile, endFile);
  const chunks = await deps.chunkBlobs(signed.itemId, range.first, range.end);

  // The chunks in order are the files back to back, starting at the first chunk's place in the item.
  let content: Blob | null = null;
  const base = range.end > range.first ? chunkContentStart(layout, range.first) : 0;
  const fileBlob = (f: number): Blob => {
    content ??= new Blob(chunks.filter((c): c is Blob => c !== null));
    const start = (layout.contentStarts[f] ?? 0) - base;
    return content.slice(start, start + (files[f]?.size ?? 0), files[f]?.type || 'application/octet-stream');
  };
  const zip = folder ? folderZipFeed(signed, fileBlob, options.modified ?? new Date()) : null;
  const check = await checkContent({
    manifest,
    firstChunk: range.first,
    endChunk: range.end,
    chunks,
    ...(zip && { onSpan: zip.onSpan }),
    ...(options.onProgress && { onProgress: options.onProgress }),
    ...(options.signal && { signal: options.signal }),
    ...(options.onStall && { onStall: options.onStall }),
  });
  if (check.faults.size > 0) throw new ChunkFaultsError(check.faults);
  return zip ? zip.finish() : fileBlob(firstFile);
}
