// Test helpers: a peer is its own browser context (own IndexedDB) with WebRTC kept on loopback.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Browser, type BrowserContext, type ConsoleMessage, type Page } from '@playwright/test';

/** The page under test, served by the relay from global setup. */
export function appUrl(): string {
  const url = process.env.SWARMDROP_URL;
  if (!url) throw new Error('SWARMDROP_URL is not set (global setup did not run)');
  return url;
}

/**
 * Keeps every WebRTC connection on loopback: remote candidates that are not 127.x or ::1 are dropped
 * before the browser may try them (the machine may have other interfaces). Runs in the page.
 */
export function loopbackOnly(): void {
  const isLoopback = (line: string): boolean => / (127\.\d+\.\d+\.\d+|::1) \d+ typ /.test(line);
  const proto = RTCPeerConnection.prototype;
  const setRemote = proto.setRemoteDescription;
  proto.setRemoteDescription = function (this: RTCPeerConnection, description?: RTCSessionDescriptionInit) {
    if (description?.sdp) {
      const sdp = description.sdp.split('\r\n').filter((l) => !l.startsWith('a=candidate:') || isLoopback(l)).join('\r\n');
      return Reflect.apply(setRemote, this, [{ type: description.type, sdp }]) as Promise<void>;
    }
    return Reflect.apply(setRemote, this, [description]) as Promise<void>;
  } as typeof proto.setRemoteDescription;
  const addCandidate = proto.addIceCandidate;
  proto.addIceCandidate = function (this: RTCPeerConnection, candidate?: RTCIceCandidateInit | null) {
    if (candidate?.candidate && !isLoopback(candidate.candidate)) return Promise.resolve();
    return Reflect.apply(addCandidate, this, [candidate]) as Promise<void>;
  } as typeof proto.addIceCandidate;
}

/** One peer: its own context and page, and the console errors it logged (CSP violations show there). */
export interface TestPeer {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly consoleErrors: string[];
}

/** How a peer context departs from the defaults (loopback-only WebRTC, media permission). */
export interface PeerContextOptions {
  /** Drop non-loopback candidates (off where the test's network is its own, as in the NAT lab). */
  readonly loopbackOnly?: boolean;
  /** Grant camera/microphone so Chromium gathers real host candidates (an insecure origin cannot get it). */
  readonly media?: boolean;
  /** Let test scripts run inline despite the page's Content-Security-Policy (test-only pages). */
  readonly bypassCSP?: boolean;
}

/**
 * A browser context set up for peers of `origin`: loopback-only WebRTC, media permission, saved
 * preferences, and any extra test-only init scripts (run in every page before the app).
 */
export async function newPeerContext(
  browser: Browser,
  origin = new URL(appUrl()).origin,
  preferences: Record<string, string> = {},
  initScripts: readonly (() => void)[] = [],
  { loopbackOnly: keepLoopback = true, media = true, bypassCSP = false }: PeerContextOptions = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({ acceptDownloads: true, bypassCSP });
  if (media) await context.grantPermissions(['camera', 'microphone'], { origin });
  if (keepLoopback) await context.addInitScript(loopbackOnly);
  for (const script of initScripts) await context.addInitScript(script);
  if (Object.keys(preferences).length > 0) {
    await context.addInitScript((prefs: Record<string, string>) => {
      for (const [key, value] of Object.entries(prefs)) localStorage.setItem(key, value);
    }, preferences);
  }
  return context;
}

/** Opens a tab of `context` at `url`, collecting its console errors; `beforeLoad` may attach more listeners first. */
export async function openTab(context: BrowserContext, url: string, beforeLoad?: (page: Page) => void): Promise<TestPeer> {
  const page = await context.newPage();
  beforeLoad?.(page);
  return navigateTab(context, page, url);
}

/** Navigates a page already open in `context` (a blank tab) to `url`, recording the errors it reports from then on. */
export async function navigateTab(context: BrowserContext, page: Page, url: string): Promise<TestPeer> {
  const consoleErrors: string[] = [];
  page.on('pageerror', (error) => consoleErrors.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  await page.goto(url);
  return { context, page, consoleErrors };
}

/** Opens a new peer at `url` (the start page, or a room link) in a context of its own. */
export async function openPeer(
  browser: Browser,
  url = appUrl(),
  preferences: Record<string, string> = {},
  initScripts: readonly (() => void)[] = [],
): Promise<TestPeer> {
  // A page opened on about:blank first (to navigate later) is granted the app's origin.
  const origin = url.startsWith('http') ? new URL(url).origin : new URL(appUrl()).origin;
  return openTab(await newPeerContext(browser, origin, preferences, initScripts), url);
}

/** A file to share in a test, written to a temporary folder under its own name. */
export interface TestFile {
  readonly name: string;
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
}

/** Folders of test files this process wrote; they go when it exits (synchronously, as 'exit' requires). */
const testFileDirs = new Set<string>();
process.once('exit', () => {
  for (const dir of testFileDirs) rmSync(dir, { recursive: true, force: true });
});

/** Writes test files to disk (setInputFiles takes paths, which works for any size). */
export function writeTestFiles(files: readonly { name: string; bytes: Uint8Array }[]): TestFile[] {
  const dir = mkdtempSync(join(tmpdir(), 'swarmdrop-e2e-'));
  testFileDirs.add(dir);
  return files.map(({ name, bytes }) => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return { name, path, size: bytes.length, sha256: sha256Hex(bytes) };
  });
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Shares files from a peer and returns the room link it shows. */
export async function shareFiles(peer: TestPeer, files: readonly TestFile[]): Promise<string> {
  await peer.page.locator('[data-testid=drop-input]').setInputFiles(files.map((f) => f.path));
  const link = peer.page.locator('[data-testid=room-link]');
  await expect(link).toHaveText(/#[A-Za-z0-9_-]{22,}$/);
  return (await link.textContent()) ?? '';
}

/** The item row of a file by name. */
export function item(page: Page, name: string) {
  return page.locator(`[data-testid=item][data-name="${name.replace(/"/g, '\\"')}"]`);
}

/** Longest wait from clicking Save to the browser's download (ms): a 256 MiB save reads its chunks and builds its Blob within this on a loaded 2-core machine. */
const saveTimeoutMs = 120_000;

/** A click on Save that shows no save in progress and no download after this long (ms) is taken as lost, and clicked again once. */
const lostSaveClickMs = 20_000;

/** What the page shows of a save: the item's row, saves being prepared, and error notices. */
async function saveState(page: Page, name: string): Promise<{ row: string; preparing: number; checked: string[]; errors: string[] }> {
  const row = await item(page, name).innerText({ timeout: 5_000 }).catch(() => '(no row)');
  const progress = page.locator('[data-testid=save-progress]');
  const preparing = await progress.count();
  const checked = await progress
    .evaluateAll((nodes) => nodes.map((n) => `${(n as HTMLElement).dataset.doneBytes ?? '?'} of ${(n as HTMLElement).dataset.totalBytes ?? '?'} bytes`))
    .catch(() => []);
  const errors = await page.locator('[data-testid=error]').allInnerTexts().catch(() => []);
  return { row: row.replace(/\s+/g, ' '), preparing, checked, errors };
}

/** Clicks Save on an item and returns the SHA-256 and size of the file the browser downloaded. */
export async function saveItem(page: Page, name: string): Promise<{ sha256: string; size: number; fileName: string }> {
  const startedMs = Date.now();
  // What the page says of its saves (a read that stalled, a chunk given up) goes into this test's output.
  const said: string[] = [];
  const listen = (message: ConsoleMessage): void => void (message.text().includes('swarmdrop: saving') && said.push(message.text()));
  page.on('console', listen);
  const downloaded = page.waitForEvent('download', { timeout: saveTimeoutMs });
  downloaded.catch(() => undefined); // awaited below
  await item(page, name).locator('[data-testid=item-save]').click();
  const early = await Promise.race([downloaded, new Promise<null>((resolve) => setTimeout(() => resolve(null), lostSaveClickMs))]).catch(() => null);
  if (early === null) {
    const state = await saveState(page, name);
    // Nothing prepared and nothing downloaded: the click went nowhere (said, so a repeat is visible), so click once more.
    if (state.preparing === 0 && state.errors.length === 0) {
      console.warn(`saveItem: no save and no download ${lostSaveClickMs / 1000} s after clicking Save on "${name}" (row: ${state.row}); clicking again`);
      await item(page, name).locator('[data-testid=item-save]').click();
    }
  }
  const download = await downloaded
    .catch(async (error: unknown) => {
      const state = await saveState(page, name);
      throw new Error(
        `no download ${((Date.now() - startedMs) / 1000).toFixed(0)} s after Save on "${name}"; the row said: ${state.row}; saves being prepared: ${state.preparing} (checked ${state.checked.join(', ') || 'nothing'}); errors shown: ${JSON.stringify(state.errors)}; the page said: ${JSON.stringify(said)}`,
        { cause: error },
      );
    })
    .finally(() => page.off('console', listen));
  for (const line of said) console.warn(`saveItem "${name}": ${line}`);
  const path = await download.path();
  const bytes = readFileSync(path);
  return { sha256: sha256Hex(bytes), size: bytes.length, fileName: download.suggestedFilename() };
}
