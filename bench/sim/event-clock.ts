// The simulation's one clock: a ManualClock (src/core/clock.ts) whose timers sit in a binary heap, so
// a run with thousands of pending timers (every engine's repeating checks, every frame in flight)
// still sets, cancels and finds the next timer in O(log n). createManualClock keeps a sorted array,
// which is right for tests and too slow for a million timers.
import type { ManualClock, TimerHandle } from '../../src/core/clock';
import { createMinHeap } from './min-heap';

interface HeapTimer {
  readonly dueMs: number;
  /** Order of setting: timers due at the same time run in the order they were set. */
  readonly seq: number;
  readonly fn: () => void;
  /** Cancelled, or ran: either way it is dead, and clearTimeout ignores it. */
  dead: boolean;
}

/** The manual clock plus what a discrete-event loop needs from it. */
export interface EventClock extends ManualClock {
  /** When the soonest live timer is due (absolute ms), or undefined when none is pending. */
  nextDueMs(): number | undefined;
  /** Live (set, not yet run, not cancelled) timers. */
  pendingCount(): number;
  /** Moves time to `targetMs` (absolute, not before now), running timers as they fall due: no rounding of now + ms. */
  advanceTo(targetMs: number): void;
}

/** Rebuild the heap once it holds this many times more entries than live timers: amortised O(1) per cancel. */
const compactFactor = 2;

/** ... plus this many, so small heaps are never rebuilt. */
const compactSlack = 1024;

/** A heap-backed manual clock starting at `startMs`. */
export function createEventClock(startMs = 0): EventClock {
  let nowMs = startMs;
  let seq = 0;
  let live = 0;
  const heap = createMinHeap<HeapTimer>((a, b) => a.dueMs < b.dueMs || (a.dueMs === b.dueMs && a.seq < b.seq));
  /** The soonest live timer, dropping dead ones from the top (cancelled timers are removed lazily). */
  const peek = (): HeapTimer | undefined => {
    while (heap.peek()?.dead) heap.pop();
    return heap.peek();
  };

  const advanceTo = (targetMs: number): void => {
    if (!(targetMs >= nowMs)) throw new RangeError(`cannot move time back to ${targetMs} ms from ${nowMs} ms`);
    for (let next = peek(); next !== undefined && next.dueMs <= targetMs; next = peek()) {
      heap.pop();
      next.dead = true;
      live--;
      nowMs = next.dueMs;
      next.fn();
    }
    nowMs = targetMs;
  };

  return {
    now: () => nowMs,
    setTimeout(fn, ms) {
      // Like the host's timers: a negative or NaN delay means "as soon as possible".
      const timer: HeapTimer = { dueMs: nowMs + (Number.isFinite(ms) && ms > 0 ? ms : 0), seq: seq++, fn, dead: false };
      heap.push(timer);
      live++;
      return timer as unknown as TimerHandle; // opaque to callers
    },
    clearTimeout(handle) {
      const timer = handle as unknown as HeapTimer;
      if (timer.dead) return;
      timer.dead = true;
      live--;
      if (heap.size > compactFactor * live + compactSlack) heap.filter((t) => !t.dead);
    },
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`not a duration in ms: ${ms}`);
      advanceTo(nowMs + ms);
    },
    advanceTo,
    pending() {
      const due = heap.items().filter((t) => !t.dead).map((t) => t.dueMs - nowMs);
      return due.sort((a, b) => a - b);
    },
    nextDueMs: () => peek()?.dueMs,
    pendingCount: () => live,
  };
}
