// Time, injected: every factory that reads the time or sets a timer takes a Clock, so its timeouts
// are tested with fake time (a ManualClock, or vi.useFakeTimers() under the system clock).

declare const timerBrand: unique symbol;

/** A pending timer, opaque: give it back only to the clock that made it. */
export type TimerHandle = { readonly [timerBrand]: 'TimerHandle' };

/** What code needs of time: the current time in ms, and one-shot timers. */
export interface Clock {
  /** Milliseconds since an arbitrary epoch (the system clock: the Unix epoch). */
  now(): number;
  /** Runs `fn` once, `ms` milliseconds from now. */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  /** Cancels a timer that has not run yet; a handle that already ran is ignored. */
  clearTimeout(handle: TimerHandle): void;
}

type HostTimer = ReturnType<typeof globalThis.setTimeout>;

/**
 * The real clock. It looks the host's timers up on each call (not once at load), so tests that
 * fake the globals (vi.useFakeTimers()) also fake this clock.
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  // A host timer (a number in browsers, an object in Node) stands behind the opaque handle.
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms) as unknown as TimerHandle,
  clearTimeout: (handle) => globalThis.clearTimeout(handle as unknown as HostTimer),
};

/** A clock that moves only when told: time stands still while the code under test runs. */
export interface ManualClock extends Clock {
  /** Moves time on by `ms`, running each timer as it falls due (and those they set that fall due in the window). */
  advance(ms: number): void;
  /** The pending timers, as ms from now until each is due, soonest first. */
  pending(): number[];
}

interface ManualTimer {
  readonly dueMs: number;
  readonly fn: () => void;
}

/** A manual clock starting at `startMs` (tests and simulations). */
export function createManualClock(startMs = 0): ManualClock {
  let nowMs = startMs;
  /** Pending timers, soonest first; timers due at the same time run in the order they were set. */
  const timers: ManualTimer[] = [];
  const toHandle = (timer: ManualTimer): TimerHandle => timer as unknown as TimerHandle; // opaque to callers
  const checkMs = (ms: number): number => {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`not a duration in ms: ${ms}`);
    return ms;
  };

  return {
    now: () => nowMs,
    setTimeout(fn, ms) {
      // Like the host's timers: a negative or NaN delay means "as soon as possible".
      const timer: ManualTimer = { dueMs: nowMs + (Number.isFinite(ms) && ms > 0 ? ms : 0), fn };
      const at = timers.findIndex((t) => t.dueMs > timer.dueMs);
      timers.splice(at === -1 ? timers.length : at, 0, timer);
      return toHandle(timer);
    },
    clearTimeout(handle) {
      const at = timers.indexOf(handle as unknown as ManualTimer);
      if (at !== -1) timers.splice(at, 1);
    },
    advance(ms) {
      const targetMs = nowMs + checkMs(ms);
      for (let next = timers[0]; next !== undefined && next.dueMs <= targetMs; next = timers[0]) {
        timers.shift();
        nowMs = next.dueMs;
        next.fn();
      }
      nowMs = targetMs;
    },
    pending: () => timers.map((t) => t.dueMs - nowMs),
  };
}

/**
 * Runs `fn` every `intervalMs` on `clock` (a one-shot timer re-armed after each run, so a manual clock
 * sees one pending timer); returns the function that stops it.
 */
export function setRepeating(clock: Clock, fn: () => void, intervalMs: number): () => void {
  let handle: TimerHandle | null = null;
  const arm = (): void => {
    handle = clock.setTimeout(() => {
      arm();
      fn();
    }, intervalMs);
  };
  arm();
  return () => {
    if (handle !== null) clock.clearTimeout(handle);
    handle = null;
  };
}

/** Resolves `ms` from now on `clock`. */
export const sleep = (clock: Clock, ms: number): Promise<void> => new Promise((resolve) => clock.setTimeout(resolve, ms));
