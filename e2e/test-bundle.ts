// Builds a test-only page entry (never part of dist/) into one classic script, and serves it on the
// app's origin from a route, so the page's scripts are same-origin and no app code runs there.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { build } from 'vite';
import { appUrl } from './peers';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Builds `entry` (relative to the repository) as an IIFE that sets `window[globalName]`, and returns its text. */
export async function buildTestBundle(entry: string, globalName: string): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'swarmdrop-test-bundle-'));
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
        lib: { entry: join(root, entry), formats: ['iife'], name: globalName, fileName: () => 'bundle.js' },
      },
    });
    return readFileSync(join(outDir, 'bundle.js'), 'utf8');
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

/**
 * Opens `page` on a real address of the app's origin (the relay's "not found" page, so no app code
 * runs) and runs `bundle` there. The page's context must bypass CSP (the bundle is an inline script).
 * Unlike a routed page, it talks to the relay: Chromium's local network access checks block a page
 * that Playwright fulfilled from opening a WebSocket to loopback.
 */
export async function openRelayPage(page: Page, path: string, bundle: string): Promise<void> {
  await page.goto(new URL(`${path}/not-a-page`, appUrl()).href);
  await page.addScriptTag({ content: bundle });
}

/** Opens `page` on a blank page of the app's origin under `path` that runs `bundle`. */
export async function openBundlePage(page: Page, path: string, bundle: string): Promise<void> {
  const pageUrl = new URL(`${path}/index.html`, appUrl()).href;
  const scriptUrl = new URL(`${path}/bundle.js`, appUrl()).href;
  await page.route(pageUrl, (route) => route.fulfill({ contentType: 'text/html', body: `<!doctype html><script src="${scriptUrl}"></script>` }));
  await page.route(scriptUrl, (route) => route.fulfill({ contentType: 'text/javascript', body: bundle }));
  await page.goto(pageUrl);
}
