// Counts the RTCPeerConnections this tab holds. Chrome refuses a new one while 500 are alive in a
// tab (created and not yet garbage-collected: measured in Chromium 156, 500 created and closed, then
// after a collection 499 more), so we stop on our own below that, with a clear message instead of a
// cryptic failure. A closed connection's share comes back once the browser reclaims it, so attempts
// that failed (a hostile member's bogus offers) do not use up the tab's connections for good.

/** Connections alive at once before we stop connecting: leaves headroom under Chrome's 500. */
export const connectionBudgetPerTab = 400;

/** The tab's count of live connections, shared by every connection attempt (built in main.tsx). */
export interface ConnectionBudget {
  /** RTCPeerConnections created and not yet reclaimed. */
  readonly count: number;
  readonly limit: number;
  readonly exhausted: boolean;
  /** Takes one connection from the budget; false (and a report, once per time it runs out) when none is left. */
  take(): boolean;
  /** The connection a `take()` was for: its share comes back once the browser has reclaimed it. */
  track(connection: object): void;
}

/** Calls `reclaimed` once `target` has been garbage-collected (a FinalizationRegistry in the browser). */
export type WatchReclaim = (target: object, reclaimed: () => void) => void;

/** A FinalizationRegistry-backed watch, or none where the engine lacks it (shares then never come back). */
export function finalizationWatch(): WatchReclaim {
  if (typeof FinalizationRegistry !== 'function') return () => undefined;
  const registry = new FinalizationRegistry<() => void>((reclaimed) => reclaimed());
  return (target, reclaimed) => registry.register(target, reclaimed);
}

/** Options: the limit, whom to tell when it is reached, and how reclaimed connections are noticed. */
export interface ConnectionBudgetOptions {
  readonly limit?: number;
  /** Told each time the budget runs out, with how many connections are alive. */
  readonly onExhausted: (count: number) => void;
  readonly watch?: WatchReclaim;
}

/** Creates a budget; pass the same one to every connection attempt of the tab. */
export function createConnectionBudget(options: ConnectionBudgetOptions): ConnectionBudget {
  const limit = options.limit ?? connectionBudgetPerTab;
  const watch = options.watch ?? finalizationWatch();
  let count = 0;
  let reported = false;
  return {
    get count() {
      return count;
    },
    limit,
    get exhausted() {
      return count >= limit;
    },
    take() {
      if (count < limit) {
        count += 1;
        reported = false;
        return true;
      }
      if (!reported) {
        reported = true;
        options.onExhausted(count);
      }
      return false;
    },
    track(connection) {
      watch(connection, () => (count = Math.max(0, count - 1)));
    },
  };
}
