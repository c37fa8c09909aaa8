// Notices a broken network path sooner than the browser's ICE state does (Chromium reports
// 'disconnected' only after ~5 s without packets): while this side keeps sending data on the
// selected candidate pair and nothing at all comes back for a while, the path is gone.
//
// A quiet link is not a dead link. Its keep-alives are small (an SCTP heartbeat of ~100 bytes every
// 30 s; ICE consent checks are not counted in the pair's bytes), so the bytes sent in the window must
// exceed what keep-alives and a few requests add up to. And a slow link is not a dead one: its
// answers can wait behind its own saturated (or bufferbloated) uplink, so the window grows with the
// silences the link has been seen to end by itself, and with its round-trip time.
import { selectedPair, type StatsEntry } from './route';

/** Byte counters of the selected candidate pair, from getStats(), and its round-trip time when known. */
export interface PairCounters {
  readonly bytesSent: number;
  readonly bytesReceived: number;
  /** The pair's current round-trip time (ICE consent checks), in ms: it includes the queues on the path. */
  readonly roundTripMs?: number;
}

/** Shortest window of silence back while sending that means the path broke (a fast link's acks come within an RTT). */
export const pathStallMs = 2_500;

/** Longest window: past it a path that answers nothing is broken however slow it was (ICE gives up at 30 s). */
export const maxPathStallMs = 10_000;

/**
 * Bytes that must go out unanswered within the window before it counts: keep-alives (measured: 100
 * bytes per 30 s on an idle Chromium link) and a few request frames stay below it; a broken path
 * whose data is being retransmitted sends a full SCTP packet (~1.2 KB) every retransmission timeout.
 */
export const minUnansweredBytes = 1_024;

/** A silence this link ended by itself, times this, is not yet suspicious: room for its next slow spell. */
export const answerGapFactor = 2;

/** The window is at least this many round trips (a bufferbloated uplink shows in the consent checks' RTT). */
export const roundTripFactor = 4;

/** Silences the link ended by itself are remembered this long: a link that has been fast for a minute is judged as fast. */
export const answerGapMemoryMs = 60_000;

/** At most this many remembered silences (samples come every second; bounded whatever the caller does). */
const maxRememberedGaps = 64;

/** Judges a path from periodic samples of its counters. */
export interface PathWatch {
  /** Adds a sample; true when, over the current window, data went out and nothing came back. */
  sample(nowMs: number, counters: PairCounters): boolean;
  /** The silence, in ms, after which a sending path is judged broken now. */
  readonly windowMs: number;
  /** Forget history (the selected pair changed, so its counters restart). */
  reset(): void;
}

interface Sample {
  readonly atMs: number;
  readonly counters: PairCounters;
}

/** Creates a watch; `stallMs` (the shortest window) is injectable for tests. */
export function createPathWatch(stallMs = pathStallMs): PathWatch {
  let samples: Sample[] = [];
  /** The last sample at which bytes came back (or the first sample). */
  let lastAnswer: Sample | null = null;
  let roundTripMs = 0;
  /** Silences that ended with an answer while data was going out, with when they ended. */
  let gaps: { atMs: number; gapMs: number }[] = [];

  const windowAt = (nowMs: number): number => {
    gaps = gaps.filter((g) => g.atMs > nowMs - answerGapMemoryMs).slice(-maxRememberedGaps);
    const longestGapMs = Math.max(0, ...gaps.map((g) => g.gapMs));
    return Math.min(maxPathStallMs, Math.max(stallMs, answerGapFactor * longestGapMs, roundTripFactor * roundTripMs));
  };

  /**
   * Bytes came back. If data had been going out unanswered before, remember the silence the link
   * ended by itself: from the newest sample after which enough bytes went out unanswered (the
   * window that would have been judged; a silence that had only keep-alives is none) to now.
   */
  const answered = (now: Sample, previous: Sample | undefined): void => {
    const since = lastAnswer?.atMs ?? Infinity;
    const sent = previous?.counters.bytesSent ?? -Infinity;
    const from = samples.findLastIndex((s) => s.atMs >= since && sent - s.counters.bytesSent >= minUnansweredBytes);
    // The bytes counted at `from` went out after the sample before it: the silence began there (or at the answer).
    const start = samples[from - 1] && (samples[from - 1]?.atMs ?? -Infinity) >= since ? samples[from - 1] : samples[from];
    if (start) gaps.push({ atMs: now.atMs, gapMs: now.atMs - start.atMs });
    lastAnswer = now;
  };

  return {
    sample(nowMs, counters) {
      const current = { atMs: nowMs, counters };
      const previous = samples.at(-1);
      if (counters.roundTripMs !== undefined && Number.isFinite(counters.roundTripMs)) roundTripMs = counters.roundTripMs;
      if (!lastAnswer || counters.bytesReceived > lastAnswer.counters.bytesReceived) answered(current, previous);
      samples.push(current);
      const windowMs = windowAt(nowMs);
      // Keep the newest sample at least a longest window old as the baseline, and everything after it.
      const baseline = samples.findLastIndex((s) => s.atMs <= nowMs - maxPathStallMs);
      if (baseline > 0) samples = samples.slice(baseline);
      // The window's baseline: the newest sample at least `windowMs` old.
      const since = samples.findLast((s) => s.atMs <= nowMs - windowMs);
      if (!since) return false;
      const silentBack = counters.bytesReceived === since.counters.bytesReceived;
      return silentBack && counters.bytesSent - since.counters.bytesSent >= minUnansweredBytes;
    },
    get windowMs() {
      return windowAt(samples.at(-1)?.atMs ?? 0);
    },
    reset() {
      samples = [];
      lastAnswer = null;
      gaps = [];
    },
  };
}

/** The selected candidate pair's byte counters and RTT (the pair found anew unless given), or null when none is selected. */
export function selectedPairCounters(
  stats: RTCStatsReport,
  pair: StatsEntry | null = selectedPair(stats),
): (PairCounters & { readonly pairId: string }) | null {
  if (!pair?.id || typeof pair.bytesSent !== 'number' || typeof pair.bytesReceived !== 'number') return null;
  // currentRoundTripTime is in seconds (RTCIceCandidatePairStats); absent until a consent check was answered.
  const { currentRoundTripTime } = pair as StatsEntry & { currentRoundTripTime?: unknown };
  const roundTrip = typeof currentRoundTripTime === 'number' && Number.isFinite(currentRoundTripTime) ? { roundTripMs: currentRoundTripTime * 1000 } : {};
  return { pairId: pair.id, bytesSent: pair.bytesSent, bytesReceived: pair.bytesReceived, ...roundTrip };
}
