// Issue 4: verified chunks survive a reload; the sharer keeps seeding after one.
import { randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { item, openPeer, saveItem, shareFiles, writeTestFiles } from './peers';
import { indexesOf, recordChunkRequests, requestsByLoad } from './persistence-helpers';
import { heldChunks } from './swarm-helpers';

const capped = (bytesPerSecond: number) => ({ 'swarmdrop.uploadLimit': String(bytesPerSecond) });

test('a downloader that reloads halfway resumes and fetches no verified chunk again', async ({ browser }) => {
  const [file] = writeTestFiles([{ name: 'resume-40MB.bin', bytes: randomBytes(40 * 1000 * 1000) }]);
  if (!file) throw new Error('no file');
  const sharer = await openPeer(browser, undefined, capped(8_000_000));
  const link = await shareFiles(sharer, [file]);
  const downloader = await openPeer(browser, link, {}, [recordChunkRequests]);
  const progress = item(downloader.page, file.name).locator('[data-testid=item-progress]');
  await expect
    .poll(async () => Number(await progress.getAttribute('value')) / file.size, { timeout: 60_000 })
    .toBeGreaterThanOrEqual(0.5);
  const before = await heldChunks(downloader.page, file.name);
  await downloader.page.reload();

  // Right after the reload the stored chunks are back, before any peer has sent anything.
  const row = item(downloader.page, file.name);
  await expect(row).toBeVisible();
  const restored = await heldChunks(downloader.page, file.name);
  expect(restored.mask & before.mask).toBe(before.mask);
  await expect(row).toHaveAttribute('data-state', 'complete', { timeout: 60_000 });

  const [firstLoad, secondLoad] = await requestsByLoad(downloader.page);
  const heldBefore = new Set(indexesOf(before.mask, before.count));
  expect(firstLoad?.length).toBeGreaterThan(0);
  expect(secondLoad?.filter((index) => heldBefore.has(index))).toEqual([]);
  expect((await saveItem(downloader.page, file.name)).sha256).toBe(file.sha256);
  await downloader.context.close();
  await sharer.context.close();
});

test('the sharer keeps seeding after a reload; a new peer completes', async ({ browser }) => {
  const [file] = writeTestFiles([{ name: 'kept-12MB.bin', bytes: randomBytes(12 * 1000 * 1000) }]);
  if (!file) throw new Error('no file');
  const sharer = await openPeer(browser);
  const link = await shareFiles(sharer, [file]);
  await expect(item(sharer.page, file.name)).toHaveAttribute('data-state', 'complete');
  await expect(sharer.page.locator('[data-testid=keeping-copy]')).toHaveCount(0, { timeout: 30_000 });
  await sharer.page.reload();
  const row = item(sharer.page, file.name);
  await expect(row).toHaveAttribute('data-state', 'complete');
  await expect(row).toContainText('shared by you');

  const newcomer = await openPeer(browser, link);
  await expect(item(newcomer.page, file.name)).toHaveAttribute('data-state', 'complete', { timeout: 60_000 });
  expect((await saveItem(newcomer.page, file.name)).sha256).toBe(file.sha256);
  expect((await saveItem(sharer.page, file.name)).sha256).toBe(file.sha256);
  await newcomer.context.close();
  await sharer.context.close();
});
