// Helpers for folder tests: write a folder tree to disk, share it through the folder picker, and read
// a saved ZIP back (with the independent reader in src/test-support, and Info-ZIP's unzip if present).
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, type Page } from '@playwright/test';
import { readZipDirectory } from '../src/test-support/zip-reader';
import { sha256Hex, type TestPeer } from './peers';

/** One file of a test folder: its path relative to the folder, and its digest. */
export interface FolderFileInfo {
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
}

/** Writes `files` under a new folder named `name` in a temporary directory; returns the folder's path. */
export function writeTestFolder(name: string, files: readonly { path: string; bytes: Uint8Array }[]): { dir: string; files: FolderFileInfo[] } {
  const dir = join(mkdtempSync(join(tmpdir(), 'swarmdrop-e2e-')), name);
  for (const { path, bytes } of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), bytes);
  }
  return { dir, files: files.map(({ path, bytes }) => ({ path, size: bytes.length, sha256: sha256Hex(bytes) })) };
}

/** Shares a folder through the folder picker and returns the room link the peer shows. */
export async function shareFolder(peer: TestPeer, dir: string): Promise<string> {
  await peer.page.locator('[data-testid=folder-input]').setInputFiles(dir);
  const link = peer.page.locator('[data-testid=room-link]');
  await expect(link).toHaveText(/#[A-Za-z0-9_-]{22,}$/);
  return (await link.textContent()) ?? '';
}

/** One entry of a saved ZIP. */
export interface SavedEntry extends FolderFileInfo {
  readonly flags: number;
  readonly method: number;
}

/** Reads every entry of a STORE ZIP on disk: path, size and SHA-256 of its bytes. */
export async function readSavedZip(path: string): Promise<SavedEntry[]> {
  const fd = openSync(path, 'r');
  try {
    const read = (offset: number, length: number): Uint8Array => {
      const bytes = new Uint8Array(length);
      const got = readSync(fd, bytes, 0, length, offset);
      if (got !== length) throw new Error(`short read at ${offset}: ${got} of ${length}`);
      return bytes;
    };
    const { entries } = await readZipDirectory(read, statSync(path).size);
    return entries.map((e) => ({ path: e.path, size: e.size, sha256: sha256Hex(read(e.dataOffset, e.size)), flags: e.flags, method: e.method }));
  } finally {
    closeSync(fd);
  }
}

/** Info-ZIP's own check of an archive, or null where unzip is not installed (never under CI, which installs it). */
export function unzipTest(path: string): string | null {
  if (process.env.CI !== 'true' && spawnSync('unzip', ['-v']).status !== 0) return null;
  return execFileSync('unzip', ['-t', path], { env: { ...process.env, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' } }).toString();
}

/** Clicks Save on an item and returns the path and suggested name of what the browser downloaded. */
export async function saveDownload(page: Page, row: ReturnType<Page['locator']>): Promise<{ path: string; fileName: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), row.locator('[data-testid=item-save]').click()]);
  return { path: await download.path(), fileName: download.suggestedFilename() };
}

/** Drops one file on the drop zone with a synthetic drag-and-drop event. */
export async function dropFile(page: Page, name: string, bytes: Uint8Array): Promise<void> {
  const transfer = await page.evaluateHandle(
    ({ name, data }) => {
      const dataTransfer = new DataTransfer();
      dataTransfer.items.add(new File([new Uint8Array(data)], name));
      return dataTransfer;
    },
    { name, data: [...bytes] },
  );
  await page.locator('.drop-zone').dispatchEvent('drop', { dataTransfer: transfer });
}
