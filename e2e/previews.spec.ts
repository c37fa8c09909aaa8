// Looking inside items without saving them: text typed into the room is read and copied in place by a
// friend, and a shared image shows as itself.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { appUrl, item, openPeer, shareFiles, writeTestFiles } from './peers';

/** A real PNG from the repository (the app's own icon). */
const iconPath = fileURLToPath(new URL('../public/icons/icon-192.png', import.meta.url));

test('typed text is shared as an item the friend reads and copies in place', async ({ browser }) => {
  const sharer = await openPeer(browser);
  const [starter] = writeTestFiles([{ name: 'starter.txt', bytes: new TextEncoder().encode('first') }]);
  if (!starter) throw new Error('test file missing');
  const link = await shareFiles(sharer, [starter]);
  const text = 'Wi-Fi for the party\nnetwork: Garden ✓\npassword: correct horse battery staple';
  await sharer.page.getByText('Share text instead').click();
  await sharer.page.locator('[data-testid=snippet-input]').fill(text);
  await sharer.page.locator('[data-testid=snippet-share]').click();
  await expect(item(sharer.page, 'Wi-Fi for the party.txt')).toHaveAttribute('data-state', 'complete');
  await expect(sharer.page.locator('[data-testid=snippet-input]')).toHaveValue('');

  const friend = await openPeer(browser, link);
  await friend.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(appUrl()).origin });
  const note = item(friend.page, 'Wi-Fi for the party.txt');
  await expect(note).toHaveAttribute('data-state', 'complete');
  const preview = note.locator('[data-testid=item-preview]');
  await expect(preview).toHaveAttribute('data-kind', 'text');
  await expect(preview.locator('pre')).toHaveText(text);
  await preview.locator('[data-testid=preview-copy]').click();
  await expect(preview.locator('[data-testid=preview-copy]')).toHaveText('Copied');
  expect(await friend.page.evaluate(() => navigator.clipboard.readText())).toBe(text);
  expect([...sharer.consoleErrors, ...friend.consoleErrors]).toEqual([]);
  await friend.context.close();
  await sharer.context.close();
});

test('a shared image shows as itself at the friend', async ({ browser }) => {
  const [image] = writeTestFiles([{ name: 'icon.png', bytes: new Uint8Array(readFileSync(iconPath)) }]);
  if (!image) throw new Error('test file missing');
  const sharer = await openPeer(browser);
  const link = await shareFiles(sharer, [image]);
  const friend = await openPeer(browser, link);
  const preview = item(friend.page, image.name).locator('[data-testid=item-preview]');
  await expect(preview).toHaveAttribute('data-kind', 'image');
  await expect.poll(() => preview.locator('img').evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(192);
  await expect(preview.locator('img')).toHaveAttribute('alt', image.name);
  await friend.context.close();
  await sharer.context.close();
});
