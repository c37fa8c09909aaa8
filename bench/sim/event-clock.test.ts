// The heap clock keeps the manual clock's contract (src/core/clock.ts).
import { describe, expect, it } from 'vitest';
import { createEventClock } from './event-clock';

describe('event clock', () => {
  it('runs timers in due order, ties in the order they were set, and reports what is pending', () => {
    const clock = createEventClock();
    const ran: string[] = [];
    clock.setTimeout(() => ran.push('b'), 20);
    clock.setTimeout(() => ran.push('a'), 10);
    clock.setTimeout(() => ran.push('c'), 20);
    const cancelled = clock.setTimeout(() => ran.push('never'), 15);
    clock.clearTimeout(cancelled);
    expect(clock.pending()).toEqual([10, 20, 20]);
    expect(clock.pendingCount()).toBe(3);
    clock.advance(15);
    expect(ran).toEqual(['a']);
    expect(clock.now()).toBe(15);
    expect(clock.nextDueMs()).toBe(20);
    clock.advance(5);
    expect(ran).toEqual(['a', 'b', 'c']);
    expect(clock.pendingCount()).toBe(0);
  });

  it('runs timers set by a timer when they fall due within the same advance, and ignores clearing one that ran', () => {
    const clock = createEventClock(100);
    const ran: number[] = [];
    const first = clock.setTimeout(() => {
      ran.push(clock.now());
      clock.setTimeout(() => ran.push(clock.now()), 5);
    }, 10);
    clock.advance(20);
    clock.clearTimeout(first);
    expect(ran).toEqual([110, 115]);
    expect(clock.pendingCount()).toBe(0);
    expect(() => clock.advanceTo(50)).toThrow(RangeError);
  });

  it('stays correct after many cancellations (the heap is compacted)', () => {
    const clock = createEventClock();
    const handles = Array.from({ length: 5000 }, (_, i) => clock.setTimeout(() => undefined, i));
    handles.forEach((h, i) => i % 10 !== 0 && clock.clearTimeout(h));
    expect(clock.pendingCount()).toBe(500);
    expect(clock.pending().slice(0, 3)).toEqual([0, 10, 20]);
    let ran = 0;
    for (let i = 0; i < 500; i++) clock.setTimeout(() => ran++, 10_000);
    clock.advance(10_000);
    expect(ran).toBe(500);
    expect(clock.pendingCount()).toBe(0);
  });
});
