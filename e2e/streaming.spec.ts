// Media played while it downloads: a friend presses Play on a video that has barely started
// downloading; it plays before the item is complete (the service worker answers the player's range
// requests from the stored chunks), and a seek far ahead makes the pieces there the next ones fetched.
import { expect, test, type Page } from '@playwright/test';
import { chooseChunkBytes } from '../src/core/manifest';
import { makeWebmVideo } from './media-file';
import { item, openPeer, saveItem, shareFiles, writeTestFiles } from './peers';
import { recordChunkRequests, requestsByLoad } from './persistence-helpers';

/** 20 s of 6 Mbit/s: about 15 MB, in 64 KiB chunks (the size the app picks for it); the 8 MiB window is about half of it. */
const video = { seconds: 20, framesPerSecond: 25, bitsPerSecond: 6_000_000 };

/** The sharer's upload: above the video's bitrate so playback keeps up, low enough to be mid-download. */
const sharerPrefs = { 'swarmdrop.uploadLimit': '1500000' };

/** Where the player is and how much of the item the page holds. */
async function playback(page: Page): Promise<{ currentTime: number; duration: number }> {
  return page.locator('[data-testid=item-preview] video').evaluate((element) => {
    const player = element as HTMLVideoElement;
    return { currentTime: player.currentTime, duration: player.duration };
  });
}

test('a video plays while it downloads, and seeking ahead fetches the pieces there first', async ({ browser }) => {
  const bytes = await makeWebmVideo(browser, video);
  const [file] = writeTestFiles([{ name: 'noise.webm', bytes }]);
  if (!file) throw new Error('test file missing');
  const sharer = await openPeer(browser, undefined, sharerPrefs);
  const link = await shareFiles(sharer, [file]);
  await expect(item(sharer.page, file.name)).toHaveAttribute('data-state', 'complete');

  // The friend downloads nothing until Play, and records every chunk it asks for, in order.
  const friend = await openPeer(browser, link, { 'swarmdrop.autoDownload': 'false' }, [recordChunkRequests]);
  await expect.poll(() => friend.page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  const row = item(friend.page, file.name);
  await expect(row).toHaveAttribute('data-state', 'available');
  const ranges: number[] = [];
  friend.page.on('request', (request) => {
    const range = /bytes=(\d+)-/.exec(request.headers()['range'] ?? '');
    if (request.url().includes('/stream/') && range) ranges.push(Number(range[1]));
  });
  await row.locator('[data-testid=preview-play]').click();

  // It plays from the first pieces, in order, before the download ends.
  await expect.poll(async () => (await playback(friend.page)).currentTime, { timeout: 60_000 }).toBeGreaterThan(1.5);
  await expect(row).toHaveAttribute('data-state', 'downloading');
  const [firstLoad = []] = await requestsByLoad(friend.page);
  expect(firstLoad.slice(0, 3)).toEqual([0, 1, 2]);

  // Seek to 80 %: the player asks for a range there, and its chunk is among the next few asked.
  const chunkBytes = chooseChunkBytes(bytes.length);
  const { duration } = await playback(friend.page);
  expect(duration).toBeCloseTo(video.seconds, 0);
  const askedBefore = (await requestsByLoad(friend.page))[0]?.length ?? 0;
  const rangesBefore = ranges.length;
  await friend.page.locator('[data-testid=item-preview] video').evaluate((element, to) => ((element as HTMLVideoElement).currentTime = to), duration * 0.8);
  await expect.poll(() => ranges.slice(rangesBefore).some((start) => start > bytes.length / 2)).toBe(true);
  const seekChunk = Math.floor((ranges.slice(rangesBefore).find((start) => start > bytes.length / 2) ?? 0) / chunkBytes);
  await expect.poll(async () => ((await requestsByLoad(friend.page))[0] ?? []).slice(askedBefore).includes(seekChunk)).toBe(true);
  const afterSeek = ((await requestsByLoad(friend.page))[0] ?? []).slice(askedBefore);
  // Requests already on their way before the seek landed may come first: at most a pipeline's worth
  // (4 MiB: the player's range request crosses the service worker while chunks keep arriving).
  expect(afterSeek.indexOf(seekChunk) * chunkBytes).toBeLessThan(4 * 1024 * 1024);
  await expect.poll(async () => (await playback(friend.page)).currentTime, { timeout: 60_000 }).toBeGreaterThan(duration * 0.8 + 0.5);

  // And the whole file arrives intact.
  await expect(row).toHaveAttribute('data-state', 'complete', { timeout: 60_000 });
  expect(await saveItem(friend.page, file.name)).toEqual({ sha256: file.sha256, size: file.size, fileName: file.name });
  expect([...sharer.consoleErrors, ...friend.consoleErrors]).toEqual([]);
  await friend.context.close();
  await sharer.context.close();
});
