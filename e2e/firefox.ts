// Firefox as a second engine: Debian's firefox-esr driven over WebDriver BiDi by puppeteer-core
// (Playwright's own Firefox cannot be downloaded here; shared/MEASURED.md). Every Firefox peer is
// its own browser process with its own temporary profile (own IndexedDB), WebRTC kept on loopback.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { appUrl, loopbackOnly, sha256Hex, type TestFile } from './peers';

/** Debian's Firefox ESR, the only Firefox here; SWARMDROP_FIREFOX may name another (e.g. a netns wrapper script). */
export const firefoxExecutable = process.env.SWARMDROP_FIREFOX ?? '/usr/bin/firefox-esr';

/** Give a graceful browser.close() this long before killing the process group (ms): a hung close must not hang the run. */
const closeTimeoutMs = 5_000;

/** How often the download folder is polled for a finished file (ms): downloads of blobs are local copies. */
const downloadPollMs = 100;

/** Waits for a room link, a download, or a page element default to this (ms), like the Chromium specs' expect timeout. */
const defaultTimeoutMs = 30_000;

/**
 * Why Firefox cannot run, or null when it can. On CI (`CI=true`) a missing Firefox is a failure, not a
 * skip: the suite claims Firefox coverage there, so it throws.
 */
export function firefoxUnavailable(): string | null {
  if (existsSync(firefoxExecutable)) return null;
  const reason = `${firefoxExecutable} is missing (apt-get install firefox-esr)`;
  if (process.env.CI === 'true') throw new Error(`Firefox is required on CI: ${reason}`);
  return reason;
}

/**
 * Test-only page hook: remembers the size of every Blob turned into an object URL and every
 * `a[download]` the app clicks, so a test knows how many bytes the saved file must have before it
 * reads the real download from disk (Firefox writes `name.part`, then renames; size is the check).
 */
function recordSaves(): void {
  const sizes = new Map<string, number>();
  const saves: { fileName: string; size: number }[] = [];
  (window as unknown as { __firefoxSaves: typeof saves }).__firefoxSaves = saves;
  const createObjectURL = URL.createObjectURL;
  URL.createObjectURL = (object: Blob | MediaSource): string => {
    const url = createObjectURL(object);
    if (object instanceof Blob) sizes.set(url, object.size);
    return url;
  };
  const click = HTMLAnchorElement.prototype.click;
  HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
    if (this.hasAttribute('download')) saves.push({ fileName: this.download, size: sizes.get(this.href) ?? -1 });
    return Reflect.apply(click, this, []) as void;
  };
}

/** One Firefox peer: its own browser process, profile, download folder and page. */
export interface FirefoxPeer {
  readonly browser: Browser;
  readonly page: Page;
  /** Console errors and uncaught page errors, as the Chromium peers collect them. */
  readonly consoleErrors: string[];
  /** Where this peer's downloads land. */
  readonly downloadDir: string;
  /** Closes the browser (killing it if close hangs) and deletes the profile. Safe to call twice. */
  close(): Promise<void>;
}

/** Preferences of a Firefox test profile for peers of `origin` (prefs are read at startup). */
function firefoxPrefs(dir: string, origin: string, downloadDir: string): Record<string, unknown> {
  // BiDi cannot grant the microphone (Firefox bug 1609427); without it Firefox hides host candidates.
  const permissions = join(dir, 'permissions.txt');
  writeFileSync(permissions, `origin\tmicrophone\t1\t${origin}\n`);
  return {
    // Loopback ICE: gather 127.0.0.1/::1 candidates, with real addresses instead of mDNS names.
    'media.peerconnection.ice.loopback': true,
    'media.peerconnection.ice.obfuscate_host_addresses': false,
    'permissions.manager.defaultsUrl': `file://${permissions}`,
    // UDP is all loopback needs; fewer candidates, fewer pairs to check.
    'media.peerconnection.ice.tcp': false,
    // Saves land in our folder without asking.
    'browser.download.folderList': 2,
    'browser.download.dir': downloadDir,
    'browser.download.useDownloadDir': true,
    'browser.download.always_ask_before_handling_new_types': false,
    'browser.download.start_downloads_in_tmp_dir': false,
    'browser.download.alwaysOpenPanel': false,
  };
}

/** Kills a browser we launched: its process group (puppeteer starts it detached), else the pid. */
function killBrowser(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }
}

/**
 * Opens a Firefox peer at `url` (the start page or a room link) in a browser of its own, with saved
 * preferences (localStorage) and test-only init scripts, as `openPeer` does for Chromium.
 */
export async function openFirefoxPeer(
  url = appUrl(),
  preferences: Record<string, string> = {},
  initScripts: readonly (() => void)[] = [],
): Promise<FirefoxPeer> {
  const origin = new URL(url.startsWith('http') ? url : appUrl()).origin;
  const dir = mkdtempSync(join(tmpdir(), 'swarmdrop-firefox-'));
  const downloadDir = join(dir, 'downloads');
  const consoleErrors: string[] = [];
  let browser: Browser | undefined;
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    const pid = browser?.process()?.pid;
    try {
      if (browser) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const hung = new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), closeTimeoutMs)));
        const result = await Promise.race([browser.close().then(() => 'closed' as const), hung]).finally(() => clearTimeout(timer));
        if (result === 'hung') killBrowser(pid);
      }
    } catch (error) {
      // Not rethrown: closing runs in the tests' finally blocks, where it would hide the real failure.
      killBrowser(pid);
      console.warn(`Firefox (pid ${pid ?? '?'}) did not close cleanly and was killed: ${String(error)}`);
    } finally {
      // A just-killed Firefox may still be writing its profile: retry the delete briefly.
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    }
  };
  try {
    mkdirSync(downloadDir);
    browser = await puppeteer.launch({
      browser: 'firefox',
      protocol: 'webDriverBiDi',
      executablePath: firefoxExecutable,
      headless: true,
      userDataDir: join(dir, 'profile'),
      extraPrefsFirefox: firefoxPrefs(dir, origin, downloadDir),
    });
    const page = await browser.newPage();
    page.setDefaultTimeout(defaultTimeoutMs);
    page.on('pageerror', (error) => consoleErrors.push(`page error: ${error instanceof Error ? error.message : String(error)}`));
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    await page.evaluateOnNewDocument(loopbackOnly);
    await page.evaluateOnNewDocument(recordSaves);
    for (const script of initScripts) await page.evaluateOnNewDocument(script);
    if (Object.keys(preferences).length > 0) {
      await page.evaluateOnNewDocument((prefs: Record<string, string>) => {
        for (const [key, value] of Object.entries(prefs)) localStorage.setItem(key, value);
      }, preferences);
    }
    await page.goto(url);
    return { browser, page, consoleErrors, downloadDir, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The CSS selector of an item row by file name (and, optionally, state). */
export function itemSelector(name: string, state?: string): string {
  const row = `[data-testid=item][data-name="${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"]`;
  return state ? `${row}[data-state=${state}]` : row;
}

/** Shares files from a Firefox peer through the drop zone's file input and returns the room link. */
export async function shareFilesFirefox(peer: FirefoxPeer, files: readonly TestFile[]): Promise<string> {
  const input = await peer.page.waitForSelector('input[data-testid=drop-input]');
  if (!input) throw new Error('no drop input');
  await input.uploadFile(...files.map((f) => f.path));
  const link = await peer.page.waitForFunction(() => {
    const text = document.querySelector('[data-testid=room-link]')?.textContent ?? '';
    return /#[A-Za-z0-9_-]{22,}$/.test(text) ? text : null;
  });
  return (await link.jsonValue()) ?? '';
}

/** Waits until an item is complete on a Firefox peer. */
export async function waitForCompleteFirefox(peer: FirefoxPeer, name: string, timeoutMs = 60_000): Promise<void> {
  await peer.page.waitForSelector(itemSelector(name, 'complete'), { timeout: timeoutMs });
}

/** The id a Firefox page's peer has in the swarm. */
export async function firefoxPeerId(peer: FirefoxPeer): Promise<string> {
  const id = await peer.page.evaluate(() => document.querySelector('[data-testid=my-peer-id]')?.getAttribute('data-peer-id') ?? '');
  if (!id) throw new Error('the Firefox page shows no peer id');
  return id;
}

/** Waits until the first element matching `selector` has exactly `text` (e.g. the peer count). */
export async function waitForTextFirefox(peer: FirefoxPeer, selector: string, text: string): Promise<void> {
  await peer.page.waitForFunction((s, t) => document.querySelector(s)?.textContent === t, {}, selector, text);
}

/** The text of the first element matching `selector`, or null. */
export function textOf(peer: FirefoxPeer, selector: string): Promise<string | null> {
  return peer.page.evaluate((s) => document.querySelector(s)?.textContent ?? null, selector);
}

/**
 * Clicks Save on an item and returns the SHA-256 and size of the file Firefox wrote to the download
 * folder: a real browser download, read from disk once it has the size of the Blob the app saved.
 */
export async function saveItemFirefox(peer: FirefoxPeer, name: string): Promise<{ sha256: string; size: number; fileName: string }> {
  const savesBefore = await peer.page.evaluate(() => (window as unknown as { __firefoxSaves: unknown[] }).__firefoxSaves.length);
  const button = await peer.page.waitForSelector(`${itemSelector(name)} [data-testid=item-save]`);
  if (!button) throw new Error(`no save button for ${name}`);
  await button.click();
  const save = await peer.page.waitForFunction(
    (n) => (window as unknown as { __firefoxSaves: { fileName: string; size: number }[] }).__firefoxSaves[n] ?? null,
    {},
    savesBefore,
  );
  const { fileName, size } = (await save.jsonValue()) ?? { fileName: '', size: -1 };
  if (size < 0) throw new Error(`the app saved ${fileName} from something that is not a Blob`);
  // Looked up under the name the app asked for: a file Firefox renamed times out, listing what it wrote.
  const path = join(peer.downloadDir, fileName);
  const deadline = Date.now() + defaultTimeoutMs;
  for (;;) {
    const entries = existsSync(peer.downloadDir) ? readdirSync(peer.downloadDir) : [];
    const writing = entries.some((e) => e.endsWith('.part'));
    if (!writing && entries.includes(fileName) && statSync(path).size === size) break;
    if (Date.now() > deadline) throw new Error(`no finished download of ${fileName} (${size} bytes) in ${peer.downloadDir}: ${entries.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, downloadPollMs));
  }
  const bytes = readFileSync(path);
  // Saved again later, the same name must land as itself, not as "name(1)".
  rmSync(path);
  return { sha256: sha256Hex(bytes), size: bytes.length, fileName };
}
