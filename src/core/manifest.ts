// The manifest of a shared item: what it holds, how it is chunked, and one SHA-256 per chunk.
// itemId = SHA-256 of the canonical manifest bytes, so a manifest proves itself against its id.
// New manifests are version 2 (files packed back to back across chunks); version 1 (each file on
// fresh chunks) is still parsed, for items stored before (src/core/chunk-layout.ts).
import { planLayout, type ChunkLayout, type ChunkSpan, type LayoutKind } from './chunk-layout';
import { fromBase64Url, sha256, toBase64Url, toHex, utf8Decoder, utf8Encoder } from './bytes';
import { readChunksInOrder, type ChunkSource, type ReadSpans } from './chunk-sequence';
import {
  baseChunkBytes,
  minChunkBytes,
  minChunksPerItem,
  maxChunkBytes,
  maxChunksPerItem,
  maxFilesPerItem,
  maxItemBytes,
  maxManifestBytes,
  maxPathChars,
} from './protocol/limits';

export type { ReadSpans } from './chunk-sequence';

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
  /** 2 for packed chunks, 1 for the old file-aligned ones. */
  readonly version: ManifestVersion;
  /** Where each chunk's bytes lie in the files. */
  readonly layout: ChunkLayout;
}

/** Manifest versions this code reads; it writes `currentManifestVersion`. */
export type ManifestVersion = 1 | 2;

/** The version new manifests are written in: small files share chunks. */
export const currentManifestVersion: ManifestVersion = 2;

const layoutOf: Record<ManifestVersion, LayoutKind> = { 1: 'aligned', 2: 'packed' };

/** A manifest with its canonical bytes and id (hex of SHA-256 of the bytes). */
export interface SignedManifest {
  readonly itemId: string;
  readonly bytes: Uint8Array;
  readonly manifest: Manifest;
}

export type { ChunkSpan };

/**
 * Picks the chunk size: under 256 MiB, the largest power of two from 64 KiB to 1 MiB that still gives
 * `minChunksPerItem` chunks; from there 1 MiB, doubled until the item fits `maxChunksPerItem` chunks (at most 16 MiB).
 */
export function chooseChunkBytes(totalBytes: number): number {
  let chunkBytes = baseChunkBytes;
  while (chunkBytes > minChunkBytes && totalBytes / chunkBytes < minChunksPerItem) chunkBytes /= 2;
  while (totalBytes / chunkBytes > maxChunksPerItem && chunkBytes < maxChunkBytes) chunkBytes *= 2;
  return chunkBytes;
}

/** The expected hash of one chunk. */
export function chunkHash(manifest: Manifest, chunkIndex: number): Uint8Array {
  return manifest.hashes.subarray(chunkIndex * hashBytes, (chunkIndex + 1) * hashBytes);
}

function canonicalBytes(version: ManifestVersion, name: string, chunkBytes: number, files: readonly ManifestFile[], hashes: Uint8Array): Uint8Array {
  const fields = files.map((f) => ({ path: f.path, size: f.size, type: f.type }));
  const text = JSON.stringify({ v: version, name, chunkBytes, files: fields, hashes: toBase64Url(hashes) });
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

function buildManifest(version: ManifestVersion, name: string, chunkBytes: number, files: readonly ManifestFile[], hashes: Uint8Array): Manifest | null {
  const layout = planLayout(layoutOf[version], files.map((f) => f.size), chunkBytes);
  const { totalBytes, chunkCount } = layout;
  if (totalBytes > maxItemBytes || hashes.length !== chunkCount * hashBytes) return null;
  return { name, chunkBytes, files, hashes, totalBytes, chunkCount, version, layout };
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
  if ((raw.v !== 1 && raw.v !== 2) || typeof raw.name !== 'string' || !isValidPath(raw.name) || raw.name.includes('/')) return null;
  if (typeof raw.chunkBytes !== 'number' || !Number.isInteger(raw.chunkBytes)) return null;
  if (raw.chunkBytes < 1 || raw.chunkBytes > maxChunkBytes) return null;
  if (!Array.isArray(raw.files) || raw.files.length === 0 || raw.files.length > maxFilesPerItem) return null;
  if (!raw.files.every(isValidFile) || typeof raw.hashes !== 'string') return null;
  const hashes = fromBase64Url(raw.hashes);
  if (!hashes) return null;
  const files = raw.files as ManifestFile[];
  const manifest = buildManifest(raw.v, raw.name, raw.chunkBytes, files, hashes);
  if (!manifest) return null;
  const canonical = canonicalBytes(raw.v, manifest.name, manifest.chunkBytes, files, hashes);
  if (canonical.length !== bytes.length || !canonical.every((b, i) => b === bytes[i])) return null;
  return { itemId: expectedItemId, bytes, manifest };
}

/** Reads `length` bytes at `offset` of file `fileIndex`. */
export type ReadFileRange = (fileIndex: number, offset: number, length: number) => Promise<Uint8Array>;

/** A `ReadSpans` made of one read per span (tests and small sources; the browser reads a chunk in one go). */
export function readSpansByRange(read: ReadFileRange): ReadSpans {
  return async (spans) => {
    const parts = await Promise.all(spans.map((s) => read(s.fileIndex, s.offset, s.length)));
    const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
    let at = 0;
    for (const part of parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  };
}

/** Builds the (version 2) manifest of local files: chunks them and hashes every chunk. */
export async function createManifest(
  name: string,
  files: readonly ManifestFile[],
  source: ReadSpans | ChunkSource,
  chunkBytes = chooseChunkBytes(files.reduce((sum, f) => sum + f.size, 0)),
): Promise<SignedManifest> {
  const version = currentManifestVersion;
  const count = planLayout(layoutOf[version], files.map((f) => f.size), chunkBytes).chunkCount;
  const hashes = new Uint8Array(count * hashBytes);
  const draft = buildManifest(version, name, chunkBytes, files, hashes);
  if (!draft || files.length === 0 || files.length > maxFilesPerItem || !files.every(isValidFile)) {
    throw new Error('these files cannot be shared as one item (too many, too large, or invalid names)');
  }
  // The hashes do not change the length, so an item too big to describe is refused before any hashing.
  const listBytes = canonicalBytes(version, name, chunkBytes, files, hashes).length;
  if (listBytes > maxManifestBytes) {
    throw new Error(`its list of ${files.length.toLocaleString('en-US')} files and their names takes ${Math.ceil(listBytes / 2 ** 20)} MiB, more than one item can describe (${maxManifestBytes / 2 ** 20} MiB): share it in parts`);
  }
  const chunks = readChunksInOrder(typeof source === 'function' ? { read: source } : source, draft.layout);
  try {
    let bytes = count > 0 ? await chunks.next() : null;
    for (let i = 0; bytes; i++) {
      // The digest takes its copy of the bytes when called, so the next chunk may be read into the same buffer meanwhile.
      const hashing = sha256(bytes);
      const following = i + 1 < count ? chunks.next() : Promise.resolve(null);
      following.catch(() => undefined); // awaited just below, after this chunk's hash
      hashes.set(await hashing, i * hashBytes);
      bytes = await following;
    }
  } finally {
    chunks.close();
  }
  const bytes = canonicalBytes(version, name, chunkBytes, files, hashes);
  return { itemId: toHex(await sha256(bytes)), bytes, manifest: draft };
}
