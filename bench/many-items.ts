// Many separate items (issue 10): 2,000 small files dropped at once on one page, timed at a friend's page
// from its navigation to every item row appearing and to every item complete, beside one file of the same
// total bytes in the same run. The friend's times come from a MutationObserver installed before the page
// loads: it counts rows as they are added and each row's first data-state=complete, with no polling.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { expect, type Browser } from '@playwright/test';
import { openPeer, writeTestFiles, type TestFile } from '../e2e/peers';
import { writeRandomFile } from './swarmdrop';

/** Separate items dropped at once: the target. */
export const manyItemCount = 2000;
/** Each file's size in bytes, 1–20 KB: small files, where per-item costs show. */
const fileBytes = (i: number): number => 1000 + ((i * 7919) % 19_001);
/** Milliseconds to wait for a side to finish: far beyond the target (3 s to appear); a stall fails the bench. */
const phaseTimeoutMs = 300_000;

/** Times one share took at the friend, in seconds from its navigation. */
export interface ArrivalTimes {
  /** Every item row shown. */
  readonly appearSeconds: number;
  /** Every item complete. */
  readonly completeSeconds: number;
  /** From the drop to every item shared (hashed) at the sharer. */
  readonly sharerSeconds: number;
}

/** What the friend's page records. */
interface Counts {
  rows: number;
  complete: number;
  allRowsMs?: number;
  allCompleteMs?: number;
}
type CountsWindow = Window & { swarmdropItemCounts?: Counts };

/** Init script: counts item rows added and rows that reached complete, noting when each count reaches `want`. */
function countItems(want: number): void {
  const counts: Counts = { rows: 0, complete: 0 };
  (window as CountsWindow).swarmdropItemCounts = counts;
  const seen = new WeakSet<Element>();
  const done = new WeakSet<Element>();
  const visit = (row: Element): void => {
    if (!seen.has(row)) {
      seen.add(row);
      counts.rows++;
      if (counts.rows === want) counts.allRowsMs = performance.now();
    }
    if (!done.has(row) && row.getAttribute('data-state') === 'complete') {
      done.add(row);
      counts.complete++;
      if (counts.complete === want) counts.allCompleteMs = performance.now();
    }
  };
  new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === 'attributes' && record.target instanceof Element && record.target.matches('[data-testid=item]')) visit(record.target);
      for (const node of record.addedNodes) {
        if (!(node instanceof Element)) continue;
        if (node.matches('[data-testid=item]')) visit(node);
        node.querySelectorAll('[data-testid=item]').forEach(visit);
      }
    }
  }).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-state'] });
}

/** Shares `files` from one context, opens the room in another, and times the friend's arrivals. */
async function timeArrivals(browser: Browser, files: readonly TestFile[]): Promise<ArrivalTimes> {
  const sharer = await openPeer(browser);
  const friend = await openPeer(browser, 'about:blank');
  try {
    const dropped = Date.now();
    await sharer.page.locator('[data-testid=drop-input]').setInputFiles(files.map((f) => f.path));
    await expect(sharer.page.locator('[data-testid=item][data-state=complete]')).toHaveCount(files.length, { timeout: phaseTimeoutMs });
    const sharerSeconds = (Date.now() - dropped) / 1000;
    const link = (await sharer.page.locator('[data-testid=room-link]').textContent()) ?? '';
    await friend.context.addInitScript(countItems, files.length);
    await friend.page.goto(link);
    const done = await friend.page.waitForFunction(() => (window as CountsWindow).swarmdropItemCounts?.allCompleteMs !== undefined, null, {
      timeout: phaseTimeoutMs,
      polling: 250,
    });
    await done.dispose();
    const counts = await friend.page.evaluate(() => (window as CountsWindow).swarmdropItemCounts);
    if (counts?.allRowsMs === undefined || counts.allCompleteMs === undefined) throw new Error('the friend recorded no times');
    await expect(friend.page.locator('[data-testid=error]')).toHaveCount(0);
    return { appearSeconds: counts.allRowsMs / 1000, completeSeconds: counts.allCompleteMs / 1000, sharerSeconds };
  } finally {
    await friend.context.close();
    await sharer.context.close();
  }
}

/** The many-items figures, and the same total bytes as one file. */
export interface ManyItemsResult {
  readonly itemCount: number;
  readonly totalBytes: number;
  readonly many: ArrivalTimes;
  readonly oneFile: ArrivalTimes;
}

/** Runs both shares in one browser: 2,000 small files, then one file of their total size. */
export async function measureManyItems(browser: Browser): Promise<ManyItemsResult> {
  const files = writeTestFiles(Array.from({ length: manyItemCount }, (_, i) => ({ name: `item ${String(i).padStart(4, '0')}.bin`, bytes: randomBytes(fileBytes(i)) })));
  const totalBytes = files.reduce((sum, f) => sum + f.size, 0);
  const one = writeRandomFile('one file.bin', totalBytes);
  try {
    const many = await timeArrivals(browser, files);
    const oneFile = await timeArrivals(browser, [one]);
    return { itemCount: files.length, totalBytes, many, oneFile };
  } finally {
    rmSync(one.dir, { recursive: true, force: true });
    const [first] = files;
    if (first) rmSync(dirname(first.path), { recursive: true, force: true });
  }
}
