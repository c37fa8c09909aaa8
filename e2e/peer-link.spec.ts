// The real WebRTC link (src/transport/webrtc-peer.ts) passes the PeerLink compliance suite: one page
// holds both ends of a loopback connection, and each of the suite's steps is evaluated in it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, type BrowserContext, type Page } from '@playwright/test';
import { build } from 'vite';
import { describePeerLinkCompliance, type PeerLinkDriver } from '../src/test-support/peer-link-compliance';
import type { PeerLinkPage } from './peer-link-page';
import { appUrl, newPeerContext } from './peers';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Builds e2e/peer-link-page.ts into one classic script (in a temp dir, never dist/) and returns its text. */
async function buildPageBundle(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'swarmdrop-peer-link-'));
  try {
    await build({
      root,
      configFile: false,
      logLevel: 'warn',
      // HACK: as vite.config.ts: simple-peer's npm entry needs Node built-ins; its browser bundle does not.
      resolve: { alias: { 'simple-peer': 'simple-peer/simplepeer.min.js' } },
      build: {
        outDir,
        emptyOutDir: true,
        minify: false,
        target: 'es2022',
        lib: { entry: join(root, 'e2e/peer-link-page.ts'), formats: ['iife'], name: 'swarmdropPeerLinkBundle', fileName: () => 'peer-link.js' },
      },
    });
    return readFileSync(join(outDir, 'peer-link.js'), 'utf8');
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

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
  bundle = await buildPageBundle();
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
  const pageUrl = new URL('/__peer-link/index.html', appUrl()).href;
  const scriptUrl = new URL('/__peer-link/peer-link.js', appUrl()).href;
  await page.route(pageUrl, (route) => route.fulfill({ contentType: 'text/html', body: `<!doctype html><script src="${scriptUrl}"></script>` }));
  await page.route(scriptUrl, (route) => route.fulfill({ contentType: 'text/javascript', body: bundle }));
  await page.goto(pageUrl);
  await page.evaluate(() => (window as unknown as { swarmdropPeerLink: PeerLinkPage }).swarmdropPeerLink.openDriver());
  return pageDriver(page);
}

describePeerLinkCompliance('WebRTC link (Chromium, loopback)', openPageDriver, {
  describe: (name, body) => test.describe(name, body),
  it: (name, body) => test(name, body),
});
