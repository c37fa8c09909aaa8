// Every wire and content limit in one place, each with its unit and the reason for its value.

/** Largest data-channel message we send or accept: safe between every pair of engines (Firefox and Chromium both report 256 KiB max, Safari historically less). */
export const maxFrameBytes = 64 * 1024;

/** Chunk size for items up to `maxChunksPerItem` MiB: 1 MiB records write to IndexedDB 4x faster than 64 KiB ones (shared/MEASURED.md). */
export const baseChunkBytes = 1024 * 1024;

/** Largest chunk: a chunk is reassembled in memory before it is verified, so this bounds memory per in-flight request. */
export const maxChunkBytes = 16 * 1024 * 1024;

/** Chunks per item before the chunk size doubles: keeps the manifest (32 bytes of hash per chunk) small. */
export const maxChunksPerItem = 8192;

/**
 * Largest manifest we accept: 8192 hashes in base64 (~350 KB) plus the file list. A 10,000-file
 * photo library with paths of ~60 characters needs ~1 MB of list; 4 MiB leaves room for ~350-byte paths.
 */
export const maxManifestBytes = 4 * 1024 * 1024;

/** Files per item: a folder of more is refused rather than building a huge manifest. */
export const maxFilesPerItem = 10_000;

/** Longest file path (UTF-16 code units) in a manifest: far beyond real file systems' 4096. */
export const maxPathChars = 4096;

/** Largest item we describe: 2^53 bytes would overflow exact integer arithmetic; 1 PiB is plenty. */
export const maxItemBytes = 2 ** 50;

/** Item ids per `items` frame: 32 bytes each, must fit a frame with its header. */
export const maxItemIdsPerFrame = 1024;
