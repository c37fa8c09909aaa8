// The upload pacer on made-up round trips: a queue on our own uplink (every link delayed) slows us,
// a queue on one peer's uplink (its link alone delayed) does not, and a quiet queue lets us speed up.
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../clock';
import { createRecentRoundTrip, createRoundTripFloor, createUplinkPacer, currentRoundTripWindowMs, minPaceBytesPerSecond, paceDecreaseFactor, paceHoldMs, paceIncreaseFactor, roundTripFloorWindowMs, targetQueueDelayMs } from './uplink-pacer';
import { createUploadLimiter } from './upload-limiter';

const quiet = { roundTripMs: 12, baseRoundTripMs: 10 };
/** A queue well past the target on a link. */
const queued = { roundTripMs: 10 + targetQueueDelayMs + 100, baseRoundTripMs: 10 };

/** Steps a pacer once a second, having sent `bytesPerSecond` in each (while downloading, unless told). */
function stepper() {
  const pacer = createUplinkPacer();
  let nowMs = 0;
  return (bytesPerSecond: number, links: { roundTripMs: number; baseRoundTripMs: number }[], downloading = true) => {
    pacer.sent(bytesPerSecond);
    nowMs += 1000;
    return pacer.step(nowMs, 1000, links, downloading);
  };
}

describe('uplink pacer', () => {
  it('sets no pace while no queue shows (a fast link, loopback)', () => {
    const step = stepper();
    for (let i = 0; i < 10; i++) expect(step(40_000_000, [quiet, quiet])).toBeNull();
  });

  it('slows below what it sent when every link shows our queue, once per hold', () => {
    const step = stepper();
    expect(step(500_000, [queued, queued])).toBe(500_000 * paceDecreaseFactor);
    // The next samples within the hold are the same queue draining: no second cut.
    expect(step(400_000, [queued, queued])).toBe(500_000 * paceDecreaseFactor);
    for (let t = 2000; t < paceHoldMs; t += 1000) step(400_000, [queued]);
    expect(step(400_000, [queued])).toBe(400_000 * paceDecreaseFactor);
  });

  it('ignores a queue on one peer’s uplink: our own delays every link, theirs only one', () => {
    const step = stepper();
    expect(step(500_000, [queued, quiet, queued])).toBeNull();
  });

  it('never paces while nothing downloads (a seeder has no downloads to protect), and starts afresh when one does', () => {
    const step = stepper();
    expect(step(500_000, [queued, queued])).toBe(500_000 * paceDecreaseFactor);
    expect(step(400_000, [queued, queued], false)).toBeNull(); // the download ended: the pace goes
    for (let i = 0; i < 5; i++) expect(step(500_000, [queued, queued], false)).toBeNull();
    // Downloading again: no hold is left over, so the lasting queue slows us at once, from what we sent.
    expect(step(450_000, [queued, queued])).toBe(450_000 * paceDecreaseFactor);
  });

  it('grows the pace while the queue is quiet and we use it, and never goes below the floor', () => {
    const step = stepper();
    const paced = step(500_000, [queued]) ?? 0;
    expect(step(paced, [quiet])).toBeCloseTo(paced * paceIncreaseFactor, 6);
    expect(step(1_000, [quiet])).toBeCloseTo(paced * paceIncreaseFactor, 6); // not using it: kept
    const low = stepper();
    expect(low(1_000, [queued])).toBe(minPaceBytesPerSecond);
  });
});

describe('round-trip floor', () => {
  it('keeps the least round trip of the last one to two windows, and forgets older ones', () => {
    const floor = createRoundTripFloor();
    expect(floor.add(0, 30)).toBe(30);
    expect(floor.add(1000, 10)).toBe(10);
    expect(floor.add(roundTripFloorWindowMs + 1, 50)).toBe(10); // the last window still counts
    expect(floor.add(3 * roundTripFloorWindowMs, 50)).toBe(50); // a longer path: a new base
  });
});

describe('recent round trip', () => {
  it('takes one late answer between quick ones for no queue, and a lasting one for a queue', () => {
    const recent = createRecentRoundTrip();
    // Loopback, measured: 1 ms, then one answer 279 ms late while the page hashed, then 1 ms again.
    expect(recent.add(0, 1)).toBe(1);
    expect(recent.add(2_500, 279)).toBe(1);
    expect(recent.add(5_000, 1)).toBe(1);
    // A queue: every sample late; once the quick ones leave the window, it shows.
    expect(recent.add(7_500, 110)).toBe(1);
    expect(recent.add(10_000, 120)).toBe(1);
    expect(recent.add(5_000 + currentRoundTripWindowMs, 115)).toBe(110);
  });

  it('lets the pacer ignore a single spike and act on a queue that lasts', () => {
    const pacer = createUplinkPacer();
    const recent = createRecentRoundTrip();
    const floor = createRoundTripFloor();
    const paces: (number | null)[] = [];
    // One sample every ~2.5 s, read at each 1 s step; a spike at 5 s, a queue from 20 s on.
    const sampleAt = (t: number) => (t >= 20_000 ? 2 + targetQueueDelayMs + 50 : t >= 5_000 && t < 7_500 ? 2 + 3 * targetQueueDelayMs : 2);
    for (let t = 1_000; t <= 30_000; t += 1_000) {
      const sample = sampleAt(Math.floor(t / 2_500) * 2_500);
      pacer.sent(1_000_000);
      paces.push(pacer.step(t, 1_000, [{ roundTripMs: recent.add(t, sample), baseRoundTripMs: floor.add(t, sample) }], true));
    }
    // paces[i] is the step at (i + 1) s: the spike never paced; the queue did within one window.
    const firstPacedAtMs = (paces.findIndex((pace) => pace !== null) + 1) * 1_000;
    expect(firstPacedAtMs).toBeGreaterThan(20_000);
    expect(firstPacedAtMs).toBeLessThanOrEqual(20_000 + currentRoundTripWindowMs);
    expect(paces[firstPacedAtMs / 1_000 - 1]).toBe(1_000_000 * paceDecreaseFactor);
  });
});

describe('upload limiter with a pace', () => {
  it('runs at the lower of the person’s limit and the pace, and reports the person’s limit', async () => {
    const clock = createManualClock();
    const limiter = createUploadLimiter(clock);
    limiter.setLimit(100_000);
    limiter.setPace(10_000);
    expect(limiter.limit()).toBe(100_000);
    await limiter.take(10_000); // sent at once, leaving a debt of 10,000 bytes
    let done = false;
    void limiter.take(1).then(() => (done = true));
    clock.advance(500);
    await Promise.resolve();
    expect(done).toBe(false); // at the pace, the debt takes a second
    clock.advance(600);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(done).toBe(true);
    expect(limiter.takenBytes()).toBe(10_001);
    limiter.setPace(null);
    expect(limiter.limit()).toBe(100_000);
  });
});
