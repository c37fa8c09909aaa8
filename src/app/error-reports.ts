// What is shown to the person as errors (as codes; src/app/messages.ts words them), kept apart from the session so that every part (the
// session, persistence, the connection budget, the connector) can report from the moment it is built.
import type { Report } from '../core/reports';
import { createDerivedStore, type ExternalStore } from '../core/store';

/** One error shown on the page. */
export interface ErrorReport {
  readonly id: number;
  readonly report: Report;
}

/** The errors on the page. */
export interface ErrorReports extends ExternalStore<readonly ErrorReport[]> {
  report(report: Report): void;
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
    report(report) {
      reports = [...reports, { id: nextId++, report }];
      store.invalidate();
    },
    dismiss(id) {
      reports = reports.filter((r) => r.id !== id);
      store.invalidate();
    },
  };
}
