// Issue 13: the installable app. The service worker controls the page and Chromium reports it
// installable; with the network gone the start page still lists the rooms kept in this browser and
// opens them; files posted to the share target open a room holding them, which a friend downloads.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, expect, test, type Page } from '@playwright/test';
import { chromiumArgs, chromiumExecutable } from './browser';
import { appUrl, item, openPeer, openTab, saveItem, shareFiles, writeTestFiles, type TestFile, type TestPeer } from './peers';

/** Waits until the service worker built to /sw.js controls `page` (it claims pages once its shell is kept). */
async function controlledByWorker(page: Page): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker.controller?.scriptURL.endsWith('/sw.js') === true);
}

/** Posts `files` to the share target as a page load, as a phone's share sheet does (a form on a blank page: no CSP). */
async function postToShareTarget(page: Page, files: readonly TestFile[]): Promise<void> {
  await page.goto('about:blank');
  const action = new URL('/share-target', appUrl()).href;
  await page.setContent(`<form method="post" enctype="multipart/form-data" action="${action}"><input type="file" name="files" multiple></form>`);
  await page.locator('input[type=file]').setInputFiles(files.map((file) => file.path));
  await Promise.all([page.waitForURL((url) => url.pathname === '/' && url.origin === new URL(appUrl()).origin), page.locator('form').evaluate((form: HTMLFormElement) => form.submit())]);
}

test('the worker controls the page, and Chromium finds the app installable', async () => {
  // A profile on disk: Chromium never offers to install from an incognito context (Playwright's newContext).
  const profile = mkdtempSync(join(tmpdir(), 'swarmdrop-pwa-profile-'));
  const context = await chromium.launchPersistentContext(profile, { args: chromiumArgs, ...(chromiumExecutable ? { executablePath: chromiumExecutable } : {}) });
  try {
    await expectInstallable(await openTab(context, appUrl()));
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});

/** The page is controlled by the worker, its manifest has its icons and share target, and Chromium reports no installability error. */
async function expectInstallable(peer: TestPeer): Promise<void> {
  await controlledByWorker(peer.page);
  const cdp = await peer.context.newCDPSession(peer.page);
  const manifest = await cdp.send('Page.getAppManifest');
  expect(manifest.url).toBe(new URL('/manifest.webmanifest', appUrl()).href);
  expect(manifest.errors).toEqual([]);
  const parsed = JSON.parse(manifest.data ?? '{}') as { icons?: { src: string; sizes: string; purpose?: string }[]; share_target?: { action: string } };
  expect(parsed.icons?.map((icon) => `${icon.sizes} ${icon.purpose ?? 'any'}`)).toEqual(['192x192 any', '512x512 any', '512x512 maskable']);
  expect(parsed.share_target?.action).toBe('/share-target');
  for (const icon of parsed.icons ?? []) {
    const response = await peer.page.request.get(new URL(icon.src, appUrl()).href);
    expect(response.headers()['content-type']).toBe('image/png');
  }
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  expect(installabilityErrors).toEqual([]);
  expect(peer.consoleErrors).toEqual([]);
}

test('offline, the start page lists the rooms kept here and opens one with its stored item', async ({ browser }) => {
  const [file] = writeTestFiles([{ name: 'kept-offline-2MB.bin', bytes: randomBytes(2_000_000) }]);
  if (!file) throw new Error('no file');
  const sharer = await openPeer(browser);
  const link = await shareFiles(sharer, [file]);
  const friend = await openPeer(browser, link);
  await expect(item(friend.page, file.name)).toHaveAttribute('data-state', 'complete');
  await controlledByWorker(friend.page);
  await sharer.context.close();

  await friend.context.setOffline(true);
  // The network is gone for the page and for its worker too: what loads next comes from the worker's cache.
  const [worker] = friend.context.serviceWorkers();
  const reach = (): Promise<string> => fetch('/healthz').then(() => 'reached', () => 'unreachable');
  expect([await friend.page.evaluate(reach), await worker?.evaluate(reach)]).toEqual(['unreachable', 'unreachable']);
  await friend.page.goto(appUrl());
  const room = friend.page.locator('[data-testid=room]');
  await expect(room).toContainText(file.name);
  await room.locator('[data-testid=room-open]').click();
  await expect(item(friend.page, file.name)).toHaveAttribute('data-state', 'complete');
  await expect(friend.page.locator('.relay')).toHaveText(/unreachable, retrying/);
  expect((await saveItem(friend.page, file.name)).sha256).toBe(file.sha256);
  await friend.context.close();
});

test('files posted to the share target open a room holding them, and a friend downloads them', async ({ browser }) => {
  const files = writeTestFiles([
    { name: 'shared-from-phone.jpg', bytes: randomBytes(1_500_000) },
    { name: 'second share.txt', bytes: randomBytes(300_000) },
  ]);
  const sharer = await openPeer(browser);
  await controlledByWorker(sharer.page);
  await postToShareTarget(sharer.page, files);
  expect(new URL(sharer.page.url()).searchParams.has('share')).toBe(false); // the one-time id left the address
  const link = sharer.page.locator('[data-testid=room-link]');
  await expect(link).toHaveText(/#[A-Za-z0-9_-]{22,}$/);
  for (const file of files) await expect(item(sharer.page, file.name)).toBeVisible();
  const waiting = (): Promise<number> => caches.open('swarmdrop-share-inbox').then((inbox) => inbox.keys()).then((keys) => keys.length);
  expect(await sharer.page.evaluate(waiting)).toBe(0); // taken once: nothing is left waiting

  const friend = await openPeer(browser, (await link.textContent()) ?? '');
  for (const file of files) {
    await expect(item(friend.page, file.name)).toHaveAttribute('data-state', 'complete');
    expect((await saveItem(friend.page, file.name)).sha256).toBe(file.sha256);
  }
  // The files taken from the inbox stay readable: the sharer keeps its copy for after a reload too.
  await expect(sharer.page.locator('[data-testid=keeping-copy]')).toHaveCount(0);
  await expect(sharer.page.locator('[data-testid=error]')).toHaveCount(0);
  expect(sharer.consoleErrors).toEqual([]);
  await friend.context.close();
  await sharer.context.close();
});

test('an unknown or spent share id gives a sentence, not a crash', async ({ browser }) => {
  const peer = await openPeer(browser, `${appUrl()}?share=0b7e4c1a-1d2f-4e5a-9b6c-7d8e9f0a1b2c`);
  await expect(peer.page.locator('[data-testid=error][data-reason=shared-files-missing]')).toContainText('no longer waiting');
  expect(new URL(peer.page.url()).search).toBe('');
  await expect(peer.page.locator('[data-testid=drop-input]')).toBeAttached();
  expect(peer.consoleErrors).toEqual([]);
  await peer.context.close();
});
