// Helpers for e2e/look.spec.ts: peers at a given width and colour scheme, screenshots kept as test
// artifacts, axe-core's verdict, and checks of what the person sees (layout, focus, the QR code).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Browser, type Locator, type Page, type TestInfo } from '@playwright/test';
import { openPeer, type TestPeer } from './peers';

/** A way of looking at the page: a screen size and the system's colour scheme. */
export interface Look {
  readonly name: string;
  readonly viewport: { readonly width: number; readonly height: number };
  readonly colorScheme: 'light' | 'dark';
}

/** A phone as the issue names it (390 × 844 CSS px), and a laptop screen. */
const phone = { width: 390, height: 844 };
const desktop = { width: 1280, height: 800 };

/** Every journey runs at each of these. */
export const looks: readonly Look[] = [
  { name: 'phone-light', viewport: phone, colorScheme: 'light' },
  { name: 'phone-dark', viewport: phone, colorScheme: 'dark' },
  { name: 'desktop-light', viewport: desktop, colorScheme: 'light' },
  { name: 'desktop-dark', viewport: desktop, colorScheme: 'dark' },
];

/**
 * Opens a peer (its own context) at `url`, then sizes and colours it as `look`; the page follows at once,
 * as it does when a person turns a phone or the system switches to dark. (Opening about:blank first
 * would not do: saved preferences are written to localStorage, which about:blank refuses.)
 */
export async function openPeerLooking(
  browser: Browser,
  look: Look,
  url: string,
  preferences: Record<string, string> = {},
  initScripts: readonly (() => void)[] = [],
): Promise<TestPeer> {
  const peer = await openPeer(browser, url, preferences, initScripts);
  await peer.page.setViewportSize(look.viewport);
  await peer.page.emulateMedia({ colorScheme: look.colorScheme });
  return peer;
}

/**
 * Saves a full-page screenshot as an artifact of the test (in its output folder, attached to the
 * report); with SWARMDROP_SCREENSHOTS=DIR set and a `docsName`, the page's content also goes to
 * DIR/docsName.png for the README.
 */
export async function snap(page: Page, testInfo: TestInfo, name: string, docsName?: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true, animations: 'disabled' });
  await testInfo.attach(name, { path, contentType: 'image/png' });
  const docsDir = process.env.SWARMDROP_SCREENSHOTS;
  if (docsDir && docsName) {
    mkdirSync(docsDir, { recursive: true });
    await page.locator('main').screenshot({ path: join(docsDir, `${docsName}.png`), animations: 'disabled' });
  }
}

/** Runs axe-core on the page as it is now and expects no serious or critical violation. */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact ?? '?'}): ${v.nodes.map((n) => `${n.target.join(' ')} — ${n.failureSummary ?? ''}`).join('; ')}`);
  expect(serious, `axe-core on ${where}`).toEqual([]);
}

/** Expects the page not to scroll sideways (nothing wider than the screen). */
export async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  expect(scrollWidth, 'page width against the screen').toBeLessThanOrEqual(innerWidth);
}

/** The boxes of some elements, checked to be visible. */
async function boxesOf(locators: Readonly<Record<string, Locator>>): Promise<[string, { x: number; y: number; width: number; height: number }][]> {
  const boxes: [string, { x: number; y: number; width: number; height: number }][] = [];
  for (const [name, locator] of Object.entries(locators)) {
    const box = await locator.boundingBox();
    if (!box) throw new Error(`${name} is not visible`);
    boxes.push([name, box]);
  }
  return boxes;
}

/** Expects the elements not to overlap one another, each whole inside the screen's width. */
export async function expectApartAndOnScreen(page: Page, locators: Readonly<Record<string, Locator>>): Promise<void> {
  const width = page.viewportSize()?.width ?? 0;
  const boxes = await boxesOf(locators);
  for (const [name, box] of boxes) {
    expect(box.x, `${name} starts on screen`).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width, `${name} ends on screen`).toBeLessThanOrEqual(width);
  }
  for (const [i, [nameA, a]] of boxes.entries()) {
    for (const [nameB, b] of boxes.slice(i + 1)) {
      const overlap = a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
      expect(overlap, `${nameA} and ${nameB} overlap`).toBe(false);
    }
  }
}

/**
 * Expects no awkward wrap around a heading: each other element sits on the heading's line, or starts a
 * line of its own at the heading's left edge (not pushed to the middle or the right of a second line).
 */
export async function expectOnHeadingLineOrUnderIt(heading: Locator, others: Readonly<Record<string, Locator>>): Promise<void> {
  const [first, ...rest] = await boxesOf({ heading, ...others });
  if (!first) throw new Error('no heading box');
  const anchor = first[1];
  const middle = (box: { y: number; height: number }): number => box.y + box.height / 2;
  for (const [name, box] of rest) {
    const onHeadingLine = Math.abs(middle(box) - middle(anchor)) < anchor.height / 2;
    const underHeading = box.y >= anchor.y + anchor.height && Math.abs(box.x - anchor.x) <= 1;
    expect(onHeadingLine || underHeading, `${name} at (${box.x}, ${box.y}) against the heading at (${anchor.x}, ${anchor.y})`).toBe(true);
  }
}

/**
 * The QR code: visible, named for assistive technology, encoding the room link shown beside it, and
 * drawn (its pixels on screen are part dark, part light, as a code is).
 */
export async function expectRoomQr(page: Page): Promise<void> {
  const qr = page.locator('[data-testid=room-qr]');
  await expect(qr).toBeVisible();
  const link = (await page.locator('[data-testid=room-link]').textContent()) ?? '';
  expect(link).toMatch(/#[A-Za-z0-9_-]{22,}$/);
  await expect(qr).toHaveAttribute('data-link', link);
  await expect(page.getByRole('img', { name: /QR code of the room link/ })).toBeVisible();
  const box = await qr.boundingBox();
  expect(box?.width ?? 0).toBeGreaterThanOrEqual(120);
  const png = (await qr.screenshot()).toString('base64');
  const darkShare = await page.evaluate(async (base64) => {
    const image = new Image();
    image.src = `data:image/png;base64,${base64}`;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.width;
    canvas.height = image.height;
    const context = canvas.getContext('2d');
    if (!context) return -1;
    context.drawImage(image, 0, 0);
    const { data } = context.getImageData(0, 0, image.width, image.height);
    let dark = 0;
    for (let i = 0; i < data.length; i += 4) if ((data[i] ?? 0) + (data[i + 1] ?? 0) + (data[i + 2] ?? 0) < 3 * 128) dark++;
    return dark / (data.length / 4);
  }, png);
  // A code with its quiet zone is roughly a third dark; blank (0) or solid (1) would be a drawing failure.
  expect(darkShare).toBeGreaterThan(0.15);
  expect(darkShare).toBeLessThan(0.7);
}

/** What the keyboard focus is on now, and whether it shows a focus ring (on the element, or on the label of a hidden file input). */
export function focusState(page: Page): Promise<{ testId: string | null; focusVisible: boolean; ring: boolean }> {
  return page.evaluate(() => {
    const element = document.activeElement;
    if (!(element instanceof HTMLElement)) return { testId: null, focusVisible: false, ring: false };
    const shown = element instanceof HTMLInputElement && element.type === 'file' ? (element.closest('label') ?? element) : element;
    const style = getComputedStyle(shown);
    return {
      testId: element.dataset.testid ?? null,
      focusVisible: element.matches(':focus-visible'),
      ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
    };
  });
}
