// Issue 4, folders: a folder shared through the folder picker is ONE item named after it, listing its
// files; a friend downloads it from the room link and saves it as one ZIP whose entries keep the
// folder's paths and bytes; so can the sharer. A loose file shared alongside stays its own item.
import { randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { item, openPeer, saveItem, sha256Hex } from './peers';
import { dropFile, readSavedZip, saveDownload, shareFolder, unzipTest, writeTestFolder, type FolderFileInfo } from './folder-helpers';

const text = (value: string): Uint8Array => new TextEncoder().encode(value);

/** 16 files, so the list shows 10 and "and 6 more"; 3 MB of random bytes spans several 1 MiB chunks. */
const trip = writeTestFolder('trip', [
  { path: 'notes.txt', bytes: text('packing list\n'.repeat(100)) },
  { path: 'photos/a b.bin', bytes: randomBytes(3 * 1000 * 1000) },
  { path: 'photos/ü.txt', bytes: text('über\n') },
  { path: 'empty.txt', bytes: new Uint8Array(0) },
  { path: 'photos/2024/日本 ✓/deep.txt', bytes: text('deep') },
  ...Array.from({ length: 11 }, (_, i) => ({ path: `many/file ${String(i).padStart(2, '0')}.txt`, bytes: randomBytes(i * 100) })),
]);
const sortedPaths = trip.files.map((f) => f.path).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/** Saves the folder item and checks the download: a ZIP of exactly the folder's files, byte-exact. */
async function expectZipOfTrip(page: Parameters<typeof item>[0]): Promise<void> {
  const saved = await saveDownload(page, item(page, 'trip'));
  expect(saved.fileName).toBe('trip.zip');
  const entries = await readSavedZip(saved.path);
  const expected = (f: FolderFileInfo) => ({ path: `trip/${f.path}`, size: f.size, sha256: f.sha256, flags: 0x0800, method: 0 });
  expect(entries).toEqual(sortedPaths.map((p) => expected(trip.files.find((f) => f.path === p) as FolderFileInfo)));
  const checked = unzipTest(saved.path);
  if (checked !== null) expect(checked).toContain('No errors detected');
}

test('a shared folder is one item that a friend saves as a ZIP of the same tree', async ({ browser }) => {
  const sharer = await openPeer(browser);
  const link = await shareFolder(sharer, trip.dir);
  const mine = item(sharer.page, 'trip');
  await expect(mine).toHaveAttribute('data-state', 'complete');
  await expect(sharer.page.locator('[data-testid=item]')).toHaveCount(1);

  // A loose file dropped alongside is an item of its own and saves as itself. (A synthetic drop has no
  // file-system entries, so this takes the drop zone's plain-file path; folder walking is unit-tested.)
  const loose = { name: 'loose.txt', bytes: text('on its own') };
  await dropFile(sharer.page, loose.name, loose.bytes);
  await expect(item(sharer.page, loose.name)).toHaveAttribute('data-state', 'complete');

  const friend = await openPeer(browser, link);
  const row = item(friend.page, 'trip');
  await expect(row).toBeVisible();
  await expect(friend.page.locator('[data-testid=item]')).toHaveCount(2);
  // The list shows the first 10 paths (in the manifest's sorted order) with sizes, then the rest on request.
  const listed = row.locator('[data-testid=item-file]');
  await expect(listed).toHaveCount(10);
  await expect(row.locator('[data-testid=item-files-more]')).toHaveText('and 6 more');
  await row.locator('[data-testid=item-files-more]').click();
  await expect(listed).toHaveCount(16);
  expect(await listed.evaluateAll((els) => els.map((el) => el.getAttribute('data-path')))).toEqual(sortedPaths);
  await expect(row.locator('[data-testid=item-file][data-path="photos/a b.bin"]')).toContainText('3.0 MB');

  await expect(row).toHaveAttribute('data-state', 'complete', { timeout: 60_000 });
  const total = trip.files.reduce((sum, f) => sum + f.size, 0);
  await expect(row.locator('[data-testid=item-progress]')).toHaveAttribute('value', String(total));
  await expectZipOfTrip(friend.page);
  await expect(item(friend.page, 'loose.txt')).toHaveAttribute('data-state', 'complete');
  expect(await saveItem(friend.page, 'loose.txt')).toEqual({ sha256: sha256Hex(loose.bytes), size: loose.bytes.length, fileName: 'loose.txt' });

  // The sharer saves its own folder the same way (from the picked files or their stored copy).
  await expectZipOfTrip(sharer.page);

  await expect(friend.page.locator('[data-testid=error]')).toHaveCount(0);
  await expect(sharer.page.locator('[data-testid=error]')).toHaveCount(0);
  expect([...sharer.consoleErrors, ...friend.consoleErrors]).toEqual([]);
  await friend.context.close();
  await sharer.context.close();
});
