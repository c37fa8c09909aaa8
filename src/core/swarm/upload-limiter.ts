// The person's upload rate limit: a token bucket in bytes, shared by every peer we serve.
import { sleep, type Clock } from '../clock';

/** How long a burst the bucket allows at the configured rate: smooth enough, without a wait per frame. */
export const uploadBurstMs = 250;

/** Waits as needed so that the bytes sent stay within the limit. */
export interface UploadLimiter {
  /** Resolves when `bytes` may be sent (at once when unlimited). */
  take(bytes: number): Promise<void>;
  /** Bytes per second, or null for no limit: the person's setting. */
  setLimit(bytesPerSecond: number | null): void;
  limit(): number | null;
  /** The pace below the uplink (uplink-pacer.ts), or null for none: the bucket runs at the lower of it and the limit. */
  setPace(bytesPerSecond: number | null): void;
  /** Bytes taken so far, all told (the pacer reads what went out from it). */
  takenBytes(): number;
}

/** Creates a limiter that reads the time and waits on `clock`. */
export function createUploadLimiter(clock: Clock): UploadLimiter {
  const now = (): number => clock.now();
  let userLimit: number | null = null;
  let pace: number | null = null;
  /** The bucket's rate: the lower of the person's limit and the pace. */
  let bytesPerSecond: number | null = null;
  let taken = 0;
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
    taken += bytes;
  };
  const rateOf = (limit: number | null): number | null => (limit !== null && limit > 0 ? limit : null);
  const apply = (): void => {
    refill();
    const next = userLimit === null ? pace : pace === null ? userLimit : Math.min(userLimit, pace);
    if (next === bytesPerSecond) return;
    // Unlimited to limited starts with an empty bucket; a change of rate keeps the balance (a debt is still waited off).
    if (bytesPerSecond === null || next === null) tokens = 0;
    bytesPerSecond = next;
  };

  return {
    take(bytes) {
      // One waiter at a time, in order, so peers share the limit fairly.
      const turn = queue.then(() => takeNow(bytes));
      queue = turn;
      return turn;
    },
    setLimit(limit) {
      userLimit = rateOf(limit);
      apply();
    },
    limit: () => userLimit,
    setPace(bytesPerSecond) {
      pace = rateOf(bytesPerSecond);
      apply();
    },
    takenBytes: () => taken,
  };
}
