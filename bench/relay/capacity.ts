// Figures 1-3: sockets one relay process holds, its RSS per 1,000 sockets, and the signaling round
// trip at 1,000 and at all sockets held (probes between pairs while every other socket idles).
import { percentile, round } from './stats.js';
import { openFiles, openFilesLimit, rssKiB, sleep, type RelayProcess } from './processes.js';
import { closePairs, openPairs, waitForSocketCount, type Workers } from './pairs.js';

/** Sockets held for the large measurement: the brief's target, half the 20,000 open-files limit. */
export const heldSocketsTarget = 10_000;

/** Sockets held for the small measurement. */
export const smallSocketCount = 1_000;

/** Probe pairs (200 sockets, part of the held ones): 2,000 samples at 500/s is 5 frames/s per socket, far under the bucket's 50/s. */
export const probePairs = 100;

/** Round trips measured at each size: enough for a stable p99 (20 samples above it). */
export const rttSamples = 2_000;

/** Probe rate over all probe pairs: modest, so the round trip measured is the relay's, not a queue's. */
export const rttRatePerSecond = 500;

/** Probes sent and discarded before each measurement, so the first samples do not time a cold JIT. */
const rttWarmupSamples = 200;

/** Time one probe run may take: 2,000 samples at 500/s is 4 s, plus the answer wait. */
const probeTimeoutMs = 30_000;

/** Pause before reading RSS, so the connect burst's allocations have a moment to be collected. */
const rssSettleMs = 1_000;

export interface RttFigure {
  readonly socketsHeld: number;
  readonly samples: number;
  readonly lost: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export interface CapacityFigures {
  readonly socketsTarget: number;
  readonly socketsHeld: number;
  readonly failedToOpen: number;
  readonly relayOpenFiles: number;
  readonly relayOpenFilesLimit: number;
  readonly rssBeforeMiB: number;
  readonly rssAt1kMiB: number;
  readonly rssAtHeldMiB: number;
  readonly rssPer1000SocketsMiB: number;
  readonly rttAt1k: RttFigure;
  readonly rttAtHeld: RttFigure;
}

const mib = (kib: number): number => round(kib / 1024, 1);

async function measureRtt(workers: Workers, relay: RelayProcess): Promise<RttFigure> {
  const socketsHeld = (await relay.health())?.sockets ?? 0;
  await workers.a.call('probe', { group: 'cap-probe', samples: rttWarmupSamples, ratePerSecond: rttRatePerSecond }, probeTimeoutMs);
  const result = await workers.a.call('probe', { group: 'cap-probe', samples: rttSamples, ratePerSecond: rttRatePerSecond }, probeTimeoutMs);
  return {
    socketsHeld,
    samples: result.latenciesMs.length,
    lost: result.lost,
    p50Ms: round(percentile(result.latenciesMs, 0.5), 2),
    p99Ms: round(percentile(result.latenciesMs, 0.99), 2),
  };
}

/** Runs figures 1-3 on an empty relay and leaves it empty again. */
export async function measureCapacity(workers: Workers, relay: RelayProcess): Promise<CapacityFigures> {
  const urls = { a: relay.wsUrl, b: relay.wsUrl };
  await sleep(rssSettleMs);
  const rssBefore = rssKiB(relay.pid);
  let failedToOpen = await openPairs(workers, 'cap-probe', probePairs, 'probe', urls);
  failedToOpen += await openPairs(workers, 'cap-idle1', smallSocketCount / 2 - probePairs, 'idle', urls);
  await waitForSocketCount(relay, smallSocketCount - failedToOpen);
  await sleep(rssSettleMs);
  const rssAt1k = rssKiB(relay.pid);
  const rttAt1k = await measureRtt(workers, relay);

  failedToOpen += await openPairs(workers, 'cap-idle2', (heldSocketsTarget - smallSocketCount) / 2, 'idle', urls);
  await waitForSocketCount(relay, heldSocketsTarget - failedToOpen);
  await sleep(rssSettleMs);
  const rssAtHeld = rssKiB(relay.pid);
  const socketsHeld = (await relay.health())?.sockets ?? 0;
  const relayOpenFiles = openFiles(relay.pid);
  const rttAtHeld = await measureRtt(workers, relay);

  for (const group of ['cap-probe', 'cap-idle1', 'cap-idle2']) await closePairs(workers, group);
  await waitForSocketCount(relay, 0);
  return {
    socketsTarget: heldSocketsTarget,
    socketsHeld,
    failedToOpen,
    relayOpenFiles,
    relayOpenFilesLimit: openFilesLimit(relay.pid),
    rssBeforeMiB: mib(rssBefore),
    rssAt1kMiB: mib(rssAt1k),
    rssAtHeldMiB: mib(rssAtHeld),
    rssPer1000SocketsMiB: socketsHeld === 0 ? Number.NaN : round(((rssAtHeld - rssBefore) / 1024) * (1000 / socketsHeld), 2),
    rttAt1k,
    rttAtHeld,
  };
}
