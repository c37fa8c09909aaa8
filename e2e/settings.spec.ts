// Settings (issue 13): a display name reaches the others inside the sealed signaling, changes reach
// them at once, and a hostile length is cut; clearing data deletes every room and says what it freed,
// from the start page and from a room (which leaves the room first); a link cannot clear anything.
import { randomBytes } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { appUrl, item, openPeer, shareFiles, writeTestFiles } from './peers';

/** Longest display name (core/display-name.ts). */
const maxNameChars = 40;

/** Opens the Settings disclosure (it starts closed). */
async function openSettings(page: Page): Promise<void> {
  const settings = page.locator('[data-testid=settings]');
  if ((await settings.getAttribute('open')) === null) await settings.locator('summary').click();
  await expect(page.locator('[data-testid=display-name]')).toBeVisible();
}

/** Types a name in Settings and applies it as a person does, with Enter. */
async function setName(page: Page, name: string): Promise<void> {
  await openSettings(page);
  const field = page.locator('[data-testid=display-name]');
  await field.fill(name);
  await field.press('Enter');
}

test('a display name is shown to the others, follows a change, and is cut to its limit', async ({ browser }) => {
  const [file] = writeTestFiles([{ name: 'names.txt', bytes: new TextEncoder().encode('hello') }]);
  if (!file) throw new Error('no file');
  const ada = await openPeer(browser);
  await setName(ada.page, '  Ada   Lovelace ');
  await expect(ada.page.locator('[data-testid=display-name]')).toHaveValue('Ada Lovelace');
  const link = await shareFiles(ada, [file]);

  const bo = await openPeer(browser, link);
  const adaOnBo = bo.page.locator(`[data-testid=peer][data-peer-id="${await myPeerId(ada.page)}"]`);
  await expect(adaOnBo).toHaveAttribute('data-name', 'Ada Lovelace');
  await expect(adaOnBo).toContainText('Ada Lovelace');
  // Bo chose no name: Ada's row for Bo has none.
  await expect(ada.page.locator('[data-testid=peer]')).toHaveCount(1);
  await expect(ada.page.locator('[data-testid=peer]')).not.toHaveAttribute('data-name', /./);

  await setName(ada.page, 'Ada');
  await expect(adaOnBo).toHaveAttribute('data-name', 'Ada');

  const hostile = `${'W'.repeat(500)} tail`;
  await setName(ada.page, hostile);
  await expect(ada.page.locator('[data-testid=display-name]')).toHaveValue('W'.repeat(maxNameChars));
  await expect(adaOnBo).toHaveAttribute('data-name', 'W'.repeat(maxNameChars));

  // A name stored in this browser is cleaned again when read: control characters go, the length is cut.
  const cy = await openPeer(browser, link, { 'swarmdrop.displayName': `Cy\u0000\u202E${'y'.repeat(300)}` });
  const cyOnAda = ada.page.locator(`[data-testid=peer][data-peer-id="${await myPeerId(cy.page)}"]`);
  await expect(cyOnAda).toHaveAttribute('data-name', `Cy ${'y'.repeat(maxNameChars - 3)}`);

  // Taking the name back leaves the row with the short id alone.
  await setName(ada.page, '');
  await expect(adaOnBo).not.toHaveAttribute('data-name', /./);
  await expect(item(bo.page, file.name)).toHaveAttribute('data-state', 'complete');
  expect([...ada.consoleErrors, ...bo.consoleErrors, ...cy.consoleErrors]).toEqual([]);
  for (const peer of [cy, bo, ada]) await peer.context.close();
});

/** This tab's own peer id, as the page shows it. */
async function myPeerId(page: Page): Promise<string> {
  const id = await page.locator('[data-testid=my-peer-id]').getAttribute('data-peer-id');
  if (!id) throw new Error('no peer id shown');
  return id;
}

test('clearing data deletes every room and says what it freed, from the start page and from a room', async ({ browser }) => {
  const files = writeTestFiles([
    { name: 'kept-a.bin', bytes: randomBytes(1_500_000) },
    { name: 'kept-b.bin', bytes: randomBytes(700_000) },
  ]);
  const [a, b] = files;
  if (!a || !b) throw new Error('no files');
  const peer = await openPeer(browser);
  const { page } = peer;
  await shareFiles(peer, [a]);
  await expect(item(page, a.name)).toHaveAttribute('data-state', 'complete');
  await expect(page.locator('[data-testid=keeping-copy]')).toHaveCount(0); // the copy into storage is done
  await page.goto(appUrl());
  await page.locator('[data-testid=drop-input]').setInputFiles(b.path); // a second room
  await expect(item(page, b.name)).toHaveAttribute('data-state', 'complete');
  await expect(page.locator('[data-testid=keeping-copy]')).toHaveCount(0);

  // A link cannot clear anything: the address's token must match one this tab made.
  await page.goto(`${appUrl()}?clear=guessed`);
  await expect(page.locator('[data-testid=room]')).toHaveCount(2);
  await expect.poll(() => page.locator('[data-testid=room]').evaluateAll((rows) => rows.map((row) => Number(row.getAttribute('data-stored-bytes'))).sort((x, y) => x - y))).toEqual([b.size, a.size]);

  // From a room: confirm, the tab leaves for the start page, and the start page deletes.
  await page.locator('[data-testid=room-open]').first().click();
  await expect(page.locator('[data-testid=item]')).toHaveCount(1);
  await openSettings(page);
  await page.locator('[data-testid=clear-data]').click();
  await page.locator('[data-testid=clear-data-confirm]').click();
  const cleared = page.locator('[data-testid=data-cleared]');
  await expect(cleared).toHaveAttribute('data-rooms', '2');
  await expect(cleared).toHaveAttribute('data-freed-bytes', String(a.size + b.size));
  await expect(cleared).toHaveText('Deleted 2 rooms and 2.2 MB of stored files from this browser.');
  await expect(page.locator('[data-testid=rooms]')).toHaveCount(0);
  expect(new URL(page.url()).search).toBe(''); // a reload does not delete again
  await expect(page.locator('[data-testid=room-link]')).toHaveCount(0);

  // From the start page: nothing left, and it says so.
  await page.reload();
  await openSettings(page);
  await expect(page.locator('[data-testid=data-cleared]')).toHaveCount(0);
  await page.locator('[data-testid=clear-data]').click();
  await page.locator('[data-testid=clear-data-confirm]').click();
  await expect(page.locator('[data-testid=data-cleared]')).toHaveAttribute('data-rooms', '0');
  await expect(page.locator('[data-testid=data-cleared]')).toContainText('nothing to delete');
  expect(peer.consoleErrors).toEqual([]);
  await peer.context.close();
});
