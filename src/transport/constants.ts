// Data-channel buffering limits, measured on this project's machines (shared/MEASURED.md).

/** Resume sending when the channel's queue drains below this: small watermarks measured fastest. */
export const lowWatermarkBytes = 64 * 1024;

/** Stop queueing above this: bigger buffers measured slower, and Chrome fails sends past 16 MiB queued. */
export const highWatermarkBytes = 256 * 1024;

/**
 * Bytes a link may queue for a peer beyond the channel's buffer before it is closed: the engine awaits
 * the watermark for chunks and manifests, so only a peer that stops reading while it keeps asking gets here.
 */
export const maxQueuedBytesPerLink = 16 * 1024 * 1024;

/** Give up on a connection attempt after this long; discovery may try again. */
export const connectTimeoutMs = 20_000;

/**
 * Read the selected candidate pair this often: its route (ICE may move a link to another path at
 * any time) and its byte counters (a path that stopped answering is noticed within ~3 s).
 */
export const pathCheckIntervalMs = 1_000;
