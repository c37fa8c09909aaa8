import { afterEach, describe, expect, it, vi } from 'vitest';
import { createManualClock, systemClock } from './clock';

describe('manual clock', () => {
  it('runs timers as they fall due, in due order, with now() at their due time', () => {
    const clock = createManualClock(1_000);
    const ran: string[] = [];
    clock.setTimeout(() => ran.push(`b@${clock.now()}`), 20);
    clock.setTimeout(() => ran.push(`a@${clock.now()}`), 10);
    clock.setTimeout(() => ran.push(`c@${clock.now()}`), 30);
    expect(clock.pending()).toEqual([10, 20, 30]);
    clock.advance(25);
    expect(ran).toEqual(['a@1010', 'b@1020']);
    expect(clock.now()).toBe(1_025);
    expect(clock.pending()).toEqual([5]);
  });

  it('runs timers due at the same time in the order they were set, and 0 ms timers on advance(0)', () => {
    const clock = createManualClock();
    const ran: number[] = [];
    for (const n of [1, 2, 3]) clock.setTimeout(() => ran.push(n), 0);
    expect(ran).toEqual([]);
    clock.advance(0);
    expect(ran).toEqual([1, 2, 3]);
  });

  it('runs a timer set by a timer when it falls due within the same advance, and not one beyond it', () => {
    const clock = createManualClock();
    const ran: string[] = [];
    clock.setTimeout(() => {
      ran.push('first');
      clock.setTimeout(() => ran.push('chained'), 5);
      clock.setTimeout(() => ran.push('later'), 50);
    }, 10);
    clock.advance(20);
    expect(ran).toEqual(['first', 'chained']);
    expect(clock.pending()).toEqual([40]);
  });

  it('cancels a pending timer; clearing one that ran does nothing', () => {
    const clock = createManualClock();
    const ran: string[] = [];
    const cancelled = clock.setTimeout(() => ran.push('cancelled'), 10);
    const done = clock.setTimeout(() => ran.push('done'), 5);
    clock.advance(5);
    clock.clearTimeout(cancelled);
    clock.clearTimeout(done);
    expect(clock.pending()).toEqual([]);
    clock.advance(100);
    expect(ran).toEqual(['done']);
  });

  it.each([[-1], [Number.NaN], [Infinity]])('refuses to advance by %s ms', (ms) => {
    expect(() => createManualClock().advance(ms)).toThrow(RangeError);
  });
});

describe('system clock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('follows faked host timers and Date, since it looks them up on each call', () => {
    vi.useFakeTimers({ now: 5_000 });
    const ran: number[] = [];
    const kept = systemClock.setTimeout(() => ran.push(systemClock.now()), 100);
    const cancelled = systemClock.setTimeout(() => ran.push(-1), 50);
    systemClock.clearTimeout(cancelled);
    vi.advanceTimersByTime(99);
    expect(ran).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(ran).toEqual([5_100]);
    systemClock.clearTimeout(kept); // already ran: ignored
  });
});
