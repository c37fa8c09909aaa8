// Issue 5: a relay that alters, forges or replays signaling gets no connection and the page says so;
// the same peers through an honest relay connect.
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { alterCiphertext, impersonate, replayEverything, startHostileRelay, type EnvelopeTamper } from './hostile-relay';
import { item, openPeer, saveItem, shareFiles, writeTestFiles } from './peers';

const distDir = process.env.SWARMDROP_DIST ?? fileURLToPath(new URL('../dist', import.meta.url));
const [file] = writeTestFiles([{ name: 'private.bin', bytes: randomBytes(200_000) }]);

const cases: [string, EnvelopeTamper][] = [
  ['alters the ciphertext (as rewriting the SDP fingerprint would)', alterCiphertext],
  ['impersonates another sender', impersonate],
];

for (const [name, tamper] of cases) {
  test(`a relay that ${name} gets no connection, and the page says so`, async ({ browser }) => {
    if (!file) throw new Error('no file');
    const relay = await startHostileRelay(distDir, tamper);
    try {
      const sharer = await openPeer(browser, relay.url);
      const link = await shareFiles(sharer, [file]);
      const friend = await openPeer(browser, link);
      await expect.poll(relay.delivered, { timeout: 10_000 }).toBeGreaterThan(0);
      // The forged envelope is the friend's hello, so the sharer is the one who detects it.
      await expect(sharer.page.locator('[data-testid=error]')).toContainText('failed authentication');
      await friend.page.waitForTimeout(3000);
      await expect(friend.page.locator('[data-testid=peer-count]')).toHaveText('0');
      await expect(sharer.page.locator('[data-testid=peer-count]')).toHaveText('0');
      await expect(friend.page.locator('[data-testid=item]')).toHaveCount(0);
      await friend.context.close();
      await sharer.context.close();
    } finally {
      await relay.close();
    }
  });
}

test('a relay that duplicates and replays envelopes changes nothing: one connection, no false alarm', async ({ browser }) => {
  if (!file) throw new Error('no file');
  const relay = await startHostileRelay(distDir, replayEverything);
  try {
    const sharer = await openPeer(browser, relay.url);
    const link = await shareFiles(sharer, [file]);
    const friend = await openPeer(browser, link);
    await expect(item(friend.page, file.name)).toHaveAttribute('data-state', 'complete');
    await friend.page.waitForTimeout(1000);
    await expect(friend.page.locator('[data-testid=peer-count]')).toHaveText('1');
    await expect(sharer.page.locator('[data-testid=peer-count]')).toHaveText('1');
    await expect(friend.page.locator('[data-testid=error]')).toHaveCount(0);
    await expect(sharer.page.locator('[data-testid=error]')).toHaveCount(0);
    expect((await saveItem(friend.page, file.name)).sha256).toBe(file.sha256);
    await friend.context.close();
    await sharer.context.close();
  } finally {
    await relay.close();
  }
});

test('the same peers through an honest relay connect (control)', async ({ browser }) => {
  if (!file) throw new Error('no file');
  const relay = await startHostileRelay(distDir, (data) => [data]);
  try {
    const sharer = await openPeer(browser, relay.url);
    const link = await shareFiles(sharer, [file]);
    const friend = await openPeer(browser, link);
    await expect(item(friend.page, file.name)).toHaveAttribute('data-state', 'complete');
    expect((await saveItem(friend.page, file.name)).sha256).toBe(file.sha256);
    await expect(friend.page.locator('[data-testid=error]')).toHaveCount(0);
    await friend.context.close();
    await sharer.context.close();
  } finally {
    await relay.close();
  }
});
