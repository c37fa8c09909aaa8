// Data-channel buffering limits, measured on this project's machines (shared/MEASURED.md).

/** Resume sending when the channel's queue drains below this: small watermarks measured fastest. */
export const lowWatermarkBytes = 64 * 1024;

/** Stop queueing above this: bigger buffers measured slower, and Chrome fails sends past 16 MiB queued. */
export const highWatermarkBytes = 256 * 1024;

/** Give up on a connection attempt after this long; discovery may try again. */
export const connectTimeoutMs = 20_000;

/**
 * Close a link whose ICE state stays 'disconnected' this long: the peer vanished (tab killed, network
 * gone). Browsers wait ~30 s before 'failed'; until a link closes, its open requests stay claimed.
 */
export const disconnectedCloseMs = 10_000;
