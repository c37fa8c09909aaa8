// Issue 3: two tabs of one browser swarm over BroadcastChannel while the relay is down. This spec
// starts its own relay (the shared one must outlive it), shares a file in tab A, stops the relay,
// then pastes the room link into tab B's address (the hashchange path) and checks B's download.
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { createRelay, type Relay } from '../signaling/relay.js';
import { appUrl, item, newPeerContext, openPeer, openTab, saveItem, shareFiles, writeTestFiles } from './peers';

/** The built page, as in global-setup.ts (SWARMDROP_DIST for a private build). */
const distDir = process.env.SWARMDROP_DIST ?? fileURLToPath(new URL('../dist', import.meta.url));

const [file] = writeTestFiles([{ name: 'between-tabs.bin', bytes: randomBytes(3 * 1000 * 1000 + 7) }]);

/** Console errors other than those of reaching the server we stopped on purpose (its WebSocket, the favicon). */
const unexpected = (errors: readonly string[]): string[] =>
  errors.filter((e) => !/WebSocket connection to .*\/signal.* failed|Failed to load resource: net::ERR_CONNECTION_REFUSED/.test(e));

let relay: Relay | null = null;
test.afterEach(async () => {
  await relay?.close();
  relay = null;
});

test('two tabs of one browser find each other over BroadcastChannel with the relay down', async ({ browser }) => {
  if (!file) throw new Error('test file missing');
  relay = await createRelay({ port: 0, host: '127.0.0.1', staticDir: distDir, log: () => undefined });
  const startPage = `http://localhost:${relay.address.port}/`;
  const context = await newPeerContext(browser, new URL(startPage).origin);
  try {
    const a = await openTab(context, startPage);
    const b = await openTab(context, startPage);
    const link = await shareFiles(a, [file]);
    await expect(item(a.page, file.name)).toHaveAttribute('data-state', 'complete');

    await relay.close();
    relay = null;
    await b.page.evaluate((hash) => {
      location.hash = hash;
    }, new URL(link).hash);

    const row = item(b.page, file.name);
    await expect(row).toHaveAttribute('data-state', 'complete', { timeout: 60_000 });
    await expect(b.page.locator('[data-testid=room-link]')).toHaveText(link);
    await expect(a.page.locator('[data-testid=peer-count]')).toHaveText('1');
    await expect(b.page.locator('[data-testid=peer-count]')).toHaveText('1');
    const saved = await saveItem(b.page, file.name);
    expect(saved).toEqual({ sha256: file.sha256, size: file.size, fileName: file.name });
    await expect(b.page.locator('[data-testid=error]')).toHaveCount(0);
    expect(unexpected([...a.consoleErrors, ...b.consoleErrors])).toEqual([]);
  } finally {
    await context.close();
  }
});

test('a room link pasted into an open tab joins that room; another room’s link reloads into it', async ({ browser }) => {
  const peer = await openPeer(browser);
  const roomLink = peer.page.locator('[data-testid=room-link]');
  const setHash = (hash: string) => peer.page.evaluate((h) => void (location.hash = h), hash);
  const first = `#${randomBytes(16).toString('base64url')}`;
  await setHash(first);
  await expect(roomLink).toHaveText(`${appUrl()}${first}`);
  const second = `#${randomBytes(16).toString('base64url')}`;
  await Promise.all([peer.page.waitForEvent('load'), setHash(second)]);
  await expect(roomLink).toHaveText(`${appUrl()}${second}`);
  await expect(peer.page.locator('[data-testid=error]')).toHaveCount(0);
  expect(peer.consoleErrors).toEqual([]);
  await peer.context.close();
});
