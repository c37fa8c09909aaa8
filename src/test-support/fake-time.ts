// Test-only: driving a manual clock timer by timer, letting the system under test settle after each.
import type { ManualClock } from '../core/clock';

/** Runs fake time forward for simulations that know how to `settle` (run everything due now). */
export interface TimeRunner {
  /** Moves time on, timer by timer, until `condition` holds after settling; fails past `maxMs` of fake time. */
  runUntil(condition: () => boolean, maxMs: number, what?: string): Promise<void>;
  /** Moves time on by `ms`, settling after every timer. */
  runFor(ms: number): Promise<void>;
}

/** Builds the runner over `clock`, calling `settle` after every step. */
export function createTimeRunner(clock: ManualClock, settle: () => Promise<void>): TimeRunner {
  const runUntil = async (condition: () => boolean, maxMs: number, what = 'condition'): Promise<void> => {
    const endMs = clock.now() + maxMs;
    await settle();
    while (!condition()) {
      const nextMs = clock.pending()[0];
      if (nextMs === undefined || clock.now() + nextMs > endMs) throw new Error(`no ${what} within ${maxMs} ms (fake time)`);
      clock.advance(nextMs);
      await settle();
    }
  };
  const runFor = async (ms: number): Promise<void> => {
    const endMs = clock.now() + ms;
    await runUntil(() => (clock.pending()[0] ?? Infinity) > endMs - clock.now(), ms, 'end of the run');
    clock.advance(endMs - clock.now());
    await settle();
  };
  return { runUntil, runFor };
}
