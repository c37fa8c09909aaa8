// Firefox as a first-class engine: files cross between Chromium and Firefox byte-exact in both
// directions, and a Firefox peer keeps a swarm alive for a Chromium latecomer after the sharer leaves.
// Every peer is its own browser context (Chromium) or its own browser and profile (Firefox).
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { expect, test } from '@playwright/test';
import { item, openPeer, saveItem, shareFiles, writeTestFiles, type TestPeer } from './peers';
import { downloadedFrom } from './swarm-helpers';
import {
  firefoxPeerId,
  firefoxUnavailable,
  openFirefoxPeer,
  saveItemFirefox,
  shareFilesFirefox,
  textOf,
  waitForCompleteFirefox,
  waitForTextFirefox,
  type FirefoxPeer,
} from './firefox';

/** A transfer between two browsers on two cores runs at ~20 MB/s (shared/MEASURED.md); this is ample (ms). */
const transferTimeoutMs = 60_000;

const [big, note] = writeTestFiles([
  // Over 16 MiB, so the sharing side hashes it through a Blob byte stream (src/files/hash-files.ts).
  { name: 'random-17MiB.bin', bytes: randomBytes(17 * 1024 * 1024 + 4_321) },
  { name: 'note from ü ✓.txt', bytes: new TextEncoder().encode('cross-engine héllo\n'.repeat(200)) },
]);

test.afterAll(() => {
  for (const file of [big, note]) if (file) rmSync(dirname(file.path), { recursive: true, force: true });
});

/** Said once per run, not once per test: the list reporter shows no skip reasons of its own. */
let skipExplained = false;

test.beforeEach(() => {
  const reason = firefoxUnavailable();
  if (reason !== null && !skipExplained) console.log(`Firefox tests skipped: ${reason}`);
  skipExplained ||= reason !== null;
  test.skip(reason !== null, `Firefox tests skipped: ${reason ?? ''}`);
});

/** Closes every peer, Firefox and Chromium, even when one of them fails to close. */
async function closeAll(firefoxPeers: readonly (FirefoxPeer | undefined)[], chromiumPeers: readonly (TestPeer | undefined)[]): Promise<void> {
  const results = await Promise.allSettled([...firefoxPeers.map((p) => p?.close()), ...chromiumPeers.map((p) => p?.context.close())]);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

test('Chromium → Firefox: a Firefox friend downloads both shared files byte-exact', async ({ browser }) => {
  if (!big || !note) throw new Error('test files missing');
  let sharer: TestPeer | undefined;
  let friend: FirefoxPeer | undefined;
  try {
    sharer = await openPeer(browser);
    const link = await shareFiles(sharer, [big, note]);
    friend = await openFirefoxPeer(link);
    for (const file of [big, note]) {
      await waitForCompleteFirefox(friend, file.name, transferTimeoutMs);
      expect(await saveItemFirefox(friend, file.name)).toEqual({ sha256: file.sha256, size: file.size, fileName: file.name });
    }
    await waitForTextFirefox(friend, '[data-testid=peer-count]', '1');
    // The route comes from Firefox's getStats(): its transport's selectedCandidatePairId. The DTLS
    // certificate check runs in Firefox too (from RTCDtlsTransport.getRemoteCertificates()).
    await friend.page.waitForSelector('[data-testid=peer][data-route=direct][data-dtls=match]');
    await expect(sharer.page.locator('[data-testid=peer]')).toHaveAttribute('data-dtls', 'match');
    await expect(sharer.page.locator('[data-testid=peer-count]')).toHaveText('1');
    expect(await textOf(friend, '[data-testid=error]')).toBeNull();
    expect([...sharer.consoleErrors, ...friend.consoleErrors]).toEqual([]);
  } finally {
    await closeAll([friend], [sharer]);
  }
});

test('Firefox → Chromium: a Chromium friend downloads what Firefox shared byte-exact', async ({ browser }) => {
  if (!big || !note) throw new Error('test files missing');
  let sharer: FirefoxPeer | undefined;
  let friend: TestPeer | undefined;
  try {
    sharer = await openFirefoxPeer();
    const link = await shareFilesFirefox(sharer, [big, note]);
    friend = await openPeer(browser, link);
    for (const file of [big, note]) {
      await expect(item(friend.page, file.name)).toHaveAttribute('data-state', 'complete', { timeout: transferTimeoutMs });
      expect(await saveItem(friend.page, file.name)).toEqual({ sha256: file.sha256, size: file.size, fileName: file.name });
    }
    await expect(friend.page.locator('[data-testid=peer-count]')).toHaveText('1');
    await sharer.page.waitForSelector('[data-testid=peer][data-route=direct]');
    await expect(friend.page.locator('[data-testid=error]')).toHaveCount(0);
    expect([...sharer.consoleErrors, ...friend.consoleErrors]).toEqual([]);
  } finally {
    await closeAll([sharer], [friend]);
  }
});

test('mixed swarm: the Chromium sharer leaves and a Chromium latecomer gets the file from Firefox', async ({ browser }) => {
  const [file] = writeTestFiles([{ name: 'mixed-16MB.bin', bytes: randomBytes(16 * 1000 * 1000) }]);
  if (!file) throw new Error('no file');
  let sharer: TestPeer | undefined;
  let keeper: FirefoxPeer | undefined;
  let latecomer: TestPeer | undefined;
  try {
    sharer = await openPeer(browser);
    const link = await shareFiles(sharer, [file]);
    keeper = await openFirefoxPeer(link);
    await waitForCompleteFirefox(keeper, file.name, transferTimeoutMs);
    const keeperId = await firefoxPeerId(keeper);
    const sharerErrors = sharer.consoleErrors;
    await sharer.context.close();
    sharer = undefined;

    latecomer = await openPeer(browser, link);
    await expect(item(latecomer.page, file.name)).toHaveAttribute('data-state', 'complete', { timeout: transferTimeoutMs });
    expect(await saveItem(latecomer.page, file.name)).toEqual({ sha256: file.sha256, size: file.size, fileName: file.name });
    expect((await downloadedFrom(latecomer.page)).get(keeperId), 'bytes the latecomer got from the Firefox peer').toBe(file.size);
    expect((await saveItemFirefox(keeper, file.name)).sha256).toBe(file.sha256);
    expect([...sharerErrors, ...keeper.consoleErrors, ...latecomer.consoleErrors]).toEqual([]);
  } finally {
    rmSync(dirname(file.path), { recursive: true, force: true });
    await closeAll([keeper], [latecomer, sharer]);
  }
});
