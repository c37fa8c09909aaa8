// Issue 13, the page people see: journeys at phone and desktop widths in light and dark (screenshots
// kept as artifacts), axe-core with no serious or critical violation, the phone layout, the keyboard,
// Share and the QR code of the room link.
import { randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { appUrl, item, shareFiles, writeTestFiles } from './peers';
import {
  expectAccessible,
  expectApartAndOnScreen,
  expectNoSidewaysScroll,
  expectOnHeadingLineOrUnderIt,
  expectRoomQr,
  focusState,
  looks,
  openPeerLooking,
  snap,
} from './look-helpers';

/** 8 MB at the sharer's 1 MB/s upload limit: a download that lasts long enough to be looked at. */
const [file] = writeTestFiles([{ name: 'holiday-photos-2024.zip', bytes: randomBytes(8_000_000) }]);
const slowSharer = { 'swarmdrop.uploadLimit': '1000000' };

/** A stand-in for the Web Share API (headless Chromium on Linux has none): records what it was given. */
function recordShares(): void {
  const shared: ShareData[] = [];
  Object.defineProperty(window, 'sharedForTest', { value: shared });
  Object.defineProperty(navigator, 'share', { value: (data: ShareData) => (shared.push(data), Promise.resolve()), configurable: true });
}

for (const look of looks) {
  test(`at ${look.name}: the start page, sharing a file, and a friend downloading it`, async ({ browser }, testInfo) => {
    if (!file) throw new Error('no test file');
    const sharer = await openPeerLooking(browser, look, appUrl(), slowSharer);
    await expect(sharer.page.getByText('Drop files or folders here')).toBeVisible();
    await snap(sharer.page, testInfo, `${look.name}-1-start`, look.name === 'desktop-light' ? 'start' : undefined);
    await expectAccessible(sharer.page, `the start page (${look.name})`);
    await expectNoSidewaysScroll(sharer.page);

    const link = await shareFiles(sharer, [file]);
    await expect(item(sharer.page, file.name)).toHaveAttribute('data-state', 'complete');
    await expectRoomQr(sharer.page);
    const hasShare = await sharer.page.evaluate(() => typeof navigator.share === 'function');
    await expect(sharer.page.locator('[data-testid=share-link]')).toHaveCount(hasShare ? 1 : 0);
    await snap(sharer.page, testInfo, `${look.name}-2-shared`);

    const friend = await openPeerLooking(browser, look, link);
    const row = item(friend.page, file.name);
    await expect(row).toHaveAttribute('data-state', 'downloading');
    await expect.poll(async () => Number(await row.locator('[data-testid=item-progress]').getAttribute('value'))).toBeGreaterThan(0);
    await snap(friend.page, testInfo, `${look.name}-3-friend-downloading`, look.name === 'phone-dark' ? 'phone-dark' : undefined);
    await snap(sharer.page, testInfo, `${look.name}-3-sharer-serving`);
    await expectAccessible(friend.page, `a friend's room page mid-download (${look.name})`);
    await expectAccessible(sharer.page, `the sharer's room page mid-swarm (${look.name})`);
    await expectNoSidewaysScroll(friend.page);
    await expectNoSidewaysScroll(sharer.page);
    await expectRoomQr(friend.page);

    await expect(row).toHaveAttribute('data-state', 'complete', { timeout: 60_000 });
    await snap(friend.page, testInfo, `${look.name}-4-friend-complete`);

    // Back on the start page, the room is listed under "Your rooms", with its delete buttons.
    await friend.page.goto(appUrl());
    await expect(friend.page.locator('[data-testid=room]')).toHaveCount(1);
    await snap(friend.page, testInfo, `${look.name}-5-your-rooms`);
    await expectAccessible(friend.page, `the start page with "Your rooms" (${look.name})`);
    await expectNoSidewaysScroll(friend.page);
    expect([...sharer.consoleErrors, ...friend.consoleErrors]).toEqual([]);
    await friend.context.close();
    await sharer.context.close();
  });
}

test('from a 360 px phone to a wide screen the Files header keeps its heading, upload limit and toggle apart and aligned, and nothing scrolls sideways', async ({ browser }, testInfo) => {
  if (!file) throw new Error('no test file');
  const [phone] = looks;
  if (!phone) throw new Error('no phone look');
  const sharer = await openPeerLooking(browser, phone, appUrl());
  await shareFiles(sharer, [file]);
  const { page } = sharer;
  const heading = page.getByRole('heading', { name: 'Files' });
  const settings = {
    'upload limit': page.locator('label:has([data-testid=upload-limit])'),
    'auto-download toggle': page.locator('label:has([data-testid=auto-download])'),
  };
  for (const width of [390, 360, 1280]) {
    await page.setViewportSize({ width, height: 844 });
    // Boxes are read one by one: retried until a read sees the page laid out for the new width.
    await expect(async () => {
      await expectApartAndOnScreen(page, { heading, ...settings });
      await expectOnHeadingLineOrUnderIt(heading, settings);
      await expectNoSidewaysScroll(page);
    }).toPass({ timeout: 10_000 });
    await snap(page, testInfo, `files-header-${width}px`);
  }
  await sharer.context.close();
});

test('the keyboard reaches every control with a visible focus ring, and Share hands over the link', async ({ browser }) => {
  if (!file) throw new Error('no test file');
  const desktop = looks.find((look) => look.name === 'desktop-light');
  if (!desktop) throw new Error('no desktop look');
  const sharer = await openPeerLooking(browser, desktop, appUrl(), {}, [recordShares]);
  const link = await shareFiles(sharer, [file]);
  const { page } = sharer;
  await expect(item(page, file.name).locator('[data-testid=item-save]')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Share…' })).toBeVisible();

  const wanted = ['drop-input', 'folder-input', 'copy-link', 'share-link', 'upload-limit', 'auto-download', 'item-save'];
  const reached = new Map<string, { focusVisible: boolean; ring: boolean }>();
  // Tab cycles through the page; a few rounds more than it has controls is enough to meet each.
  for (let press = 0; press < 40 && wanted.some((id) => !reached.has(id)); press++) {
    await page.keyboard.press('Tab');
    const { testId, focusVisible, ring } = await focusState(page);
    if (testId) reached.set(testId, { focusVisible, ring });
  }
  for (const id of wanted) expect(reached.get(id), `${id} by keyboard`).toEqual({ focusVisible: true, ring: true });

  await page.locator('[data-testid=share-link]').focus();
  await page.keyboard.press('Enter');
  await expect.poll(() => page.evaluate(() => (window as unknown as { sharedForTest: ShareData[] }).sharedForTest.map((data) => data.url))).toEqual([link]);
  await expect(page.locator('[data-testid=error]')).toHaveCount(0);
  await sharer.context.close();
});
