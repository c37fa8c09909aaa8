// A peer's measured throughput: an exponentially weighted average of bytes per second.

/** Time constant of the average: long enough to ride out one chunk's burst, short enough to follow a slowdown. */
export const rateHalfLifeMs = 2000;

/** Bytes per second, updated as bytes arrive. */
export interface RateMeter {
  add(bytes: number): void;
  /** The current estimate in bytes per second (decays while nothing arrives). */
  bytesPerSecond(): number;
}

/** Creates a meter reading time from `now` (ms). */
export function createRateMeter(now: () => number): RateMeter {
  let rate = 0;
  let pending = 0;
  let last = now();
  const settle = (): void => {
    const t = now();
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
