// The swarm view with 1 sharer and 3 downloaders: each page draws itself and its peers with an edge
// to each, and each item's piece map counts the pieces that page holds, as its item row says.
import { randomBytes } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { snap } from './look-helpers';
import { item, openPeer, saveItem, shareFiles, writeTestFiles } from './peers';

/** 12 MB at 1 MB/s from the sharer: every piece leaves it once, so the swarm is mid-way for about 12 s. */
const [file] = writeTestFiles([{ name: 'swarm-view-12MB.bin', bytes: randomBytes(12 * 1000 * 1000) }]);
const slowSharer = { 'swarmdrop.uploadLimit': '1000000' };

/** Set bits in the item row's `data-held` hex bitfield. */
function heldInRow(hex: string): number {
  let count = 0;
  for (const digit of hex) count += [...parseInt(digit, 16).toString(2)].filter((bit) => bit === '1').length;
  return count;
}

/** The page's piece map of `name` agrees with its item row: same pieces held, same piece count. */
async function expectMapMatchesRow(page: Page, name: string): Promise<void> {
  const map = page.locator(`[data-testid=item-piece-map][data-name="${name}"]`);
  const row = item(page, name);
  await expect
    .poll(async () => {
      const [held, counted, rowChunks, mapChunks] = await Promise.all([
        row.getAttribute('data-held'),
        map.getAttribute('data-held-count'),
        row.getAttribute('data-chunks'),
        map.getAttribute('data-chunks'),
      ]);
      return held !== null && counted === String(heldInRow(held)) && rowChunks === mapChunks;
    })
    .toBe(true);
}

test('the swarm view draws the peers, the rates between them and each page’s pieces', async ({ browser }, testInfo) => {
  if (!file) throw new Error('test file missing');
  const sharer = await openPeer(browser, undefined, slowSharer);
  const link = await shareFiles(sharer, [file]);
  await expect(item(sharer.page, file.name)).toHaveAttribute('data-state', 'complete');
  const downloaders = [await openPeer(browser, link), await openPeer(browser, link), await openPeer(browser, link)];

  // Mid-swarm (checked first: on a loaded machine the view's checks below can outlast the ~12 s window):
  // a downloader is downloading with an ETA; the sharer sees itself and three peers; every map agrees with its row.
  const downloading = downloaders[0];
  if (!downloading) throw new Error('downloader missing');
  await expect(item(downloading.page, file.name)).toHaveAttribute('data-state', 'downloading');
  await expect(item(downloading.page, file.name).locator('[data-testid=item-eta]')).toHaveText(/( · )?(\S+ \S+\/s · .+ left|waiting for peers)/);
  const view = sharer.page.locator('[data-testid=swarm-view]');
  await expect(view).toHaveAttribute('data-nodes', '4');
  await expect(view).toHaveAttribute('data-edges', '3');
  await expect(view.locator('canvas[role=img]').first()).toHaveAttribute('aria-label', /You and 3 peers: receiving .*, sending .*/);
  for (const peer of [sharer, ...downloaders]) await expectMapMatchesRow(peer.page, file.name);
  for (const peer of downloaders) await expect(peer.page.locator('[data-testid=swarm-view]')).toHaveAttribute('data-edges', '3');
  await snap(sharer.page, testInfo, 'sharer-mid-swarm');
  await snap(downloading.page, testInfo, 'downloader-mid-swarm', 'room-swarm');

  // Done: every downloader holds every piece, its map says so, and the bytes are the sharer's.
  for (const peer of downloaders) {
    await expect(item(peer.page, file.name)).toHaveAttribute('data-state', 'complete', { timeout: 60_000 });
    await expectMapMatchesRow(peer.page, file.name);
    await expect(peer.page.locator(`[data-testid=item-piece-map][data-name="${file.name}"]`)).toHaveAttribute('data-held-count', await item(peer.page, file.name).getAttribute('data-chunks') ?? '');
    expect(await saveItem(peer.page, file.name)).toEqual({ sha256: file.sha256, size: file.size, fileName: file.name });
  }
  expect([sharer, ...downloaders].flatMap((peer) => peer.consoleErrors)).toEqual([]);
  for (const peer of [sharer, ...downloaders]) await peer.context.close();
});
