// When the simulation may move time on, and in what order async results come back.
//
// The engines await real promises: WebCrypto (SHA-256 of every chunk, the room's ECDSA signatures
// and AES-GCM envelopes) and the store. Time stands still until none of that is under way. Every
// WebCrypto call is counted (the methods are wrapped on this process's crypto.subtle while the
// simulation runs, and put back after), and so is every store call (stores are wrapped). The host's
// event loop turns (setImmediate) until all of them have finished; their results are then handed
// back together, in the order the calls were made, so a run does not depend on which thread of the
// host's pool finished first: the same seed gives the same run (and while calls run, the loop sleeps
// until the last one finishes, rather than spinning). Only when nothing is under way and
// no timer is due now does the loop advance the clock to the next timer.
import type { PieceStore } from '../../src/core/ports';
import type { EventClock } from './event-clock';

/** The WebCrypto methods the engine and the room connector call. */
const countedSubtleMethods = ['digest', 'sign', 'verify', 'encrypt', 'decrypt', 'importKey', 'exportKey', 'generateKey', 'deriveBits'] as const;

/** The store methods the engine calls. */
const countedStoreMethods = ['putManifest', 'putChunk', 'readChunk'] as const;

/** Host turns one settle may take before the run fails: far more than any settle needs (a stuck promise, not slowness). */
const settleLimitTurns = 10_000_000;

/**
 * Counts asynchronous work under way, and waits for it. A counted call must not itself wait on another
 * counted call (its result is held until every call has finished): the stores hash with node:crypto.
 */
export interface Quiescence {
  /** Wraps a store so its calls are counted and ordered. */
  countStore<S extends PieceStore>(store: S): S;
  /** Runs everything due now: timers at the current time, and the async work they start, until nothing is left. */
  settle(): Promise<void>;
  /** Operations called and not yet handed back. */
  readonly inFlight: number;
  /** Puts crypto.subtle back as it was. */
  restore(): void;
}

/** A finished operation waiting to be handed back in call order. */
interface Held {
  outcome: { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown } | null;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Starts counting WebCrypto calls in this process; `restore()` stops. */
export function createQuiescence(clock: EventClock): Quiescence {
  /** Calls made and not yet handed back, in call order. */
  const held: Held[] = [];
  let running = 0;
  /** Wakes a settle waiting for the last running call to finish (instead of spinning the event loop). */
  let wakeWhenIdle: (() => void) | null = null;
  const counted = (work: () => Promise<unknown>): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const entry: Held = { outcome: null, resolve, reject };
      held.push(entry);
      running++;
      const done = (outcome: NonNullable<Held['outcome']>): void => {
        entry.outcome = outcome;
        running--;
        if (running === 0) wakeWhenIdle?.();
      };
      try {
        work().then((value) => done({ ok: true, value }), (error: unknown) => done({ ok: false, error }));
      } catch (error) {
        done({ ok: false, error });
      }
    });
  /** Hands every finished result back, in call order (only once all have finished). */
  const release = (): void => {
    for (const entry of held.splice(0)) {
      const outcome = entry.outcome;
      if (outcome?.ok) entry.resolve(outcome.value);
      else entry.reject(outcome?.error);
    }
  };

  const subtle = globalThis.crypto.subtle as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const ownBefore = new Map(countedSubtleMethods.map((name) => [name, Object.getOwnPropertyDescriptor(subtle, name)]));
  for (const name of countedSubtleMethods) {
    const original = subtle[name];
    if (typeof original !== 'function') continue;
    // An own property shadows the prototype's method; restore() puts back what was there.
    Object.defineProperty(subtle, name, {
      configurable: true,
      writable: true,
      value: (...args: unknown[]) => counted(() => original.apply(globalThis.crypto.subtle, args)),
    });
  }
  return {
    get inFlight() {
      return held.length;
    },
    countStore(store) {
      const wrapped = Object.create(store) as typeof store;
      for (const name of countedStoreMethods) {
        const original = store[name].bind(store) as (...args: unknown[]) => Promise<unknown>;
        Object.defineProperty(wrapped, name, { value: (...args: unknown[]) => counted(() => original(...args)) });
      }
      return wrapped;
    },
    async settle() {
      for (let turn = 0; turn < settleLimitTurns; turn++) {
        if (clock.nextDueMs() === clock.now()) clock.advanceTo(clock.now());
        else if (running > 0) await new Promise<void>((resolve) => (wakeWhenIdle = resolve)).finally(() => (wakeWhenIdle = null));
        else if (held.length > 0) {
          release();
          await nextTurn();
        } else {
          // Promise chains that await nothing counted finish within a turn's microtasks.
          await nextTurn();
          if (held.length === 0 && clock.nextDueMs() !== clock.now()) return;
        }
      }
      throw new Error(`the simulation did not settle within ${settleLimitTurns} host turns (${held.length} operations still under way)`);
    },
    restore() {
      for (const [name, before] of ownBefore) {
        if (before) Object.defineProperty(subtle, name, before);
        else delete subtle[name];
      }
    },
  };
}
