// Measured throughput: an exponentially weighted average (sizes the request pipeline) and a plain
// windowed average (the speeds people read).
import type { Clock } from '../clock';

/** Time constant of the average: long enough to ride out one chunk's burst, short enough to follow a slowdown. */
export const rateHalfLifeMs = 2000;

/** Bytes per second, updated as bytes arrive. */
export interface RateMeter {
  add(bytes: number): void;
  /** The current estimate in bytes per second (decays while nothing arrives). */
  bytesPerSecond(): number;
}

/** Creates a meter reading the time from `clock`. */
export function createRateMeter(clock: Clock): RateMeter {
  let rate = 0;
  let pending = 0;
  let last = clock.now();
  const settle = (): void => {
    const t = clock.now();
    const elapsed = t - last;
    if (elapsed < 50) return; // too short to divide by; keep accumulating
    const weight = 1 - Math.pow(0.5, elapsed / rateHalfLifeMs);
    rate += weight * ((pending * 1000) / elapsed - rate);
    pending = 0;
    last = t;
  };
  return {
    add(bytes) {
      pending += bytes;
      settle();
    },
    bytesPerSecond() {
      settle();
      return rate;
    },
  };
}

/**
 * Speeds shown to people are averaged over this long: a peer sends whole 1 MiB chunks in bursts, so
 * one second is too jumpy.
 */
export const speedWindowMs = 3000;

/** Bytes are summed in buckets this long, so a meter holds a dozen numbers, not one per frame. */
const speedBucketMs = 250;

/**
 * The bytes of the last `windowMs` divided by that time (by the meter's age while it is younger, but
 * never by less than a second, so the first frame does not read as a spike).
 */
export function createWindowRate(clock: Pick<Clock, 'now'>, windowMs = speedWindowMs): RateMeter {
  const startMs = clock.now();
  /** [bucket start ms, bytes], oldest first; a bucket counts while it starts inside the window. */
  const buckets: [number, number][] = [];
  const prune = (now: number): void => {
    while (buckets.length > 0 && (buckets[0]?.[0] ?? 0) <= now - windowMs) buckets.shift();
  };
  return {
    add(bytes) {
      const now = clock.now();
      const bucketStart = now - (now % speedBucketMs);
      const last = buckets[buckets.length - 1];
      if (last?.[0] === bucketStart) last[1] += bytes;
      else buckets.push([bucketStart, bytes]);
      prune(now);
    },
    bytesPerSecond() {
      const now = clock.now();
      prune(now);
      let bytes = 0;
      for (const [, b] of buckets) bytes += b;
      const spanMs = Math.max(1000, Math.min(windowMs, now - startMs));
      return (bytes * 1000) / spanMs;
    },
  };
}
