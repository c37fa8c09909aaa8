// Issue 11: two tabs of one browser in one room share its storage. Deleting the room in one tab takes
// the other's copy away; that tab says so, stops advertising what it lost, fetches the item again from
// the sharer, and saves it byte-exact.
import { randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { appUrl, item, newPeerContext, openPeer, openTab, saveItem, shareFiles, writeTestFiles } from './peers';

test('a room deleted in one tab: the other tab says so, fetches its item again and saves it', async ({ browser }) => {
  const [file] = writeTestFiles([{ name: 'two tabs.bin', bytes: randomBytes(2 * 1000 * 1000 + 3) }]);
  if (!file) throw new Error('no file');
  const sharer = await openPeer(browser);
  const friend = await newPeerContext(browser);
  try {
    const link = await shareFiles(sharer, [file]);
    const first = await openTab(friend, link);
    const second = await openTab(friend, link);
    for (const tab of [first, second]) await expect(item(tab.page, file.name)).toHaveAttribute('data-state', 'complete', { timeout: 30_000 });

    await first.page.goto(appUrl());
    const room = first.page.locator('[data-testid=room]');
    await room.locator('[data-testid=room-delete]').click();
    await room.locator('[data-testid=room-delete-confirm]').click();
    await expect(first.page.locator('[data-testid=rooms]')).toHaveCount(0);

    const notice = second.page.locator('[data-testid=error][data-reason=room-data-deleted-elsewhere]');
    await expect(notice).toHaveCount(1);
    await expect(notice).toContainText('Another tab deleted this browser');
    await expect(item(second.page, file.name)).toHaveAttribute('data-state', 'complete', { timeout: 30_000 });
    expect((await saveItem(second.page, file.name)).sha256).toBe(file.sha256);
    // The tab still in the room keeps it listed: the start page shows it again.
    await first.page.goto(appUrl());
    await expect(first.page.locator('[data-testid=room]')).toHaveCount(1);
    expect([...first.consoleErrors, ...second.consoleErrors]).toEqual([]);
  } finally {
    await friend.close();
    await sharer.context.close();
  }
});
