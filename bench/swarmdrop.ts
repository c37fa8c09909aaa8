// Swarmdrop's throughput for one 256 MiB file between two browser contexts, verified and stored: timed in
// the friend's page from the moment its item row appears (manifest received) to data-state=complete, by a
// MutationObserver installed before the page loads (exact to the React commit, no polling).
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from '@playwright/test';
import { openPeer, saveItem, shareFiles, type TestFile } from '../e2e/peers';
import { cpuSince, snapshotCpu, type CpuUse } from './cpu';
import { waitComplete } from './wait-complete';

/** Bytes in the shared file: 256 MiB, big enough that connection setup is noise, small enough for in-memory IndexedDB. */
export const swarmdropFileBytes = 256 * 1024 * 1024;
/** Bytes generated and written at a time: 16 MiB, so the file never sits whole in Node's memory. */
const writePieceBytes = 16 * 1024 * 1024;
/** Milliseconds to wait for the sharer to hash the file: 256 MiB hashes in seconds; this is a safety net. */
const hashTimeoutMs = 120_000;
/** Milliseconds to wait for the transfer: 256 MiB at even 1 MB/s would finish in time; a stall fails the bench. */
const transferTimeoutMs = 300_000;

/** Result of the Swarmdrop measurement (MB = 10^6 bytes). */
export interface SwarmdropResult {
  /** Transfer throughput, from item row appearing to data-state=complete. */
  readonly MBps: number;
  readonly transferSeconds: number;
  /** From the friend's navigation to its item row appearing: relay, signaling, ICE, manifest. */
  readonly connectSeconds: number;
  /** From dropping the file to the sharer's item reaching data-state=complete (hashing). */
  readonly sharerHashSeconds: number;
  /** Browser CPU from the friend's navigation to its item completing. */
  readonly cpu: CpuUse;
}

/** Times the friend's page records (ms since its navigation started). */
export interface ItemTimes {
  seenMs?: number;
  completeMs?: number;
}
export type TimesWindow = Window & { swarmdropBenchTimes?: ItemTimes };

/** Init script: records when the first item row appears and when it reaches data-state=complete. */
export function recordItemTimes(): void {
  const times: ItemTimes = {};
  (window as TimesWindow).swarmdropBenchTimes = times;
  const observer = new MutationObserver(() => {
    const row = document.querySelector('[data-testid=item]');
    if (!row) return;
    times.seenMs ??= performance.now();
    if (row.getAttribute('data-state') !== 'complete') return;
    times.completeMs = performance.now();
    observer.disconnect();
  });
  observer.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-state'] });
}

/** Writes `size` random bytes to a new temporary folder, hashing as it goes. */
export function writeRandomFile(name: string, size: number): TestFile & { readonly dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'swarmdrop-bench-'));
  const path = join(dir, name);
  const hash = createHash('sha256');
  const fd = openSync(path, 'w');
  try {
    for (let written = 0; written < size; ) {
      const piece = randomBytes(Math.min(writePieceBytes, size - written));
      hash.update(piece);
      for (let offset = 0; offset < piece.length; ) offset += writeSync(fd, piece, offset);
      written += piece.length;
    }
  } finally {
    closeSync(fd);
  }
  return { name, path, size, sha256: hash.digest('hex'), dir };
}

/** Shares a fresh random file from one context, downloads it in another, verifies it, and returns the figures. */
export async function measureSwarmdrop(browser: Browser): Promise<SwarmdropResult> {
  const file = writeRandomFile('bench-256MiB.bin', swarmdropFileBytes);
  const sharer = await openPeer(browser);
  const friend = await openPeer(browser, 'about:blank');
  try {
    const dropped = Date.now();
    const link = await shareFiles(sharer, [file]);
    await waitComplete(sharer.page, file.name, hashTimeoutMs);
    const sharerHashSeconds = (Date.now() - dropped) / 1000;

    await friend.context.addInitScript(recordItemTimes);
    const cpuStart = snapshotCpu();
    await friend.page.goto(link);
    await waitComplete(friend.page, file.name, transferTimeoutMs, { sharer: sharer.page });
    const cpu = cpuSince(cpuStart);
    const times = await friend.page.evaluate(() => (window as TimesWindow).swarmdropBenchTimes);
    if (times?.seenMs === undefined || times.completeMs === undefined) throw new Error('item times were not recorded');

    const saved = await saveItem(friend.page, file.name);
    if (saved.size !== file.size || saved.sha256 !== file.sha256) {
      throw new Error(`saved file differs: ${saved.size} bytes, sha256 ${saved.sha256}; expected ${file.size}, ${file.sha256}`);
    }
    const transferSeconds = (times.completeMs - times.seenMs) / 1000;
    return { MBps: file.size / 1e6 / transferSeconds, transferSeconds, connectSeconds: times.seenMs / 1000, sharerHashSeconds, cpu };
  } finally {
    await friend.context.close();
    await sharer.context.close();
    rmSync(file.dir, { recursive: true, force: true });
  }
}
