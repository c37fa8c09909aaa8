// The manifest of a shared item: what it holds, how it is chunked, and one SHA-256 per chunk.
// itemId = SHA-256 of the canonical manifest bytes, so a manifest proves itself against its id.
import { fromBase64Url, sha256, toBase64Url, toHex, utf8Decoder, utf8Encoder } from './bytes';
import {
  baseChunkBytes,
  maxChunkBytes,
  maxChunksPerItem,
  maxFilesPerItem,
  maxItemBytes,
  maxManifestBytes,
  maxPathChars,
} from './protocol/limits';

/** Bytes in one chunk hash (SHA-256). */
export const hashBytes = 32;

/** One file of an item; `path` uses '/' between folders. */
export interface ManifestFile {
  readonly path: string;
  readonly size: number;
  readonly type: string;
}

/** A parsed, validated manifest with its chunk plan worked out. */
export interface Manifest {
  readonly name: string;
  readonly chunkBytes: number;
  readonly files: readonly ManifestFile[];
  /** All chunk hashes, concatenated (chunk i at i * 32). */
  readonly hashes: Uint8Array;
  readonly totalBytes: number;
  readonly chunkCount: number;
  /** For each file, the index of its first chunk; a file's chunks are consecutive. */
  readonly firstChunkOfFile: readonly number[];
}

/** A manifest with its canonical bytes and id (hex of SHA-256 of the bytes). */
export interface SignedManifest {
  readonly itemId: string;
  readonly bytes: Uint8Array;
  readonly manifest: Manifest;
}

/** Where a chunk's bytes live: a byte range of one file. */
export interface ChunkSpan {
  readonly fileIndex: number;
  readonly offset: number;
  readonly length: number;
}

/** Picks the chunk size: 1 MiB, doubled until the item fits `maxChunksPerItem` chunks (at most 16 MiB). */
export function chooseChunkBytes(totalBytes: number): number {
  let chunkBytes = baseChunkBytes;
  while (totalBytes / chunkBytes > maxChunksPerItem && chunkBytes < maxChunkBytes) chunkBytes *= 2;
  return chunkBytes;
}

/** Chunks a file of `size` bytes needs: a 0-byte file needs none. */
export function chunksForSize(size: number, chunkBytes: number): number {
  return Math.ceil(size / chunkBytes);
}

function planFirstChunks(files: readonly ManifestFile[], chunkBytes: number): { first: number[]; count: number } {
  const first: number[] = [];
  let count = 0;
  for (const file of files) {
    first.push(count);
    count += chunksForSize(file.size, chunkBytes);
  }
  return { first, count };
}

/** The file range a chunk covers. Throws on an index outside the item (a programming error). */
export function chunkSpan(manifest: Manifest, chunkIndex: number): ChunkSpan {
  if (!Number.isInteger(chunkIndex) || chunkIndex < 0 || chunkIndex >= manifest.chunkCount) {
    throw new RangeError(`chunk ${chunkIndex} is outside the item`);
  }
  let fileIndex = manifest.files.length - 1;
  while (fileIndex > 0 && (manifest.firstChunkOfFile[fileIndex] ?? 0) > chunkIndex) fileIndex--;
  const file = manifest.files[fileIndex] as ManifestFile;
  const offset = (chunkIndex - (manifest.firstChunkOfFile[fileIndex] ?? 0)) * manifest.chunkBytes;
  return { fileIndex, offset, length: Math.min(manifest.chunkBytes, file.size - offset) };
}

/** The expected hash of one chunk. */
export function chunkHash(manifest: Manifest, chunkIndex: number): Uint8Array {
  return manifest.hashes.subarray(chunkIndex * hashBytes, (chunkIndex + 1) * hashBytes);
}

function canonicalBytes(name: string, chunkBytes: number, files: readonly ManifestFile[], hashes: Uint8Array): Uint8Array {
  const fields = files.map((f) => ({ path: f.path, size: f.size, type: f.type }));
  const text = JSON.stringify({ v: 1, name, chunkBytes, files: fields, hashes: toBase64Url(hashes) });
  return utf8Encoder.encode(text);
}

/**
 * Why a file path cannot be in a manifest, or null if it can. Paths are relative, '/'-separated, and
 * safe to recreate anywhere: no empty, '.' or '..' segment, no backslash (a separator on Windows), no NUL.
 */
export function pathProblem(path: string): PathProblem | null {
  if (path.length === 0) return 'empty';
  if (path.length > maxPathChars) return 'too-long';
  if (path.includes('\\')) return 'backslash';
  if (path.includes('\0')) return 'nul';
  if (!path.split('/').every((part) => part !== '' && part !== '.' && part !== '..')) return 'bad-part';
  return null;
}

/** Why a path cannot be shared, as a code (src/app/messages.ts words it). */
export type PathProblem = 'empty' | 'too-long' | 'backslash' | 'nul' | 'bad-part';

const isValidPath = (path: string): boolean => pathProblem(path) === null;

function isValidFile(value: unknown): value is ManifestFile {
  if (typeof value !== 'object' || value === null) return false;
  const file = value as Record<string, unknown>;
  return (
    Object.keys(file).length === 3 &&
    typeof file.path === 'string' &&
    isValidPath(file.path) &&
    typeof file.size === 'number' &&
    Number.isSafeInteger(file.size) &&
    file.size >= 0 &&
    typeof file.type === 'string' &&
    file.type.length <= 255
  );
}

function buildManifest(name: string, chunkBytes: number, files: readonly ManifestFile[], hashes: Uint8Array): Manifest | null {
  const { first, count } = planFirstChunks(files, chunkBytes);
  const totalBytes = files.reduce((sum, f) => sum + f.size, 0);
  if (totalBytes > maxItemBytes || hashes.length !== count * hashBytes) return null;
  return { name, chunkBytes, files, hashes, totalBytes, chunkCount: count, firstChunkOfFile: first };
}

/**
 * Parses and validates manifest bytes, and checks they hash to `expectedItemId` (hex).
 * Returns null for anything malformed, non-canonical, over the limits, or not matching the id.
 */
export async function parseManifest(bytes: Uint8Array, expectedItemId: string): Promise<SignedManifest | null> {
  if (bytes.length > maxManifestBytes) return null;
  if (toHex(await sha256(bytes)) !== expectedItemId) return null;
  let value: unknown;
  try {
    value = JSON.parse(utf8Decoder.decode(bytes));
  } catch {
    return null; // not UTF-8 or not JSON: an invalid manifest, reported by the caller
  }
  if (typeof value !== 'object' || value === null) return null;
  const raw = value as Record<string, unknown>;
  if (raw.v !== 1 || typeof raw.name !== 'string' || !isValidPath(raw.name) || raw.name.includes('/')) return null;
  if (typeof raw.chunkBytes !== 'number' || !Number.isInteger(raw.chunkBytes)) return null;
  if (raw.chunkBytes < 1 || raw.chunkBytes > maxChunkBytes) return null;
  if (!Array.isArray(raw.files) || raw.files.length === 0 || raw.files.length > maxFilesPerItem) return null;
  if (!raw.files.every(isValidFile) || typeof raw.hashes !== 'string') return null;
  const hashes = fromBase64Url(raw.hashes);
  if (!hashes) return null;
  const files = raw.files as ManifestFile[];
  const manifest = buildManifest(raw.name, raw.chunkBytes, files, hashes);
  if (!manifest) return null;
  const canonical = canonicalBytes(manifest.name, manifest.chunkBytes, files, hashes);
  if (canonical.length !== bytes.length || !canonical.every((b, i) => b === bytes[i])) return null;
  return { itemId: expectedItemId, bytes, manifest };
}

/** Reads `length` bytes at `offset` of file `fileIndex` of the item being described. */
export type ReadFileRange = (fileIndex: number, offset: number, length: number) => Promise<Uint8Array>;

/** Builds the manifest of local files: chunks them and hashes every chunk. */
export async function createManifest(
  name: string,
  files: readonly ManifestFile[],
  read: ReadFileRange,
  chunkBytes = chooseChunkBytes(files.reduce((sum, f) => sum + f.size, 0)),
): Promise<SignedManifest> {
  const { count } = planFirstChunks(files, chunkBytes);
  const hashes = new Uint8Array(count * hashBytes);
  const draft = buildManifest(name, chunkBytes, files, hashes);
  if (!draft || files.length === 0 || files.length > maxFilesPerItem || !files.every(isValidFile)) {
    throw new Error('these files cannot be shared as one item (too many, too large, or invalid names)');
  }
  for (let i = 0; i < count; i++) {
    const span = chunkSpan(draft, i);
    hashes.set(await sha256(await read(span.fileIndex, span.offset, span.length)), i * hashBytes);
  }
  const bytes = canonicalBytes(name, chunkBytes, files, hashes);
  if (bytes.length > maxManifestBytes) throw new Error('the item has too many files or chunks to describe');
  return { itemId: toHex(await sha256(bytes)), bytes, manifest: draft };
}
