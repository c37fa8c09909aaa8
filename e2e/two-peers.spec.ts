// Issue 2's whole slice: a person shares files, a friend opens the link in another browser context,
// sees them, downloads them (automatically, or with the button) and saves byte-identical copies.
import { randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { item, openPeer, saveItem, shareFiles, writeTestFiles } from './peers';

const files = writeTestFiles([
  { name: 'empty.bin', bytes: new Uint8Array(0) },
  { name: 'one-byte.bin', bytes: new Uint8Array([0x5a]) },
  { name: 'random-20MB.bin', bytes: randomBytes(20 * 1000 * 1000 + 12_345) },
  { name: 'Ünïcödé name with spaces ✓ 日本.txt', bytes: new TextEncoder().encode('héllo wörld\n'.repeat(1000)) },
]);

test('a friend downloads every shared file byte-exact through a room link', async ({ browser }) => {
  const sharer = await openPeer(browser);
  const link = await shareFiles(sharer, files);
  for (const file of files) await expect(item(sharer.page, file.name)).toHaveAttribute('data-state', 'complete');

  const openedAt = Date.now();
  const friend = await openPeer(browser, link);
  await expect(item(friend.page, files[0]?.name ?? '')).toBeVisible();
  console.log(`friend saw the shared files ${Date.now() - openedAt} ms after opening the link`);
  await expect(friend.page.locator('[data-testid=peer-count]')).toHaveText('1');
  await expect(sharer.page.locator('[data-testid=peer-count]')).toHaveText('1');
  // Two tabs of one machine connect straight to each other, and each row says so.
  await expect(friend.page.locator('[data-testid=peer]')).toHaveAttribute('data-route', 'direct');
  await expect(sharer.page.locator('[data-testid=peer]')).toHaveAttribute('data-route', 'direct');
  for (const file of files) {
    const row = item(friend.page, file.name);
    await expect(row).toHaveAttribute('data-state', 'complete', { timeout: 60_000 });
    await expect(row.locator('[data-testid=item-progress]')).toHaveAttribute('max', String(file.size));
    await expect(row.locator('[data-testid=item-progress]')).toHaveAttribute('value', String(file.size));
    const saved = await saveItem(friend.page, file.name);
    expect(saved).toEqual({ sha256: file.sha256, size: file.size, fileName: file.name });
  }
  await expect(friend.page.locator('[data-testid=error]')).toHaveCount(0);
  expect([...sharer.consoleErrors, ...friend.consoleErrors]).toEqual([]);
  await friend.context.close();
  await sharer.context.close();
});

test('with auto-download off, a file waits for its download button', async ({ browser }) => {
  const [big] = files.slice(2, 3);
  if (!big) throw new Error('test file missing');
  const sharer = await openPeer(browser);
  const link = await shareFiles(sharer, [big]);
  const friend = await openPeer(browser, link, { 'swarmdrop.autoDownload': 'false' });
  const row = item(friend.page, big.name);
  await expect(row).toHaveAttribute('data-state', 'available');
  await expect(friend.page.locator('[data-testid=auto-download]')).not.toBeChecked();
  await expect(row.locator('[data-testid=item-progress]')).toHaveAttribute('value', '0');
  await row.locator('[data-testid=item-download]').click();
  await expect(row).toHaveAttribute('data-state', 'complete', { timeout: 60_000 });
  expect((await saveItem(friend.page, big.name)).sha256).toBe(big.sha256);

  // Any peer can share: the friend drops a file into the same room and the sharer receives it.
  const [reply] = writeTestFiles([{ name: 'reply.txt', bytes: new TextEncoder().encode('thanks!') }]);
  if (!reply) throw new Error('test file missing');
  expect(await shareFiles(friend, [reply])).toBe(link);
  await expect(item(sharer.page, reply.name)).toHaveAttribute('data-state', 'complete');
  expect((await saveItem(sharer.page, reply.name)).sha256).toBe(reply.sha256);
  await friend.context.close();
  await sharer.context.close();
});

test('a damaged room link shows a clear error', async ({ browser }) => {
  const peer = await openPeer(browser, `${new URL('/', process.env.SWARMDROP_URL).href}#short`);
  await expect(peer.page.locator('[data-testid=error]')).toContainText('room link');
  await peer.context.close();
});
