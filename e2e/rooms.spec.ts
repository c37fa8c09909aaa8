// Issue 4: the "your rooms" list, deleting data, and a browser restarted with the same storage.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, expect, test, type BrowserContext } from '@playwright/test';
import { chromiumArgs, chromiumExecutable } from './browser';
import { appUrl, item, loopbackOnly, openPeer, saveItem, shareFiles, writeTestFiles } from './peers';
import { indexesOf, recordChunkRequests, requestsByLoad } from './persistence-helpers';
import { heldChunks } from './swarm-helpers';

test('your rooms: what each room keeps, reopening it from storage, and deleting its data', async ({ browser }) => {
  const [file] = writeTestFiles([{ name: 'listed-3MB.bin', bytes: randomBytes(3 * 1000 * 1000) }]);
  if (!file) throw new Error('no file');
  const sharer = await openPeer(browser);
  const link = await shareFiles(sharer, [file]);
  const friend = await openPeer(browser, link);
  await expect(item(friend.page, file.name)).toHaveAttribute('data-state', 'complete');
  await sharer.context.close(); // from here on, only the friend's storage has the file

  await friend.page.goto(appUrl());
  const room = friend.page.locator('[data-testid=room]');
  await expect(room).toHaveCount(1);
  await expect(room).toContainText(file.name);
  await expect(room).toHaveAttribute('data-stored-bytes', String(file.size));

  await room.locator('[data-testid=room-open]').click();
  await expect(item(friend.page, file.name)).toHaveAttribute('data-state', 'complete');
  expect((await saveItem(friend.page, file.name)).sha256).toBe(file.sha256);

  await friend.page.goto(appUrl());
  await room.locator('[data-testid=room-delete]').click();
  await room.locator('[data-testid=room-delete-confirm]').click();
  await expect(friend.page.locator('[data-testid=rooms]')).toHaveCount(0);
  await friend.page.goto(link); // nothing kept, and nobody to fetch from: the item does not come back
  await expect(friend.page.locator('[data-testid=peer-count]')).toHaveText('0');
  await expect(friend.page.locator('[data-testid=item]')).toHaveCount(0);
  await friend.context.close();
});

/** A peer whose storage lives on disk in `dir`, like a real browser profile. */
async function launchProfile(dir: string): Promise<BrowserContext> {
  const context = await chromium.launchPersistentContext(dir, {
    args: chromiumArgs,
    acceptDownloads: true,
    ...(chromiumExecutable ? { executablePath: chromiumExecutable } : {}),
  });
  await context.grantPermissions(['camera', 'microphone'], { origin: new URL(appUrl()).origin });
  await context.addInitScript(loopbackOnly);
  await context.addInitScript(recordChunkRequests);
  return context;
}

test('a browser restarted with the same profile resumes the download without refetching', async ({ browser }) => {
  const [file] = writeTestFiles([{ name: 'restart-30MB.bin', bytes: randomBytes(30 * 1000 * 1000) }]);
  if (!file) throw new Error('no file');
  const profile = mkdtempSync(join(tmpdir(), 'swarmdrop-profile-'));
  try {
    const sharer = await openPeer(browser, undefined, { 'swarmdrop.uploadLimit': '8000000' });
    const link = await shareFiles(sharer, [file]);
    let context = await launchProfile(profile);
    let page = context.pages()[0] ?? (await context.newPage());
    await page.goto(link);
    const progress = item(page, file.name).locator('[data-testid=item-progress]');
    await expect.poll(async () => Number(await progress.getAttribute('value')) / file.size, { timeout: 60_000 }).toBeGreaterThan(0.3);
    const before = await heldChunks(page, file.name);
    await context.close();

    context = await launchProfile(profile);
    page = context.pages()[0] ?? (await context.newPage());
    await page.goto(appUrl());
    await page.locator('[data-testid=room-open]').click(); // back through "your rooms"
    const row = item(page, file.name);
    await expect(row).toHaveAttribute('data-state', 'complete', { timeout: 60_000 });
    const afterRestart = (await requestsByLoad(page)).slice(1).flat();
    const heldBefore = new Set(indexesOf(before.mask, before.count));
    expect(afterRestart.filter((index) => heldBefore.has(index))).toEqual([]);
    expect((await saveItem(page, file.name)).sha256).toBe(file.sha256);
    await context.close();
    await sharer.context.close();
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
});
