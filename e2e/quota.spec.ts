// Issue 4: a download that cannot fit pauses with a clear message, loses nothing, and resumes when
// space is back. Storage limits are simulated by test-only scripts in the page, not by the app.
import { randomBytes } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { item, openPeer, saveItem, shareFiles, writeTestFiles } from './peers';
import { heldChunks } from './swarm-helpers';

/**
 * Test-only, run in the page before the app: `navigator.storage.estimate()` reports
 * `window.__freeBytes` free (when set), and IndexedDB writes throw QuotaExceededError while
 * `window.__diskFull` is true.
 */
function simulateStorageLimits(): void {
  const flags = window as unknown as { __freeBytes?: number; __diskFull?: boolean };
  const estimate = navigator.storage.estimate.bind(navigator.storage);
  navigator.storage.estimate = async () =>
    flags.__freeBytes === undefined ? estimate() : { quota: flags.__freeBytes, usage: 0 };
  const put = IDBObjectStore.prototype.put;
  IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: [unknown, IDBValidKey?]) {
    if (flags.__diskFull === true) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    return Reflect.apply(put, this, args) as IDBRequest<IDBValidKey>;
  } as typeof IDBObjectStore.prototype.put;
}

const setFlag = (page: Page, name: '__freeBytes' | '__diskFull', value: number | boolean) =>
  page.evaluate(([n, v]) => ((window as unknown as Record<string, unknown>)[n as string] = v), [name, value] as const);

test('a download that cannot fit waits with a clear message and completes once space is freed', async ({ browser }) => {
  const [file] = writeTestFiles([{ name: 'too-big-8MB.bin', bytes: randomBytes(8 * 1000 * 1000) }]);
  if (!file) throw new Error('no file');
  const sharer = await openPeer(browser);
  const link = await shareFiles(sharer, [file]);
  const friend = await openPeer(browser, link, {}, [
    simulateStorageLimits,
    () => void ((window as unknown as { __freeBytes: number }).__freeBytes = 1_000_000),
  ]);
  const row = item(friend.page, file.name);
  await expect(row).toHaveAttribute('data-state', 'paused');
  await expect(row.locator('[data-testid=error]')).toContainText('Not enough storage');
  await setFlag(friend.page, '__freeBytes', 10 * 1000 * 1000 * 1000);
  await expect(row).toHaveAttribute('data-state', 'complete', { timeout: 30_000 });
  await expect(row.locator('[data-testid=error]')).toHaveCount(0);
  expect((await saveItem(friend.page, file.name)).sha256).toBe(file.sha256);
  await friend.context.close();
  await sharer.context.close();
});

test('a full disk mid-download pauses it, keeps every verified chunk, and it resumes when space is back', async ({ browser }) => {
  const [file] = writeTestFiles([{ name: 'disk-full-24MB.bin', bytes: randomBytes(24 * 1000 * 1000) }]);
  if (!file) throw new Error('no file');
  const sharer = await openPeer(browser, undefined, { 'swarmdrop.uploadLimit': '6000000' });
  const link = await shareFiles(sharer, [file]);
  const friend = await openPeer(browser, link, {}, [simulateStorageLimits]);
  const row = item(friend.page, file.name);
  const progress = row.locator('[data-testid=item-progress]');
  await expect.poll(async () => Number(await progress.getAttribute('value')), { timeout: 30_000 }).toBeGreaterThan(4_000_000);
  await setFlag(friend.page, '__freeBytes', 0);
  await setFlag(friend.page, '__diskFull', true);
  await expect(row).toHaveAttribute('data-state', 'paused', { timeout: 30_000 });
  await expect(row.locator('[data-testid=error]')).toContainText('Storage is full');
  const held = await heldChunks(friend.page, file.name);
  await friend.page.waitForTimeout(1000);
  expect((await heldChunks(friend.page, file.name)).mask).toBe(held.mask); // nothing lost while paused

  await setFlag(friend.page, '__diskFull', false);
  await setFlag(friend.page, '__freeBytes', 10 * 1000 * 1000 * 1000);
  await expect(row).toHaveAttribute('data-state', 'complete', { timeout: 60_000 });
  expect((await saveItem(friend.page, file.name)).sha256).toBe(file.sha256);
  await friend.context.close();
  await sharer.context.close();
});
