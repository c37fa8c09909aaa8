// A run's figures: T/T* over the peers that stay, what the sharer sent, each peer's upload/download
// ratio, bytes received that were not needed, time to the first piece, memory, and the invariants.
import { maxFrameBytes } from '../../src/core/protocol/limits';
import { hardCapExtraLinks, meshCapBaseLinks, meshCapJitterLinks } from '../../src/discovery/mesh';
import { highWatermarkBytes } from '../../src/transport/constants';
import { intactItem } from './content';
import { fluidBoundMs, type BoundPeer } from './fluid-bound';
import type { RunRecord } from './runner';
import type { SimPeer } from './sim-peer';

/** A spread of values. */
export interface Spread {
  readonly min: number;
  readonly median: number;
  readonly max: number;
}

/** What one scenario measured (times in simulated seconds, sizes unscaled). */
export interface ScenarioResult {
  readonly name: string;
  readonly downloaders: number;
  readonly stayed: number;
  readonly leftEarly: number;
  readonly scale: number;
  readonly seed: number;
  readonly fileBytes: number;
  readonly chunkBytes: number;
  /** Last completion among the peers that stayed, and the fluid bound. */
  readonly completeSeconds: number;
  readonly boundSeconds: number;
  readonly ratio: number;
  /** Data the sharer uploaded, in copies of the file. */
  readonly sharerUploadedCopies: number;
  readonly sharerLeftSeconds: number | null;
  /** Distinct chunks the downloaders present held when the sharer left, of all chunks. */
  readonly coverageAtSharerLeave: string | null;
  /** Per staying peer: data uploaded / data downloaded. */
  readonly upDownRatio: Spread;
  /** Of the data bytes the staying peers received, the share they did not need (duplicates, endgame copies), %. */
  readonly duplicatePercent: number;
  /** Of the same bytes, the share that arrived for requests the receiver cancelled (endgame copies lost, stalls withdrawn), %. */
  readonly cancelledPercent: number;
  /** Per downloader: from joining to its first stored chunk. */
  readonly firstPieceSeconds: { readonly median: number; readonly max: number };
  /** Per staying peer: from joining to completing. */
  readonly downloadSeconds: Spread;
  /** The staying peers that completed last, slowest first: their access links and download times (where a tail comes from). */
  readonly slowest: readonly string[];
  /** The most any peer buffered (link queues and partly received chunks), unscaled, and the bound checked. */
  readonly peakBufferedBytes: number;
  readonly bufferedBoundBytes: number;
  readonly linksOpened: number;
  readonly rateRecomputes: number;
  readonly logCounts: Record<string, number>;
  readonly wallSeconds: number;
  readonly violations: readonly string[];
}

/** Staying peers named in the notes as the last to complete. */
const slowestListed = 3;

const mbit = (bytesPerSecond: number): string => (bytesPerSecond / 125_000).toFixed(1);

const median = (sorted: readonly number[]): number => {
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
const spread = (values: readonly number[]): Spread => {
  const sorted = [...values].sort((a, b) => a - b);
  return { min: sorted[0] ?? NaN, median: median(sorted), max: sorted[sorted.length - 1] ?? NaN };
};

/** Most links a peer may hold: the mesh's largest cap plus its rescue margin. */
const maxLinksPerPeer = meshCapBaseLinks + meshCapJitterLinks + hardCapExtraLinks;

/** The figures of a finished run; invariant failures are added to its violations. */
export function summarize(run: RunRecord): ScenarioResult {
  const { scenario, room, draws, sharer } = run;
  const { item } = room;
  const F = item.totalBytes;
  const scale = scenario.scale;
  const violations = [...run.violations];
  const joined = run.downloaders.filter((p): p is SimPeer => p !== null);
  const stayers = joined.filter((p) => draws[p.index - 1]?.leaveAtProgress === null);
  const toBound = (p: SimPeer, completes: boolean): BoundPeer => ({
    fromMs: p.joinedMs,
    untilMs: p.leftMs ?? Infinity,
    upBytesPerSecond: p.capacity.upBytesPerSecond,
    downBytesPerSecond: p.capacity.downBytesPerSecond,
    completes,
  });
  const boundMs = fluidBoundMs(F, toBound(sharer, false), joined.map((p) => toBound(p, stayers.includes(p))));
  const completeMs = Math.max(0, ...stayers.map((p) => p.completedMs ?? Infinity));

  const unverified = [sharer, ...joined].reduce((sum, p) => sum + p.store.unverified, 0);
  if (unverified > 0) violations.push(`${unverified} chunks that did not match the manifest's SHA-256 were handed to a store`);
  if (!intactItem(item)) violations.push(`the item's bytes changed during the run: an engine wrote into a chunk the store served`);
  // A peer buffers at most one copy of the item in partly received chunks, plus full send buffers on every link.
  const bufferedBoundBytes = F + maxLinksPerPeer * (highWatermarkBytes / scale + maxFrameBytes);
  const peak = [sharer, ...joined].reduce((most, p) => (p.counters.peakBufferedBytes > most.counters.peakBufferedBytes ? p : most), sharer);
  if (peak.counters.peakBufferedBytes > bufferedBoundBytes) {
    violations.push(`peer ${peak.index} buffered ${(peak.counters.peakBufferedBytes * scale / 2 ** 20).toFixed(1)} MiB at once, over the bound of ${(bufferedBoundBytes * scale / 2 ** 20).toFixed(1)} MiB`);
  }
  const received = stayers.reduce((sum, p) => sum + p.counters.dataReceivedBytes, 0);
  const needed = stayers.length * F;
  const firstPieces = joined.flatMap((p) => (p.firstPieceMs === null ? [] : [(p.firstPieceMs - p.joinedMs) / 1000])).sort((a, b) => a - b);
  const wholeChunksAtLeave = run.coverageAtSharerLeave;
  const chunkCount = item.signed.manifest.chunkCount;
  if (wholeChunksAtLeave !== null && wholeChunksAtLeave < chunkCount && stayers.some((p) => p.completedMs === null)) {
    violations.push(`when the sharer left, the peers in the room held ${wholeChunksAtLeave} of the ${chunkCount} chunks between them: the rest were gone`);
  }
  return {
    name: scenario.name,
    downloaders: draws.length,
    stayed: stayers.length,
    leftEarly: joined.length - stayers.length,
    scale,
    seed: scenario.seed,
    fileBytes: scenario.fileBytes,
    chunkBytes: item.signed.manifest.chunkBytes * scale,
    completeSeconds: completeMs / 1000,
    boundSeconds: boundMs / 1000,
    ratio: completeMs / boundMs,
    sharerUploadedCopies: sharer.counters.dataSentBytes / F,
    sharerLeftSeconds: sharer.leftMs !== null && sharer.leftMs < run.endMs ? sharer.leftMs / 1000 : null,
    coverageAtSharerLeave: wholeChunksAtLeave === null ? null : `${wholeChunksAtLeave}/${item.signed.manifest.chunkCount}`,
    upDownRatio: spread(stayers.map((p) => p.counters.dataSentBytes / Math.max(1, p.counters.dataReceivedBytes))),
    duplicatePercent: received > 0 ? (100 * Math.max(0, received - needed)) / received : 0,
    cancelledPercent: received > 0 ? (100 * stayers.reduce((sum, p) => sum + p.counters.cancelledBytes, 0)) / received : 0,
    firstPieceSeconds: { median: median(firstPieces), max: firstPieces[firstPieces.length - 1] ?? NaN },
    downloadSeconds: spread(stayers.map((p) => ((p.completedMs ?? Infinity) - p.joinedMs) / 1000)),
    slowest: [...stayers]
      .sort((a, b) => (b.completedMs ?? Infinity) - b.joinedMs - ((a.completedMs ?? Infinity) - a.joinedMs))
      .slice(0, slowestListed)
      .map((p) => `↑${mbit(p.capacity.upBytesPerSecond * scale)}/↓${mbit(p.capacity.downBytesPerSecond * scale)} Mbit/s ${(((p.completedMs ?? Infinity) - p.joinedMs) / 1000).toFixed(1)} s`),
    peakBufferedBytes: peak.counters.peakBufferedBytes * scale,
    bufferedBoundBytes: bufferedBoundBytes * scale,
    linksOpened: room.webrtc.opened,
    rateRecomputes: room.network.stats.recomputes,
    logCounts: Object.fromEntries([...room.logCounts].sort(([a], [b]) => a.localeCompare(b))),
    wallSeconds: run.wallMs / 1000,
    violations,
  };
}
