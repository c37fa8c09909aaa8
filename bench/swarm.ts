// The swarm figure: one sharer whose upload is capped at `swarmUploadLimit`, and 1, 2, then 4 downloaders
// of one file. A client-server app would take n times as long for n downloaders; a swarm should take
// barely longer than for one, as downloaders pass chunks to each other. Each round uses fresh contexts.
// Timing: every downloader joins with auto-download off; once all see the item and each other (full mesh),
// all press Download at one agreed wall-clock instant. t0 = the first downloader's row leaving `available`,
// t1 = the last reaching `complete`, both stamped in the pages by a MutationObserver on the shared wall
// clock performance.timeOrigin + performance.now() (as in bench/swarmdrop.ts).
import { rmSync } from 'node:fs';
import { expect, type Browser, type Page } from '@playwright/test';
import { appUrl, item, openPeer, saveItem, shareFiles, type TestFile, type TestPeer } from '../e2e/peers';
import { cpuSince, snapshotCpu, type CpuUse } from './cpu';
import { writeRandomFile } from './swarmdrop';
import { waitComplete } from './wait-complete';

/**
 * The sharer's upload cap: 4 MB/s, so that the cap, not the CPU, sets the pace. Measured here: at 4 MB/s the
 * 4-downloader round keeps ~1.1–1.5 of our 2 cores busy and ends when the sharer has sent what it sent at the cap
 * (all done ≈ sharer's bytes / cap); at 8 MB/s it took 9.5 s where the cap accounted for 5.9 s (CPU-bound);
 * at 2 MB/s the ratios matched 4 MB/s but every round took twice as long.
 */
export const swarmUploadLimit = 4_000_000;
/** Bytes in the shared file: 32 MB, ~8 s for one downloader at the cap: 31 chunks of 1 MiB, so one chunk's tail is ~3%. */
export const swarmFileBytes = 32_000_000;
/** Downloaders per round: 1 is the reference; 4 is the target's case (all done within 1.5× the time of 1). */
export const swarmSizes = [1, 2, 4] as const;
/** The target: n downloaders finish within this multiple of one downloader's time (client-server: n×). */
export const swarmTargetRatio = 1.5;
/** Milliseconds between agreeing on the start instant and it: enough for every page.evaluate to arrive. */
const startLeadMs = 500;
/** Milliseconds to wait for the sharer's hashing, joining and the full mesh: seconds on loopback; a safety net. */
const setupTimeoutMs = 60_000;
/** Milliseconds to wait for every downloader: 64 MiB to 7 downloaders at even 1 MB/s would finish in time; a stall fails the bench. */
const transferTimeoutMs = 300_000;

/** One round's figures (seconds; bytes). */
export interface SwarmRound {
  readonly downloaders: number;
  /** From the first Download press (t0) to the last downloader's complete (t1). */
  readonly allDoneSeconds: number;
  /** Each downloader's own Download press to complete, in joining order. */
  readonly eachSeconds: readonly number[];
  /** Milliseconds between the first and the last downloader starting (should be a few). */
  readonly startSpreadMs: number;
  /** Bytes the sharer's peer counters say it uploaded, in total. */
  readonly sharerUploadedBytes: number;
  /** Per downloader: bytes received from the sharer, and from other downloaders. */
  readonly fromSharerBytes: readonly number[];
  readonly fromPeersBytes: readonly number[];
  /** Browser CPU of all contexts, from just before the start instant to just after the last complete. */
  readonly cpu: CpuUse;
  /** Average cores our browser kept busy over that interval: near 2 would mean the CPU, not the cap, set the pace. */
  readonly browserCores: number;
}

/** What a swarm measurement varies: the sharer's cap (null: none), the file's size, the downloaders per round. */
export interface SwarmSetup {
  readonly uploadLimit: number | null;
  readonly fileBytes: number;
  readonly sizes: readonly number[];
}

/** The capped swarm of `npm run bench`'s swarm part (issue 4's target). */
export const cappedSwarm: SwarmSetup = { uploadLimit: swarmUploadLimit, fileBytes: swarmFileBytes, sizes: swarmSizes };

/** The whole measurement. */
export interface SwarmResult {
  readonly uploadLimit: number | null;
  readonly fileBytes: number;
  readonly rounds: readonly SwarmRound[];
}

/** Times a downloader's page records, on the wall clock (ms since the epoch). */
interface RowTimes {
  startMs?: number;
  completeMs?: number;
}
type TimesWindow = Window & { swarmdropBenchSwarm?: RowTimes };

/** Init script: auto-download off (so all start together), and stamps when the row starts and completes. */
function recordRowTimes(): void {
  // The page first loads about:blank, whose opaque origin has no localStorage.
  if (location.protocol.startsWith('http')) localStorage.setItem('swarmdrop.autoDownload', 'false');
  const times: RowTimes = {};
  (window as TimesWindow).swarmdropBenchSwarm = times;
  const observer = new MutationObserver(() => {
    const state = document.querySelector('[data-testid=item]')?.getAttribute('data-state');
    if (state === undefined || state === null || state === 'available') return;
    times.startMs ??= performance.timeOrigin + performance.now();
    if (state !== 'complete') return;
    times.completeMs = performance.timeOrigin + performance.now();
    observer.disconnect();
  });
  observer.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-state'] });
}

/** A page's per-peer byte counters: [peer id, downloaded from it, uploaded to it]. */
function peerCounters(page: Page): Promise<(readonly [string, number, number])[]> {
  return page.locator('[data-testid=peer]').evaluateAll((rows) =>
    rows.map((r) => [r.getAttribute('data-peer-id') ?? '', Number(r.getAttribute('data-downloaded-bytes')), Number(r.getAttribute('data-uploaded-bytes'))] as const),
  );
}

/** One round: a fresh capped sharer and `n` fresh downloaders; every context is closed afterwards. */
async function runRound(browser: Browser, file: TestFile, n: number, uploadLimit: number | null): Promise<SwarmRound> {
  const peers: TestPeer[] = [];
  try {
    const sharer = await openPeer(browser, appUrl(), uploadLimit === null ? {} : { 'swarmdrop.uploadLimit': String(uploadLimit) });
    peers.push(sharer);
    const link = await shareFiles(sharer, [file]);
    await waitComplete(sharer.page, file.name, setupTimeoutMs);
    const sharerId = await sharer.page.locator('[data-testid=my-peer-id]').getAttribute('data-peer-id');

    const downloaders: TestPeer[] = [];
    for (let i = 0; i < n; i++) {
      const peer = await openPeer(browser, 'about:blank');
      await peer.context.addInitScript(recordRowTimes);
      downloaders.push(peer);
      peers.push(peer);
    }
    await Promise.all(downloaders.map((d) => d.page.goto(link)));
    for (const d of downloaders) {
      await expect(item(d.page, file.name)).toHaveAttribute('data-state', 'available', { timeout: setupTimeoutMs });
      await expect(d.page.locator('[data-testid=peer-count]')).toHaveText(String(n), { timeout: setupTimeoutMs });
    }

    const cpuStart = snapshotCpu();
    const startAt = Date.now() + startLeadMs;
    await Promise.all(
      downloaders.map((d) =>
        d.page.evaluate((at) => {
          const press = (): void => document.querySelector<HTMLButtonElement>('[data-testid=item-download]')?.click();
          setTimeout(press, at - (performance.timeOrigin + performance.now()));
        }, startAt),
      ),
    );
    const everyPage = Object.fromEntries(peers.map((p, i) => [i === 0 ? 'sharer' : `downloader ${i}`, p.page]));
    for (const d of downloaders) await waitComplete(d.page, file.name, transferTimeoutMs, everyPage);
    const cpu = cpuSince(cpuStart);
    const cpuWallMs = performance.now() - cpuStart.wallMs;

    const times = await Promise.all(downloaders.map((d) => d.page.evaluate(() => (window as TimesWindow).swarmdropBenchSwarm)));
    const starts = times.map((t) => t?.startMs ?? NaN);
    const completes = times.map((t) => t?.completeMs ?? NaN);
    if ([...starts, ...completes].some(Number.isNaN)) throw new Error('row times were not recorded');
    const counters = await Promise.all(downloaders.map((d) => peerCounters(d.page)));
    const sharerUploadedBytes = (await peerCounters(sharer.page)).reduce((sum, [, , up]) => sum + up, 0);

    // Bytes: every downloader's saved copy must equal the file (32 MB hashes in well under a second).
    for (const d of downloaders) {
      const saved = await saveItem(d.page, file.name);
      if (saved.size !== file.size || saved.sha256 !== file.sha256) {
        throw new Error(`a saved copy differs: ${saved.size} bytes, sha256 ${saved.sha256}; expected ${file.size}, ${file.sha256}`);
      }
    }
    return {
      downloaders: n,
      allDoneSeconds: (Math.max(...completes) - Math.min(...starts)) / 1000,
      eachSeconds: completes.map((c, i) => (c - (starts[i] ?? NaN)) / 1000),
      startSpreadMs: Math.max(...starts) - Math.min(...starts),
      sharerUploadedBytes,
      fromSharerBytes: counters.map((rows) => rows.filter(([id]) => id === sharerId).reduce((s, [, down]) => s + down, 0)),
      fromPeersBytes: counters.map((rows) => rows.filter(([id]) => id !== sharerId).reduce((s, [, down]) => s + down, 0)),
      cpu,
      browserCores: cpu.browserMs / cpuWallMs,
    };
  } finally {
    for (const peer of peers.reverse()) await peer.context.close();
  }
}

/** Runs one round per swarm size with one random file, and returns every round's figures. */
export async function measureSwarm(browser: Browser, setup: SwarmSetup = cappedSwarm): Promise<SwarmResult> {
  const file = writeRandomFile('bench-swarm.bin', setup.fileBytes);
  try {
    const rounds: SwarmRound[] = [];
    for (const n of setup.sizes) rounds.push(await runRound(browser, file, n, setup.uploadLimit));
    return { uploadLimit: setup.uploadLimit, fileBytes: setup.fileBytes, rounds };
  } finally {
    rmSync(file.dir, { recursive: true, force: true });
  }
}
