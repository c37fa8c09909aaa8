// The real WebRTC link (src/transport/webrtc-peer.ts) passes the PeerLink compliance suite: one page
// holds both ends of a loopback connection, and each of the suite's steps is evaluated in it.
import { test, type BrowserContext, type Page } from '@playwright/test';
import { describePeerLinkCompliance, type PeerLinkDriver } from '../src/test-support/peer-link-compliance';
import type { PeerLinkPage } from './peer-link-page';
import { newPeerContext } from './peers';
import { buildTestBundle, openBundlePage } from './test-bundle';

type DriverMethod = Exclude<keyof PeerLinkDriver, 'dispose'>;

/** A driver whose every step runs in the page, on the page's own local driver. */
function pageDriver(page: Page): PeerLinkDriver {
  const step =
    (method: DriverMethod) =>
    (...args: unknown[]): Promise<never> =>
      page.evaluate(
        async ([m, a]) => {
          const driver = (window as unknown as { swarmdropPeerLink: PeerLinkPage }).swarmdropPeerLink.driver;
          if (!driver) throw new Error('no driver: openDriver() was not called');
          return (driver[m] as (...xs: unknown[]) => Promise<never>)(...a);
        },
        [method, args] as const,
      );
  return {
    info: step('info'),
    listen: step('listen'),
    send: step('send'),
    burst: step('burst'),
    resume: step('resume'),
    waitReceived: step('waitReceived'),
    close: step('close'),
    waitCloses: step('waitCloses'),
    pause: step('pause'),
    dispose: () => page.evaluate(() => (window as unknown as { swarmdropPeerLink: PeerLinkPage }).swarmdropPeerLink.driver?.dispose()),
  };
}

let bundle = '';
let context: BrowserContext | null = null;
let page: Page | null = null;

test.beforeAll(async ({ browser }) => {
  bundle = await buildTestBundle('e2e/peer-link-page.ts', 'swarmdropPeerLinkBundle');
  context = await newPeerContext(browser);
});

test.afterAll(async () => {
  await context?.close();
});

/**
 * A fresh page on the app's origin (its media permission and loopback-only ICE apply) holding the
 * bundle, and a new connection between its two peers. The page and the script are served by routes,
 * so the app does not run and the script is same-origin (no inline script for a CSP to refuse).
 */
async function openPageDriver(): Promise<PeerLinkDriver> {
  if (!context) throw new Error('no browser context');
  await page?.close();
  page = await context.newPage();
  await openBundlePage(page, '/__peer-link', bundle);
  await page.evaluate(() => (window as unknown as { swarmdropPeerLink: PeerLinkPage }).swarmdropPeerLink.openDriver());
  return pageDriver(page);
}

describePeerLinkCompliance('WebRTC link (Chromium, loopback)', openPageDriver, {
  describe: (name, body) => test.describe(name, body),
  it: (name, body) => test(name, body),
});
