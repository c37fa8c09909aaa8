// Memory while a 1 GiB file crosses between two browsers with on-disk IndexedDB and is saved: the receiving
// page's JS heap and both browsers' RSS, sampled through hashing, transfer and save (memory-sampler.ts).
import { createHash } from 'node:crypto';
import { createReadStream, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { pipeline } from 'node:stream/promises';
import { item, shareFiles } from '../e2e/peers';
import { cpuSince, snapshotCpu, type CpuUse } from './cpu';
import { startSampling, type MemoryPeaks, type MemorySample } from './memory-sampler';
import { runRawOnce } from './raw-channel';
import { openPersistentPeer, type PersistentPeer } from './persistent-peer';
import { recordItemTimes, writeRandomFile, type TimesWindow } from './swarmdrop';
import { waitComplete } from './wait-complete';

/** Bytes in the file: 1 GiB, the size the memory target (issue 4) is stated for; past what incognito IndexedDB holds. */
export const memoryFileBytes = 1024 * 1024 * 1024;
/** Free bytes needed in the temp dir: the file, the sharer's copy in IndexedDB, the receiver's, the download, plus 1 GiB slack. */
const neededDiskBytes = 5 * memoryFileBytes;
/** Milliseconds for the sharer to hash 1 GiB: seconds at ~1 GB/s (MEASURED.md); a safety net. */
const hashTimeoutMs = 180_000;
/** Milliseconds for the transfer: 1 GiB at 3 MB/s would finish in time; a stall fails the bench. */
const transferTimeoutMs = 360_000;
/** Milliseconds for the save (browser reads 1 GiB of chunk Blobs to the download file). */
const saveTimeoutMs = 180_000;

/** Figures of one run (seconds; bytes; MB = 10^6 bytes). */
export interface MemoryResult {
  readonly chromium: string;
  readonly writeSourceSeconds: number;
  /** Drop to the sharer's item complete: reading and hashing the file. */
  readonly sharerHashSeconds: number;
  /** Receiver's item row appearing to data-state=complete (verified, stored). */
  readonly transferSeconds: number;
  readonly MBps: number;
  /** Click on Save to the download written. */
  readonly saveSeconds: number;
  /** Both browsers' CPU from the receiver's navigation to its item complete, and other processes' meanwhile. */
  readonly cpu: CpuUse;
  readonly peaks: MemoryPeaks;
  readonly failedSamples: number;
  readonly samples: readonly MemorySample[];
  /**
   * A raw data channel between the same two browsers, after the save: the limit this transfer is held
   * against. Two browsers cost more per byte than two contexts of one (one network process each).
   */
  readonly raw: { readonly MBps: number; readonly cpu: CpuUse };
}

async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

/** Shares a fresh 1 GiB random file between two persistent browsers, saves it, checks its bytes; returns the figures. */
export async function measureMemory(): Promise<MemoryResult> {
  const { bavail, bsize } = statfsSync(tmpdir());
  if (bavail * bsize < neededDiskBytes) throw new Error(`${tmpdir()} has ${(bavail * bsize / 2 ** 30).toFixed(1)} GiB free; the memory bench needs ${neededDiskBytes / 2 ** 30} GiB`);
  const writeStart = performance.now();
  const file = writeRandomFile('bench-1GiB.bin', memoryFileBytes);
  const writeSourceSeconds = (performance.now() - writeStart) / 1000;
  const peers: PersistentPeer[] = [];
  let sampler: Awaited<ReturnType<typeof startSampling>> | undefined;
  try {
    const sharer = await openPersistentPeer();
    peers.push(sharer);
    const receiver = await openPersistentPeer('about:blank', [recordItemTimes]);
    peers.push(receiver);
    const cdp = await receiver.page.context().newCDPSession(receiver.page);
    const chromium = (await cdp.send('Browser.getVersion')).product.replace(/^\D*\//, '');
    await cdp.detach();
    sampler = await startSampling(sharer, receiver);

    sampler.setPhase('hash');
    const dropped = performance.now();
    const link = await shareFiles(sharer, [file]);
    await waitComplete(sharer.page, file.name, hashTimeoutMs);
    const sharerHashSeconds = (performance.now() - dropped) / 1000;

    sampler.setPhase('transfer');
    const cpuStart = snapshotCpu();
    await receiver.page.goto(link);
    await waitComplete(receiver.page, file.name, transferTimeoutMs, { sharer: sharer.page });
    const cpu = cpuSince(cpuStart);
    const times = await receiver.page.evaluate(() => (window as TimesWindow).swarmdropBenchTimes);
    if (times?.seenMs === undefined || times.completeMs === undefined) throw new Error('item times were not recorded');
    const transferSeconds = (times.completeMs - times.seenMs) / 1000;

    sampler.setPhase('save');
    const clicked = performance.now();
    const [download] = await Promise.all([
      receiver.page.waitForEvent('download', { timeout: saveTimeoutMs }),
      item(receiver.page, file.name).locator('[data-testid=item-save]').click(),
    ]);
    const savedPath = await download.path();
    const saveSeconds = (performance.now() - clicked) / 1000;
    const { samples, peaks, failed } = await sampler.stop();

    const sha256 = await sha256OfFile(savedPath);
    if (sha256 !== file.sha256) throw new Error(`saved file differs: sha256 ${sha256}, expected ${file.sha256}`);
    const raw = await runRawOnce(sharer.page, receiver.page);
    return {
      chromium,
      writeSourceSeconds,
      sharerHashSeconds,
      transferSeconds,
      MBps: file.size / 1e6 / transferSeconds,
      saveSeconds,
      cpu,
      peaks,
      failedSamples: failed,
      samples,
      raw,
    };
  } finally {
    await sampler?.stop();
    for (const peer of peers.reverse()) await peer.close().catch(() => undefined);
    rmSync(file.dir, { recursive: true, force: true });
  }
}
