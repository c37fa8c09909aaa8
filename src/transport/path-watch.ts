// Notices a broken network path sooner than the browser's ICE state does (Chromium reports
// 'disconnected' only after ~5 s without packets): while this side keeps sending on the selected
// candidate pair and nothing at all comes back for a while, the path is gone. During a transfer
// both directions always carry something (data one way, SCTP acknowledgements the other), so
// silence back is meaningful; an idle link sends nothing and is never judged.
import { selectedPair, type StatsEntry } from './route';

/** Byte counters of the selected candidate pair, from getStats(). */
export interface PairCounters {
  readonly bytesSent: number;
  readonly bytesReceived: number;
}

/** Silence back while sending, this long, means the path broke (a transfer's acks come within an RTT). */
export const pathStallMs = 2_500;

/** Judges a path from periodic samples of its counters. */
export interface PathWatch {
  /** Adds a sample; true when, over the last `pathStallMs`, bytes went out and none came back. */
  sample(nowMs: number, counters: PairCounters): boolean;
  /** Forget history (the selected pair changed, so its counters restart). */
  reset(): void;
}

/** Creates a watch; `stallMs` is injectable for tests. */
export function createPathWatch(stallMs = pathStallMs): PathWatch {
  let samples: { atMs: number; counters: PairCounters }[] = [];
  return {
    sample(nowMs, counters) {
      samples.push({ atMs: nowMs, counters });
      // Keep the newest sample at least `stallMs` old as the baseline, and everything after it.
      const baseline = samples.findLastIndex((s) => s.atMs <= nowMs - stallMs);
      if (baseline > 0) samples = samples.slice(baseline);
      const oldest = samples[0];
      if (!oldest || oldest.atMs > nowMs - stallMs) return false;
      return counters.bytesSent > oldest.counters.bytesSent && counters.bytesReceived === oldest.counters.bytesReceived;
    },
    reset() {
      samples = [];
    },
  };
}

/** The selected candidate pair's byte counters (the pair found anew unless given), or null when none is selected. */
export function selectedPairCounters(
  stats: RTCStatsReport,
  pair: StatsEntry | null = selectedPair(stats),
): (PairCounters & { readonly pairId: string }) | null {
  if (!pair?.id || typeof pair.bytesSent !== 'number' || typeof pair.bytesReceived !== 'number') return null;
  return { pairId: pair.id, bytesSent: pair.bytesSent, bytesReceived: pair.bytesReceived };
}
