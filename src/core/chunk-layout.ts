// Where each chunk's bytes lie in an item's files.
//
// An item's content is its files back to back, in manifest order. Version 2 manifests cut that
// content into chunks of `chunkBytes` ("packed", as BitTorrent v1 pieces span files), so a folder of
// 10,000 small files is as few chunks as one file of the same size. Version 1 manifests started every
// file on a fresh chunk ("aligned"); they are still read, so rooms stored before v2 keep working.
// Either way, a chunk's bytes are the spans it covers, in order, and the chunks in order are the content.

/** How files sit on the chunk grid. */
export type LayoutKind = 'packed' | 'aligned';

/** A byte range of one file: one piece of a chunk. */
export interface ChunkSpan {
  readonly fileIndex: number;
  readonly offset: number;
  readonly length: number;
}

/** The chunk grid of an item, worked out once from its file sizes. */
export interface ChunkLayout {
  readonly kind: LayoutKind;
  readonly chunkBytes: number;
  readonly chunkCount: number;
  readonly totalBytes: number;
  readonly sizes: readonly number[];
  /** Where each file starts in the content (the files back to back). */
  readonly contentStarts: Float64Array;
  /** Where each file starts on the chunk grid: its content start when packed, a chunk boundary when aligned. */
  readonly gridStarts: Float64Array;
}

/** Lays out files of these sizes on a grid of `chunkBytes` chunks. */
export function planLayout(kind: LayoutKind, sizes: readonly number[], chunkBytes: number): ChunkLayout {
  const contentStarts = new Float64Array(sizes.length);
  const gridStarts = new Float64Array(sizes.length);
  let content = 0;
  let grid = 0;
  sizes.forEach((size, i) => {
    contentStarts[i] = content;
    gridStarts[i] = grid;
    content += size;
    grid += kind === 'packed' ? size : Math.ceil(size / chunkBytes) * chunkBytes;
  });
  return { kind, chunkBytes, chunkCount: Math.ceil(grid / chunkBytes), totalBytes: content, sizes, contentStarts, gridStarts };
}

function checkIndex(layout: ChunkLayout, chunkIndex: number): void {
  if (!Number.isInteger(chunkIndex) || chunkIndex < 0 || chunkIndex >= layout.chunkCount) {
    throw new RangeError(`chunk ${chunkIndex} is outside the item`);
  }
}

/** The first file whose grid range ends after `gridOffset` (grid ends never decrease, so a binary search). */
function fileEndingAfter(layout: ChunkLayout, gridOffset: number): number {
  let low = 0;
  let high = layout.sizes.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((layout.gridStarts[middle] ?? 0) + (layout.sizes[middle] ?? 0) > gridOffset) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** The file ranges chunk `chunkIndex` covers, in order. Throws on an index outside the item (a programming error). */
export function chunkSpans(layout: ChunkLayout, chunkIndex: number): ChunkSpan[] {
  checkIndex(layout, chunkIndex);
  const start = chunkIndex * layout.chunkBytes;
  const end = start + layout.chunkBytes;
  const spans: ChunkSpan[] = [];
  for (let f = fileEndingAfter(layout, start); f < layout.sizes.length; f++) {
    const fileStart = layout.gridStarts[f] ?? 0;
    if (fileStart >= end) break;
    const size = layout.sizes[f] ?? 0;
    const from = Math.max(start, fileStart);
    const to = Math.min(end, fileStart + size);
    if (to > from) spans.push({ fileIndex: f, offset: from - fileStart, length: to - from });
  }
  return spans;
}

/** Bytes in chunk `chunkIndex`. */
export function chunkLength(layout: ChunkLayout, chunkIndex: number): number {
  checkIndex(layout, chunkIndex);
  if (layout.kind === 'packed') return Math.min(layout.chunkBytes, layout.totalBytes - chunkIndex * layout.chunkBytes);
  return chunkSpans(layout, chunkIndex).reduce((sum, span) => sum + span.length, 0);
}

/** Where chunk `chunkIndex` starts in the content (the files back to back). */
export function chunkContentStart(layout: ChunkLayout, chunkIndex: number): number {
  checkIndex(layout, chunkIndex);
  if (layout.kind === 'packed') return chunkIndex * layout.chunkBytes;
  const first = chunkSpans(layout, chunkIndex)[0];
  return first ? (layout.contentStarts[first.fileIndex] ?? 0) + first.offset : 0;
}

/** The chunks holding any byte of file `fileIndex`: [first, end); empty for a 0-byte file. */
export function fileChunkRange(layout: ChunkLayout, fileIndex: number): { readonly first: number; readonly end: number } {
  const size = layout.sizes[fileIndex];
  if (size === undefined) throw new RangeError(`no file ${fileIndex} in the item`);
  const start = layout.gridStarts[fileIndex] ?? 0;
  if (size === 0) return { first: 0, end: 0 };
  return { first: Math.floor(start / layout.chunkBytes), end: Math.ceil((start + size) / layout.chunkBytes) };
}

/** The chunks holding any byte of the files [firstFile, endFile): [first, end). */
export function filesChunkRange(layout: ChunkLayout, firstFile: number, endFile: number): { readonly first: number; readonly end: number } {
  let first = Infinity;
  let end = 0;
  for (let f = firstFile; f < endFile; f++) {
    const range = fileChunkRange(layout, f);
    if (range.end > range.first) {
      first = Math.min(first, range.first);
      end = Math.max(end, range.end);
    }
  }
  return end === 0 ? { first: 0, end: 0 } : { first, end };
}

/** The chunk holding byte `byte` of file `fileIndex`, and that byte's offset inside the chunk. */
export function chunkAtFileByte(layout: ChunkLayout, fileIndex: number, byte: number): { readonly chunk: number; readonly offset: number } {
  const grid = (layout.gridStarts[fileIndex] ?? 0) + byte;
  const chunk = Math.floor(grid / layout.chunkBytes);
  return { chunk, offset: grid - chunk * layout.chunkBytes };
}

/** Where chunk `chunkIndex` ends, as a byte offset of file `fileIndex` (past the file's end if the chunk runs on). */
export function fileByteAfterChunk(layout: ChunkLayout, fileIndex: number, chunkIndex: number): number {
  return (chunkIndex + 1) * layout.chunkBytes - (layout.gridStarts[fileIndex] ?? 0);
}
