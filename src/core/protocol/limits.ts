// Every wire and content limit in one place, each with its unit and the reason for its value.

/** Largest data-channel message we send or accept: safe between every pair of engines (Firefox and Chromium both report 256 KiB max, Safari historically less). */
export const maxFrameBytes = 64 * 1024;

/**
 * Chunk size for large items (256 MiB up to `maxChunksPerItem` MiB): 1 MiB records write to IndexedDB
 * 4x faster than 64 KiB ones, and on fast links the chunk count is what costs (a hash, a put, a `have`).
 */
export const baseChunkBytes = 1024 * 1024;

/**
 * Smallest chunk: one data frame. A smaller item is one short chunk; below this, chunks would only add
 * puts and `have`s without bringing the first verified piece any sooner.
 */
export const minChunkBytes = 64 * 1024;

/**
 * Items under 256 MiB are cut into at least this many chunks (down to `minChunkBytes`), so a friend holds
 * something to pass on within a second or two, even when a slow uplink feeds many friends at once: 1 MiB
 * from a 4 Mbit/s uplink serving 6 friends takes 12.6 s, 64 KiB under a second. Each chunk is a verified
 * piece, so the item also has enough of them for peers to trade (12 chunks of a 12 MiB file left every
 * friend in endgame almost from the start).
 */
export const minChunksPerItem = 256;

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
