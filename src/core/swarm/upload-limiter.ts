// The person's upload rate limit: a token bucket in bytes, shared by every peer we serve.
import { sleep, type Clock } from '../clock';

/** How long a burst the bucket allows at the configured rate: smooth enough, without a wait per frame. */
export const uploadBurstMs = 250;

/** Waits as needed so that the bytes sent stay within the limit. */
export interface UploadLimiter {
  /** Resolves when `bytes` may be sent (at once when unlimited). */
  take(bytes: number): Promise<void>;
  /** Bytes per second, or null for no limit. */
  setLimit(bytesPerSecond: number | null): void;
  limit(): number | null;
}

/** Creates a limiter that reads the time and waits on `clock`. */
export function createUploadLimiter(clock: Clock): UploadLimiter {
  const now = (): number => clock.now();
  let bytesPerSecond: number | null = null;
  let tokens = 0;
  let last = now();
  let queue: Promise<void> = Promise.resolve();

  const refill = (): void => {
    const t = now();
    if (bytesPerSecond !== null) {
      const capacity = Math.max(bytesPerSecond * (uploadBurstMs / 1000), 1);
      tokens = Math.min(capacity, tokens + ((t - last) * bytesPerSecond) / 1000);
    }
    last = t;
  };

  // Send while the balance is not negative; a frame may overdraw it, and the next one waits off the debt.
  const takeNow = async (bytes: number): Promise<void> => {
    refill();
    while (bytesPerSecond !== null && tokens < 0) {
      await sleep(clock, Math.max(1, Math.ceil((-tokens * 1000) / bytesPerSecond)));
      refill();
    }
    if (bytesPerSecond !== null) tokens -= bytes;
  };

  return {
    take(bytes) {
      // One waiter at a time, in order, so peers share the limit fairly.
      const turn = queue.then(() => takeNow(bytes));
      queue = turn;
      return turn;
    },
    setLimit(limit) {
      refill();
      bytesPerSecond = limit !== null && limit > 0 ? limit : null;
      tokens = 0;
    },
    limit: () => bytesPerSecond,
  };
}
