// The sentences shown to the person as errors, kept apart from the session so that every part (the
// session, persistence, the connection budget, the connector) can report from the moment it is built.
import { createDerivedStore, type ExternalStore } from '../core/store';

/** One error shown on the page. */
export interface ErrorReport {
  readonly id: number;
  readonly message: string;
}

/** The errors on the page. */
export interface ErrorReports extends ExternalStore<readonly ErrorReport[]> {
  report(message: string): void;
  dismiss(id: number): void;
}

/** Creates an empty list. */
export function createErrorReports(): ErrorReports {
  let reports: readonly ErrorReport[] = [];
  let nextId = 1;
  const store = createDerivedStore(() => reports, 0);
  return {
    getSnapshot: store.getSnapshot,
    subscribe: store.subscribe,
    report(message) {
      reports = [...reports, { id: nextId++, message }];
      store.invalidate();
    },
    dismiss(id) {
      reports = reports.filter((r) => r.id !== id);
      store.invalidate();
    },
  };
}
