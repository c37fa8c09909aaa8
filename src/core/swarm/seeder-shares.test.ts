// The seeder's weighted shares on a manual clock: a peer over its share waits for the others, a peer
// alone never waits, a wait never outlasts `maxShareWaitMs`, and a peer that went idle holds nobody back.
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../clock';
import { createSeederShares, maxShareWaitMs, shareSlackBytes } from './seeder-shares';

const frameBytes = 64 * 1024;

/** Whether `turn` resolved before the clock moved. */
async function resolvesAtOnce(turn: Promise<void>): Promise<boolean> {
  let done = false;
  void turn.then(() => (done = true));
  await Promise.resolve();
  await Promise.resolve();
  return done;
}

describe('seeder shares', () => {
  it('lets a peer alone send at once, however much it sent', async () => {
    const clock = createManualClock(0);
    const shares = createSeederShares(clock);
    for (let i = 0; i < 20; i++) {
      expect(await resolvesAtOnce(shares.turn('a', 0.1))).toBe(true);
      shares.sent('a', frameBytes);
    }
  });

  it('splits frames by weight: a peer of weight 1 sends about four frames for one of weight 1/4', async () => {
    const clock = createManualClock(0);
    const shares = createSeederShares(clock);
    const weights = new Map([
      ['fast', 1],
      ['slow', 0.25],
    ]);
    const sentFrames = new Map([
      ['fast', 0],
      ['slow', 0],
    ]);
    // Each peer sends whenever the gate lets it, one frame every 10 ms of link time.
    const run = async (peerId: string): Promise<void> => {
      while (clock.now() < 20_000) {
        await shares.turn(peerId, weights.get(peerId) ?? 1);
        shares.sent(peerId, frameBytes);
        sentFrames.set(peerId, (sentFrames.get(peerId) ?? 0) + 1);
        await new Promise<void>((resolve) => clock.setTimeout(resolve, 10));
      }
    };
    let finished = false;
    const both = Promise.all([run('fast'), run('slow')]).then(() => (finished = true));
    for (let steps = 0; !finished && steps < 10_000; steps++) {
      clock.advance(5);
      for (let i = 0; i < 5; i++) await Promise.resolve();
    }
    await both;
    const ratio = (sentFrames.get('fast') ?? 0) / (sentFrames.get('slow') ?? 1);
    expect(ratio).toBeGreaterThan(3);
    expect(ratio).toBeLessThan(5);
  });

  it('holds a peer over its share only until another sends, and never past maxShareWaitMs', async () => {
    const clock = createManualClock(0);
    const shares = createSeederShares(clock);
    shares.sent('other', 1);
    shares.sent('greedy', 4 * frameBytes + shareSlackBytes);
    let done = false;
    void shares.turn('greedy', 1).then(() => (done = true));
    clock.advance(maxShareWaitMs - 1);
    await Promise.resolve();
    expect(done).toBe(false);
    clock.advance(1);
    await Promise.resolve();
    await Promise.resolve();
    expect(done).toBe(true);
  });

  it('frees the others when a peer goes idle or leaves', async () => {
    const clock = createManualClock(0);
    const shares = createSeederShares(clock);
    shares.sent('quiet', 1);
    shares.sent('busy', 4 * frameBytes + shareSlackBytes);
    let done = false;
    void shares.turn('busy', 1).then(() => (done = true));
    await Promise.resolve();
    expect(done).toBe(false);
    shares.idle('quiet');
    await Promise.resolve();
    await Promise.resolve();
    expect(done).toBe(true);
    expect(shares.activeCount).toBe(1);
  });

  it('starts a newcomer level with the least-served peer: no credit saved up while it was away', async () => {
    const clock = createManualClock(0);
    const shares = createSeederShares(clock);
    shares.sent('a', 8 * frameBytes);
    shares.sent('b', 8 * frameBytes);
    // A newcomer is not owed eight frames: "a" may still send alongside it.
    shares.sent('new', frameBytes);
    expect(await resolvesAtOnce(shares.turn('a', 1))).toBe(true);
  });
});
