// Counts the RTCPeerConnections this tab creates. Chrome refuses new ones past 500 in a tab's
// lifetime, so we stop on our own, below that, with a clear message instead of a cryptic failure.

/** Connections a tab may create before we stop connecting: leaves headroom under Chrome's 500. */
export const connectionBudgetPerTab = 400;

/** The tab's count of created connections, shared by every connection attempt (built in main.tsx). */
export interface ConnectionBudget {
  /** RTCPeerConnections created so far. */
  readonly count: number;
  readonly limit: number;
  readonly exhausted: boolean;
  /** Takes one connection from the budget; false (and a report, the first time) once it is spent. */
  take(): boolean;
}

/** Options: the limit, and whom to tell (once) when it is reached. */
export interface ConnectionBudgetOptions {
  readonly limit?: number;
  /** Told once, with how many connections were made. */
  readonly onExhausted: (count: number) => void;
}

/** Creates a budget; pass the same one to every connection attempt of the tab. */
export function createConnectionBudget(options: ConnectionBudgetOptions): ConnectionBudget {
  const limit = options.limit ?? connectionBudgetPerTab;
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
        return true;
      }
      if (!reported) {
        reported = true;
        options.onExhausted(count);
      }
      return false;
    },
  };
}
