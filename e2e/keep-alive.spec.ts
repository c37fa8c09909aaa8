// Keep transfers alive (issue 13): a sharer whose friend is mid-download is the last holder of the
// chunks the friend lacks, so closing its tab asks first; once the friend has everything it closes
// without a word. A download that finishes while its tab is hidden counts in the title until seen.
import { randomBytes } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { item, openPeer, shareFiles, writeTestFiles } from './peers';

/** Makes the page believe it is hidden or visible, as switching tabs does, and tells it so. */
async function setVisibility(page: Page, state: 'hidden' | 'visible'): Promise<void> {
  await page.evaluate((next) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => next });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => next === 'hidden' });
    document.dispatchEvent(new Event('visibilitychange'));
  }, state);
}

/** Whether the page's keep-alive says closing it would warn (`data-last-holder` on <html>). */
const lastHolder = (page: Page) => page.locator('html');

test('the close warning is armed only while the tab is the last holder; a download finished out of sight badges the title', async ({ browser }) => {
  const [file] = writeTestFiles([{ name: 'last-holder-8MB.bin', bytes: randomBytes(8 * 1000 * 1000) }]);
  if (!file) throw new Error('no file');
  // The sharer's upload is capped so the friend is mid-download long enough to look at it.
  const sharer = await openPeer(browser, undefined, { 'swarmdrop.uploadLimit': '500000' });
  const link = await shareFiles(sharer, [file]);
  await expect(item(sharer.page, file.name)).toHaveAttribute('data-state', 'complete');
  await expect(lastHolder(sharer.page)).toHaveAttribute('data-last-holder', 'false'); // alone: nobody lacks anything

  const friend = await openPeer(browser, link);
  await expect(item(friend.page, file.name)).toHaveAttribute('data-state', 'downloading');
  await setVisibility(friend.page, 'hidden');
  await expect(lastHolder(sharer.page)).toHaveAttribute('data-last-holder', 'true');
  await expect(lastHolder(friend.page)).toHaveAttribute('data-last-holder', 'false'); // all it holds, the sharer holds too

  // Closing the sharer's tab now asks first (a browser shows beforeunload only after the person used the page).
  await sharer.page.locator('h1').click();
  const dialogs: string[] = [];
  sharer.page.on('dialog', (dialog) => {
    dialogs.push(dialog.type());
    void dialog.dismiss(); // stay on the page
  });
  const asked = sharer.page.waitForEvent('dialog');
  await sharer.page.close({ runBeforeUnload: true });
  await asked;
  expect(dialogs).toEqual(['beforeunload']);
  expect(sharer.page.isClosed()).toBe(false);

  // Lift the cap: the friend completes while its tab is hidden, and its title counts it.
  const limit = sharer.page.locator('[data-testid=upload-limit]');
  await limit.fill('');
  await limit.press('Enter');
  await expect(item(friend.page, file.name)).toHaveAttribute('data-state', 'complete', { timeout: 60_000 });
  await expect(friend.page).toHaveTitle('(1) Swarmdrop');
  await setVisibility(friend.page, 'visible');
  await expect(friend.page).toHaveTitle('Swarmdrop');

  // The friend holds everything now: the sharer's tab closes without asking.
  await expect(lastHolder(sharer.page)).toHaveAttribute('data-last-holder', 'false');
  const closed = sharer.page.waitForEvent('close');
  await sharer.page.close({ runBeforeUnload: true });
  await closed;
  expect(dialogs).toEqual(['beforeunload']);
  expect([...sharer.consoleErrors, ...friend.consoleErrors]).toEqual([]);
  await friend.context.close();
  await sharer.context.close();
});
