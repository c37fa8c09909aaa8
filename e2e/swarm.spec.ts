// Issue 3: every peer downloads from every peer; the swarm outlives the sharer; liars are banned.
import { randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { item, openPeer, saveItem, shareFiles, writeTestFiles, type TestPeer } from './peers';
import { corruptOutgoingData, downloadedFrom, expectAllComplete, heldChunks, myPeerId } from './swarm-helpers';

/** Upload caps, as the person's setting (bytes/s): a slow sharer makes the swarm matter. */
const limit = (bytesPerSecond: number) => ({ 'swarmdrop.uploadLimit': String(bytesPerSecond) });

async function closeAll(peers: readonly TestPeer[]): Promise<void> {
  for (const peer of peers) await peer.context.close();
}

test('1 sharer + 3 downloaders of 64 MB: everyone gets chunks from someone other than the sharer', async ({ browser }) => {
  const [file] = writeTestFiles([{ name: 'swarm-64MB.bin', bytes: randomBytes(64 * 1000 * 1000) }]);
  if (!file) throw new Error('no file');
  const sharer = await openPeer(browser, undefined, limit(12_000_000));
  const link = await shareFiles(sharer, [file]);
  const sharerId = await myPeerId(sharer.page);
  const downloaders: TestPeer[] = [];
  for (let i = 0; i < 3; i++) downloaders.push(await openPeer(browser, link));
  for (const d of downloaders) await expect(d.page.locator('[data-testid=peer-count]')).toHaveText('3');
  await expectAllComplete(downloaders.map((d) => d.page), file.name);
  for (const d of downloaders) {
    const fromOthers = [...(await downloadedFrom(d.page))].filter(([id]) => id !== sharerId).reduce((sum, [, bytes]) => sum + bytes, 0);
    expect(fromOthers, 'bytes received from peers other than the sharer').toBeGreaterThan(0);
    expect((await saveItem(d.page, file.name)).sha256).toBe(file.sha256);
  }
  await closeAll([...downloaders, sharer]);
});

test('the sharer leaves when the downloaders together hold every chunk; all complete, and a latecomer too', async ({ browser }) => {
  const [file] = writeTestFiles([{ name: 'leaving-16MB.bin', bytes: randomBytes(16 * 1000 * 1000) }]);
  if (!file) throw new Error('no file');
  // The sharer seeds 10x faster than the downloaders swap, so the union is whole long before anyone is.
  const sharer = await openPeer(browser, undefined, limit(4_000_000));
  const link = await shareFiles(sharer, [file]);
  const downloaders: TestPeer[] = [];
  for (let i = 0; i < 3; i++) downloaders.push(await openPeer(browser, link, limit(400_000)));
  await expect(item(downloaders[2]!.page, file.name)).toBeVisible();

  // Poll until the union of what the downloaders hold is the whole file while none holds it all.
  let closedSharer = false;
  for (let attempt = 0; attempt < 600 && !closedSharer; attempt++) {
    const held = await Promise.all(downloaders.map((d) => heldChunks(d.page, file.name)));
    const all = (1n << BigInt(held[0]!.count)) - 1n;
    const union = held.reduce((u, h) => u | h.mask, 0n);
    expect(held.some((h) => h.mask === all), 'a downloader finished before the union was whole').toBe(false);
    if (union === all) {
      await sharer.context.close();
      closedSharer = true;
    } else {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  expect(closedSharer).toBe(true);
  // Lift the downloaders' caps through the setting a person would use.
  for (const d of downloaders) {
    await d.page.locator('[data-testid=upload-limit]').fill('');
    await d.page.locator('[data-testid=upload-limit]').press('Enter');
  }
  await expectAllComplete(downloaders.map((d) => d.page), file.name);
  for (const d of downloaders) expect((await saveItem(d.page, file.name)).sha256).toBe(file.sha256);

  const latecomer = await openPeer(browser, link);
  await expectAllComplete([latecomer.page], file.name);
  expect((await saveItem(latecomer.page, file.name)).sha256).toBe(file.sha256);
  await closeAll([...downloaders, latecomer]);
});

test('a peer that sends corrupt chunks is banned and the download completes clean', async ({ browser }) => {
  const [file] = writeTestFiles([{ name: 'guarded-12MB.bin', bytes: randomBytes(12 * 1000 * 1000) }]);
  if (!file) throw new Error('no file');
  const sharer = await openPeer(browser, undefined, limit(2_000_000));
  const link = await shareFiles(sharer, [file]);
  const liar = await openPeer(browser, link, {}, [corruptOutgoingData]);
  await expectAllComplete([liar.page], file.name);
  const liarId = await myPeerId(liar.page);
  await liar.page.evaluate(() => ((window as unknown as { __corruptData: boolean }).__corruptData = true));

  const victim = await openPeer(browser, link);
  await expect(victim.page.locator('[data-testid=peer-banned]')).toBeVisible({ timeout: 60_000 });
  await expectAllComplete([victim.page], file.name);
  expect((await saveItem(victim.page, file.name)).sha256).toBe(file.sha256);
  expect([...(await downloadedFrom(victim.page)).keys()]).not.toContain(liarId);
  await expect(victim.page.locator('[data-testid=peer-count]')).toHaveText('1');
  await closeAll([victim, liar, sharer]);
});
