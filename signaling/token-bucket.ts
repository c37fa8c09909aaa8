// A tiny pure token bucket: the per-socket message rate limit of the relay.

/** How a bucket is built; `now` is injectable (ms) so tests drive a fake clock. */
export interface TokenBucketOptions {
  readonly capacity: number;
  readonly refillPerSecond: number;
  readonly now?: () => number;
}

/** One rate-limited stream: `take()` spends a token and says whether one was there. */
export interface TokenBucket {
  take(): boolean;
}

/** Milliseconds per second, named so the refill arithmetic reads as units. */
const msPerSecond = 1000;

/** Builds a bucket that starts full and refills continuously up to `capacity`. */
export function createTokenBucket({ capacity, refillPerSecond, now = () => performance.now() }: TokenBucketOptions): TokenBucket {
  let tokens = capacity;
  let last = now();

  function refill(): void {
    const current = now();
    // A clock that steps backwards must not mint or burn tokens.
    const elapsedMs = Math.max(0, current - last);
    last = current;
    tokens = Math.min(capacity, tokens + (elapsedMs * refillPerSecond) / msPerSecond);
  }

  return {
    take(): boolean {
      refill();
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}
