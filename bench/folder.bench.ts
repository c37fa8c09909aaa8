// `npm run bench`, issue 10's row: a folder of 10,000 files of 10 KB against one file of the same
// 100 MB, between the same two kinds of peers in the same run. Each journey is timed as a person
// lives it: share (pick, hash, row complete at the sharer), the friend's page from opening the link
// to the item complete, and Save (click to the finished download; for the folder, the ZIP). Written
// to bench/results/latest-folder.json. Asserts no timing; fails only if something arrives wrong.
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { test, type Browser } from '@playwright/test';
import { readSavedZip, shareFolder, writeTestFolder } from '../e2e/folder-helpers';
import { item, openPeer, sha256Hex, shareFiles } from '../e2e/peers';
import { noiseWarning, writeResults } from './report';
import { cpuSince, noisyOtherCores, snapshotCpu } from './cpu';
import { recordItemTimes, writeRandomFile, type TimesWindow } from './swarmdrop';
import { waitComplete } from './wait-complete';

/** Files in the folder: the 10,000 of issue 10's photo-library shape, and one item's file limit. */
const folderFiles = 10_000;
/** Bytes per file: 10 KB, so the folder is 100 MB. */
const fileBytes = 10_000;
/** Files per subfolder: 100 subfolders of 100, nested two deep. */
const filesPerFolder = 100;
/** Milliseconds any one phase may take before the bench fails: far above the seconds each needs. */
const phaseTimeoutMs = 300_000;

interface Journey {
  readonly shareSeconds: number;
  readonly friendSeconds: number;
  readonly saveSeconds: number;
  readonly totalSeconds: number;
}

/** One journey: share `share` from a sharer, open the link in a friend, wait for complete, save, check. */
async function journey(browser: Browser, name: string, share: (peer: Awaited<ReturnType<typeof openPeer>>) => Promise<string>, check: (path: string) => Promise<void>): Promise<Journey> {
  const sharer = await openPeer(browser);
  const friend = await openPeer(browser, 'about:blank');
  try {
    const started = Date.now();
    const link = await share(sharer);
    await waitComplete(sharer.page, name, phaseTimeoutMs);
    const shareSeconds = (Date.now() - started) / 1000;
    await friend.context.addInitScript(recordItemTimes);
    const opened = Date.now();
    await friend.page.goto(link);
    const row = item(friend.page, name);
    await waitComplete(friend.page, name, phaseTimeoutMs, { sharer: sharer.page });
    const friendSeconds = (Date.now() - opened) / 1000;
    const saving = Date.now();
    const [download] = await Promise.all([friend.page.waitForEvent('download', { timeout: phaseTimeoutMs }), row.locator('[data-testid=item-save]').click()]);
    const path = await download.path();
    const saveSeconds = (Date.now() - saving) / 1000;
    await check(path);
    const times = await friend.page.evaluate(() => (window as TimesWindow).swarmdropBenchTimes);
    if (times?.completeMs === undefined) throw new Error('item times were not recorded');
    return { shareSeconds, friendSeconds, saveSeconds, totalSeconds: shareSeconds + friendSeconds + saveSeconds };
  } finally {
    await friend.context.close();
    await sharer.context.close();
  }
}

/** What Chromium itself spends on a picked folder before any page code: hand the files over, stat each, read each once. */
interface BrowserFloor {
  readonly pickSeconds: number;
  readonly sizesSeconds: number;
  readonly readSeconds: number;
  readonly totalSeconds: number;
}

/** Reads per floor measurement in flight: as many as the hashing reads ahead (src/core/manifest.ts). */
const floorReadsInFlight = 4;

/** The browser's own per-file cost for the folder, measured on a bare file input in a fresh context. */
async function browserFloor(browser: Browser, dir: string): Promise<BrowserFloor> {
  const peer = await openPeer(browser);
  try {
    await peer.page.evaluate(() => {
      const input = document.createElement('input');
      input.type = 'file';
      input.multiple = true;
      input.webkitdirectory = true;
      input.id = 'floor-input';
      document.body.append(input);
    });
    const picking = Date.now();
    await peer.page.locator('#floor-input').setInputFiles(dir);
    const pickSeconds = (Date.now() - picking) / 1000;
    const inPage = await peer.page.evaluate(async (inFlight) => {
      const files = [...((document.getElementById('floor-input') as HTMLInputElement).files ?? [])];
      const started = performance.now();
      let bytes = 0;
      for (const file of files) bytes += file.size; // each first read of size asks the browser process
      const sized = performance.now();
      let next = 0;
      const reader = async (): Promise<void> => {
        for (let at = next; at < files.length; at = next) {
          next += 100;
          await new Blob(files.slice(at, at + 100)).arrayBuffer();
        }
      };
      await Promise.all(Array.from({ length: inFlight }, reader));
      return { bytes, sizesMs: sized - started, readMs: performance.now() - sized };
    }, floorReadsInFlight);
    const sizesSeconds = inPage.sizesMs / 1000;
    const readSeconds = inPage.readMs / 1000;
    return { pickSeconds, sizesSeconds, readSeconds, totalSeconds: pickSeconds + sizesSeconds + readSeconds };
  } finally {
    await peer.context.close();
  }
}

const row = (label: string, value: string): string => `${label.padEnd(48)}${value}`;
const seconds = (value: number): string => `${value.toFixed(2).padStart(7)} s`;

test('folder: 10,000 files of 10 KB vs one 100 MB file', async ({ browser }) => {
  const totalBytes = folderFiles * fileBytes;
  const folder = writeTestFolder(
    'library',
    Array.from({ length: folderFiles }, (_, i) => ({
      path: `${Math.floor(i / (filesPerFolder * 10))}/album ${Math.floor(i / filesPerFolder) % 10}/photo ${i}.jpg`,
      bytes: randomBytes(fileBytes),
    })),
  );
  const single = writeRandomFile('library.bin', totalBytes);
  const cpuStart = snapshotCpu();
  try {
    const one = await journey(browser, single.name, (peer) => shareFiles(peer, [single]), async (path) => {
      if (sha256Hex(readFileSync(path)) !== single.sha256) throw new Error('the saved file differs from the shared one');
    });
    const many = await journey(browser, 'library', (peer) => shareFolder(peer, folder.dir), async (path) => {
      const entries = await readSavedZip(path);
      const bySha = new Map(entries.map((e) => [e.path, e.sha256]));
      const wrong = folder.files.filter((f) => bySha.get(`library/${f.path}`) !== f.sha256);
      if (entries.length !== folderFiles || wrong.length > 0) throw new Error(`the ZIP has ${entries.length} entries, ${wrong.length} wrong or missing`);
    });
    const floor = await browserFloor(browser, folder.dir);
    const ratio = many.totalSeconds / one.totalSeconds;
    const ratioAboveFloor = (many.totalSeconds - floor.totalSeconds) / one.totalSeconds;
    const noisy = cpuSince(cpuStart).otherCores > noisyOtherCores;
    console.log(
      [
        '',
        `Chromium ${browser.version()}: ${folderFiles.toLocaleString('en-US')} files of ${fileBytes / 1000} KB vs one file of ${totalBytes / 1e6} MB`,
        row('', '   one file    folder'),
        row('share (pick, hash, complete at the sharer)', `${seconds(one.shareSeconds)}  ${seconds(many.shareSeconds)}`),
        row('friend: link opened to item complete', `${seconds(one.friendSeconds)}  ${seconds(many.friendSeconds)}`),
        row('save (click to download written; ZIP for the folder)', `${seconds(one.saveSeconds)}  ${seconds(many.saveSeconds)}`),
        row('whole journey', `${seconds(one.totalSeconds)}  ${seconds(many.totalSeconds)}`),
        row('ratio folder / one file (target ≤ 1.5)', `${ratio.toFixed(2).padStart(7)}`),
        row('browser floor: hand over 10,000 picked files', `${seconds(floor.pickSeconds)}`),
        row('  + read each file\'s size (one IPC each)', `${seconds(floor.sizesSeconds)}`),
        row(`  + read every file once (${floorReadsInFlight} reads in flight)`, `${seconds(floor.readSeconds)}`),
        row('  = what no page code avoids', `${seconds(floor.totalSeconds)}`),
        row('ratio (folder journey − floor) / one file', `${ratioAboveFloor.toFixed(2).padStart(7)}`),
        ...noiseWarning(noisy),
        '',
      ].join('\n'),
    );
    writeResults('latest-folder.json', JSON.stringify({ date: new Date().toISOString(), chromium: browser.version(), folderFiles, fileBytes, one, folder: many, ratio, floor, ratioAboveFloor, noisy }, null, 2));
  } finally {
    rmSync(single.dir, { recursive: true, force: true });
    rmSync(folder.dir, { recursive: true, force: true });
  }
});
