// Issue 10: "Save as ZIP" of a folder of a few hundred files never started a download. Chromium
// stops answering byte-stream reads of file-backed Blobs after a few hundred streams (the CRC pass
// opened one per file), so the save hung without a word; a save now reads through one stream. 2,000
// small files, nested three deep, with spaces, non-ASCII and an empty file: the friend's ZIP holds
// every entry, byte-exact. And a save that finds a stored chunk gone says so and fetches it again.
import { randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { item, openPeer, sha256Hex } from './peers';
import { readSavedZip, saveDownload, shareFolder, writeTestFolder, type FolderFileInfo } from './folder-helpers';

/** Far past the ~250 streams after which the old CRC pass hung (measured in Chromium 156). */
const fileCount = 2000;

const library = writeTestFolder('photo library', [
  { path: 'empty.txt', bytes: new Uint8Array(0) },
  ...Array.from({ length: fileCount - 1 }, (_, i) => ({
    path: `${2020 + (i % 5)}/Ünïcödé ${i % 9}/día ${i % 4}/photo ${String(i).padStart(4, '0')}.jpg`,
    bytes: randomBytes(2000 + ((i * 37) % 3000)),
  })),
]);

test('a folder of 2,000 files saves as a ZIP with every entry, byte-exact, and one file out of it saves alone', async ({ browser }) => {
  const sharer = await openPeer(browser);
  const link = await shareFolder(sharer, library.dir);
  const friend = await openPeer(browser, link);
  const row = item(friend.page, 'photo library');
  await expect(row).toHaveAttribute('data-state', 'complete', { timeout: 90_000 });
  const saved = await saveDownload(friend.page, row);
  expect(saved.fileName).toBe('photo library.zip');
  const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  const entries = (await readSavedZip(saved.path)).map(({ path, size, sha256 }) => ({ path, size, sha256 })).sort(byPath);
  const expected = library.files.map((f: FolderFileInfo) => ({ path: `photo library/${f.path}`, size: f.size, sha256: f.sha256 })).sort(byPath);
  expect(entries).toHaveLength(fileCount);
  expect(entries).toEqual(expected);
  // One file out of the folder, from its file list, saves as itself.
  const one = library.files.find((f) => f.path.endsWith('photo 0007.jpg'));
  if (!one) throw new Error('test file missing');
  await row.locator('[data-testid=item-files-more]').click();
  // Expanded, the list shows a page of rows, and a filter finds any file of the 2,000.
  await expect(row.locator('[data-testid=item-file]')).toHaveCount(500);
  await row.locator('[data-testid=item-files-filter]').fill('photo 0007');
  const fileRow = row.locator(`[data-testid=item-file][data-path="${one.path}"]`);
  const [download] = await Promise.all([friend.page.waitForEvent('download'), fileRow.locator('[data-testid=item-file-save]').click()]);
  expect(download.suggestedFilename()).toBe('photo 0007.jpg');
  expect(sha256Hex(readFileSync(await download.path()))).toBe(one.sha256);
  await expect(friend.page.locator('[data-testid=error]')).toHaveCount(0);
  expect([...sharer.consoleErrors, ...friend.consoleErrors]).toEqual([]);

  // A stored chunk vanishes (storage cleared under the page): Save says which and what happens, the
  // item fetches it again from the sharer, and then saves whole.
  const itemId = (await row.getAttribute('data-item-id')) ?? '';
  /** Whether the friend stores chunk 1 of the item, after deleting it first when `remove`. */
  const holdsChunkOne = (remove: boolean) =>
    friend.page.evaluate(
      ({ id, remove }) =>
        new Promise<boolean>((resolve, reject) => {
          const open = indexedDB.open('swarmdrop-chunks');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const tx = open.result.transaction('chunks', remove ? 'readwrite' : 'readonly');
            const store = tx.objectStore('chunks');
            if (remove) store.delete([id, 1]);
            const count = store.count([id, 1]);
            tx.oncomplete = () => {
              open.result.close();
              resolve(count.result === 1);
            };
            tx.onerror = () => reject(tx.error);
          };
        }),
      { id: itemId, remove },
    );
  expect(await holdsChunkOne(true)).toBe(false);
  await row.locator('[data-testid=item-save]').click();
  await expect(friend.page.locator('[data-testid=error]')).toContainText(
    "Could not save photo library: 1 piece is missing from this browser's storage (it holds part of ",
  );
  await expect.poll(() => holdsChunkOne(false), { timeout: 60_000 }).toBe(true);
  await expect(row).toHaveAttribute('data-state', 'complete', { timeout: 60_000 });
  const again = await saveDownload(friend.page, row);
  expect((await readSavedZip(again.path)).map(({ path, size, sha256 }) => ({ path, size, sha256 })).sort(byPath)).toEqual(expected);
  expect([...sharer.consoleErrors, ...friend.consoleErrors]).toEqual([]);
  await friend.context.close();
  await sharer.context.close();
});
