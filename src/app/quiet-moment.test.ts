import { describe, expect, it } from 'vitest';
import { createManualClock } from '../core/clock';
import { maxCopyDeferralMs, quietCheckMs, quietMoment } from './quiet-moment';

/** A quiet moment over a manual clock, recording when it resolved. */
function setup(uploadingAtFirst: boolean) {
  const clock = createManualClock();
  const state = { uploading: uploadingAtFirst, idleCalls: 0 };
  const wait = quietMoment({ uploading: () => state.uploading, idle: async () => void (state.idleCalls += 1), clock });
  let resolvedAtMs: number | null = null;
  void wait().then(() => (resolvedAtMs = clock.now()));
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  return { clock, state, resolvedAt: () => resolvedAtMs, settle };
}

describe('quiet moment for background copies', () => {
  it('is the next idle moment when nothing is uploading', async () => {
    const t = setup(false);
    await t.settle();
    expect(t.resolvedAt()).toBe(0);
    expect(t.state.idleCalls).toBe(1);
  });

  it('waits while peers download from this tab, and comes at the first check after they stop', async () => {
    const t = setup(true);
    t.clock.advance(quietCheckMs * 3);
    await t.settle();
    expect(t.resolvedAt()).toBeNull();
    expect(t.state.idleCalls).toBe(0);
    t.state.uploading = false;
    t.clock.advance(quietCheckMs);
    await t.settle();
    expect(t.resolvedAt()).toBe(quietCheckMs * 4);
  });

  it('goes ahead after the longest deferral even if the uploads never stop', async () => {
    const t = setup(true);
    for (let ms = 0; ms < maxCopyDeferralMs; ms += quietCheckMs) {
      t.clock.advance(quietCheckMs);
      await t.settle();
    }
    expect(t.resolvedAt()).toBe(maxCopyDeferralMs);
    expect(t.state.idleCalls).toBe(1);
  });
});
