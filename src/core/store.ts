// A tiny external store (subscribe / getSnapshot) that React reads through useSyncExternalStore.
// The snapshot is rebuilt lazily and only after a change, so identical reads return the same object.
import { systemClock, type Clock, type TimerHandle } from './clock';

/** What the UI binds to. */
export interface ExternalStore<T> {
  getSnapshot(): T;
  subscribe(listener: () => void): () => void;
}

/**
 * A store whose snapshot is built by `build` after each `invalidate()`. Listeners hear at most one
 * call per `notifyIntervalMs`; the first change after a quiet spell is announced at once (next task).
 */
export interface DerivedStore<T> extends ExternalStore<T> {
  invalidate(): void;
  dispose(): void;
}

/** Creates a lazily rebuilt, throttled store; its throttle runs on `clock`. */
export function createDerivedStore<T>(build: () => T, notifyIntervalMs: number, clock: Clock = systemClock): DerivedStore<T> {
  const listeners = new Set<() => void>();
  let snapshot = build();
  let dirty = false;
  let timer: TimerHandle | null = null;
  let lastNotifyMs = -Infinity;
  const notify = (): void => {
    timer = null;
    lastNotifyMs = clock.now();
    for (const listener of [...listeners]) listener();
  };
  return {
    getSnapshot() {
      if (dirty) {
        snapshot = build();
        dirty = false;
      }
      return snapshot;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    invalidate() {
      dirty = true;
      if (timer === null) timer = clock.setTimeout(notify, Math.max(0, lastNotifyMs + notifyIntervalMs - clock.now()));
    },
    dispose() {
      if (timer !== null) clock.clearTimeout(timer);
      listeners.clear();
    },
  };
}
