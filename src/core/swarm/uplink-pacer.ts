// Pacing uploads below the uplink, as LEDBAT does: a home's uplink is often 5–20× slower than its
// downlink, and once what we upload fills its queue, the acknowledgements and requests of our own
// downloads wait behind it or are dropped, and our downloads starve. The signal is queueing delay:
// each link's round trip above the least it has shown. Our own uplink queue delays every link we
// have, while a peer's queue delays only its own link, so the least delay over our links is ours.
// Delay above the target lowers the pace below what we sent; a quiet queue lets it grow while we use it.

/**
 * Queueing delay we allow our uplink before we slow down: well under the ~100 ms a home router queues
 * before it drops. At LEDBAT's 100 ms (RFC 6817) the shaped lab's 1–2 Mbit/s homes filled their queues
 * until tbf dropped their own requests: 8 requests stalled against 0–2 at 40 ms.
 */
export const targetQueueDelayMs = 40;

/** The pace never falls below this (bytes per second): 0.13 Mbit/s keeps every link alive while a queue drains. */
export const minPaceBytesPerSecond = 16 * 1024;

/** On too much delay, the pace falls to this share of what we sent: a queue of ~100 ms drains within a second or two. */
export const paceDecreaseFactor = 0.8;

/** While the queue is quiet and we use the pace, it grows by this factor each step: back to the uplink's rate within seconds. */
export const paceIncreaseFactor = 1.1;

/**
 * After a decrease, delay is not acted on again for this long: a link's round trip is measured by its ICE
 * checks every ~2.5 s, so one queue would otherwise count several times.
 */
export const paceHoldMs = 3_000;

/** A base round trip older than this is forgotten (ms): a link that moved to a longer path gets a new base, as LEDBAT's base history does. */
export const roundTripFloorWindowMs = 120_000;

/** The least round trip of one link over the last one to two `roundTripFloorWindowMs`, kept in two buckets. */
export interface RoundTripFloor {
  /** Records a sample and returns the floor now (ms). */
  add(nowMs: number, roundTripMs: number): number;
}

/** Creates an empty floor. */
export function createRoundTripFloor(): RoundTripFloor {
  let bucketStartMs = -Infinity;
  let current = Infinity;
  let previous = Infinity;
  return {
    add(nowMs, roundTripMs) {
      if (nowMs - bucketStartMs >= roundTripFloorWindowMs) {
        previous = nowMs - bucketStartMs >= 2 * roundTripFloorWindowMs ? Infinity : current;
        current = Infinity;
        bucketStartMs = nowMs;
      }
      current = Math.min(current, roundTripMs);
      return Math.min(current, previous);
    },
  };
}

/**
 * A link's current round trip is the least it showed over this window (ms), as LEDBAT filters its
 * current delay: one late answer (the browser's network thread busy hashing or storing, as on
 * loopback, where one sample read 279 ms between 1 ms ones) is not a queue. ICE checks measure the
 * round trip every ~2.5 s, so the window holds two samples: a real queue slows us one sample later.
 */
export const currentRoundTripWindowMs = 6_000;

/** The least round trip of one link over the last `currentRoundTripWindowMs`. */
export interface RecentRoundTrip {
  /** Records a sample and returns the least of the window (ms). */
  add(nowMs: number, roundTripMs: number): number;
}

/** Creates an empty window; it holds one entry per sample, at most one per pace step. */
export function createRecentRoundTrip(): RecentRoundTrip {
  let samples: { readonly atMs: number; readonly roundTripMs: number }[] = [];
  return {
    add(nowMs, roundTripMs) {
      samples = samples.filter((sample) => nowMs - sample.atMs < currentRoundTripWindowMs);
      samples.push({ atMs: nowMs, roundTripMs });
      return Math.min(...samples.map((sample) => sample.roundTripMs));
    },
  };
}

/** A step's view of the links: each one's round trip now and the least it has shown, in ms. */
export interface LinkDelay {
  readonly roundTripMs: number;
  readonly baseRoundTripMs: number;
}

/** The controller: told what went out, stepped with the links' delays, it says the pace (null: none). */
export interface UplinkPacer {
  /** Bytes handed to links. */
  sent(bytes: number): void;
  /**
   * One step, `elapsedMs` after the last: returns the pace in bytes per second, or null while no queue
   * was seen since we last downloaded. Pacing protects our own downloads, so while nothing arrives
   * (`downloading` false: a seeder) there is no pace, and it starts afresh when downloads do.
   */
  step(nowMs: number, elapsedMs: number, links: readonly LinkDelay[], downloading: boolean): number | null;
}

/** Creates a pacer with no pace until a queue shows. */
export function createUplinkPacer(): UplinkPacer {
  let pace: number | null = null;
  let sentBytes = 0;
  let holdUntilMs = -Infinity;
  return {
    sent(bytes) {
      sentBytes += bytes;
    },
    step(nowMs, elapsedMs, links, downloading) {
      const sentRate = elapsedMs > 0 ? (sentBytes * 1000) / elapsedMs : 0;
      sentBytes = 0;
      if (!downloading) {
        pace = null;
        holdUntilMs = -Infinity;
        return pace;
      }
      if (links.length === 0) return pace;
      const ownDelayMs = Math.min(...links.map((l) => Math.max(0, l.roundTripMs - l.baseRoundTripMs)));
      if (ownDelayMs > targetQueueDelayMs && nowMs >= holdUntilMs && sentRate > 0) {
        pace = Math.max(minPaceBytesPerSecond, Math.min(pace ?? Infinity, sentRate) * paceDecreaseFactor);
        holdUntilMs = nowMs + paceHoldMs;
      } else if (pace !== null && ownDelayMs <= targetQueueDelayMs / 2 && sentRate >= pace * paceDecreaseFactor) {
        pace *= paceIncreaseFactor;
      }
      return pace;
    },
  };
}
