// The benches' one wait for an item to finish. A wait that ends in an error or a timeout throws with
// what every page of the run showed at that moment (each item, peer and error row with its data
// attributes), read before the caller closes the contexts: a stalled run then says where it stuck.
import type { Page } from '@playwright/test';
import { item } from '../e2e/peers';

/** The rows that say how far a page got. */
const rowSelector = '[data-testid=item], [data-testid=peer], [data-testid=error]';

/** One line per item, peer and error row of a page: its test id, data attributes, and an error's text. */
export async function describeRows(page: Page): Promise<string[]> {
  if (page.isClosed()) return ['(page closed)'];
  return page.locator(rowSelector).evaluateAll((rows) =>
    rows.map((row) => {
      const attributes = [...row.attributes].filter((a) => a.name.startsWith('data-') && a.name !== 'data-testid').map((a) => `${a.name.slice(5)}=${a.value}`);
      const text = row.getAttribute('data-testid') === 'error' ? ` “${row.textContent ?? ''}”` : '';
      return `${row.getAttribute('data-testid') ?? '?'} ${attributes.join(' ')}${text}`;
    }),
  );
}

/** What each named page shows, for an error message; a page that cannot be read says why instead. */
export async function describePages(pages: Readonly<Record<string, Page>>): Promise<string> {
  const parts = await Promise.all(
    Object.entries(pages).map(async ([label, page]) => {
      const rows = await describeRows(page).catch((error: unknown) => [`(unreadable: ${String(error)})`]);
      return `${label}:\n${rows.map((row) => `  ${row}`).join('\n') || '  (no rows)'}`;
    }),
  );
  return parts.join('\n');
}

/**
 * Waits up to `timeoutMs` for `page`'s item `name` to reach data-state=complete. Throws if the page
 * shows an error instead or time runs out, with the rows of `page` and of `others` in the message.
 */
export async function waitComplete(page: Page, name: string, timeoutMs: number, others: Readonly<Record<string, Page>> = {}): Promise<void> {
  const done = item(page, name).and(page.locator('[data-state=complete]'));
  const failure = await done
    .or(page.locator('[data-testid=error]'))
    .first()
    .waitFor({ timeout: timeoutMs })
    .then(async () => ((await done.isVisible()) ? null : 'shows an error'))
    .catch((error: unknown) => `did not finish in ${timeoutMs / 1000} s (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`);
  if (failure === null) return;
  throw new Error(`“${name}” ${failure}. What the pages showed:\n${await describePages({ waiting: page, ...others })}`);
}
