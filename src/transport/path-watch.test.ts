import { describe, expect, it } from 'vitest';
import { createPathWatch, maxPathStallMs, minUnansweredBytes, pathStallMs, selectedPairCounters, type PairCounters } from './path-watch';

/** One second of a link: bytes out, bytes back, and the round-trip time the consent checks measured. */
interface Second {
  readonly sent: number;
  readonly received: number;
  readonly roundTripMs?: number;
}

/** A link sampled once a second (as webrtc-peer does) for `seconds`, `second(t)` saying what crossed it in second t. */
function link(seconds: number, second: (t: number) => Second): [number, PairCounters][] {
  const samples: [number, PairCounters][] = [];
  let sent = 0;
  let received = 0;
  for (let t = 0; t < seconds; t++) {
    const s = second(t);
    sent += s.sent;
    received += s.received;
    samples.push([t * 1000, { bytesSent: sent, bytesReceived: received, ...(s.roundTripMs === undefined ? {} : { roundTripMs: s.roundTripMs }) }]);
  }
  return samples;
}

/** The times (ms) at which the watch judged the path broken. */
function judged(samples: readonly [number, PairCounters][]): number[] {
  const watch = createPathWatch();
  return samples.filter(([ms, counters]) => watch.sample(ms, counters)).map(([ms]) => ms);
}

const heartbeat = (t: number, answered: boolean): Second => (t % 30 === 29 ? { sent: 100, received: answered ? 100 : 0 } : { sent: 0, received: 0 });
/** A transfer: 1 MB/s out, acks back every second. */
const fast: Second = { sent: 1_000_000, received: 20_000 };
/** A broken path: the data in flight is retransmitted, one full packet a second at most, and nothing comes back. */
const retransmitting: Second = { sent: 1_200, received: 0 };

describe('path watch: a quiet link is not a dead link', () => {
  it.each([
    ['an idle link (nothing sent, nothing received)', link(600, () => ({ sent: 0, received: 0 }))],
    ['keep-alives whose answers are lost (a saturated uplink drops them)', link(600, (t) => heartbeat(t, t % 60 !== 59))],
    ['keep-alives answered on another candidate pair (never counted here)', link(600, (t) => heartbeat(t, false))],
    ['a few small requests to a sender that is slow to answer', link(60, (t) => ({ sent: 150 * (t % 2), received: t % 5 === 4 ? 70_000 : 0 }))],
    ['a busy link (acks keep coming)', link(60, () => fast)],
    ['the end of a transfer (both sides fall quiet)', link(60, (t) => (t < 10 ? fast : { sent: 0, received: 0 }))],
    ['a receiver whose sender vanished (it sends nothing)', link(60, (t) => (t < 10 ? { sent: 50, received: 1e6 } : { sent: 0, received: 0 }))],
    ['a slow uplink whose acks come every 2 s', link(120, (t) => ({ sent: 30_000, received: t % 2 === 1 ? 400 : 0 }))],
    ['a slow link whose silences grow by a second at a time (2, 3, 4, 5 s, then 6 s)', link(60, (t) => ({ sent: 20_000, received: [2, 5, 9, 14].includes(t) || (t > 14 && t % 6 === 2) ? 400 : 0 }))],
    ['a bufferbloated uplink: 1.5 s round trips, answers every 3 s from the start', link(90, (t) => ({ sent: 20_000, received: t % 3 === 2 ? 400 : 0, roundTripMs: 1_500 }))],
  ] as const)('never judges %s', (_label, samples) => {
    expect(judged(samples)).toEqual([]);
  });

  it.each([
    ['a fast transfer whose path breaks', link(30, (t) => (t < 10 ? fast : retransmitting)), 9_000, pathStallMs + 1_000],
    ['a slow link (2 s silences seen) whose path breaks', link(60, (t) => (t < 20 ? { sent: 30_000, received: t % 2 === 1 ? 400 : 0 } : retransmitting)), 19_000, 2 * 2_000 + 1_000],
    [
      'a link with 60 s round trips whose path breaks (the window stops at its maximum)',
      link(60, (t) => (t < 20 ? { sent: 20_000, received: t % 5 === 4 ? 400 : 0, roundTripMs: 60_000 } : retransmitting)),
      19_000,
      maxPathStallMs + 1_000,
    ],
  ] as const)('judges %s, within its window', (_label, samples, lastAnswerMs, withinMs) => {
    const times = judged(samples);
    expect(times.length).toBeGreaterThan(0);
    const first = times[0] ?? Infinity;
    expect(first - lastAnswerMs).toBeGreaterThanOrEqual(pathStallMs);
    expect(first - lastAnswerMs).toBeLessThanOrEqual(withinMs);
  });

  it('judges at the shortest window when bytes go out and nothing comes back', () => {
    const watch = createPathWatch();
    const results = [
      [0, 0, 100],
      [1000, 5_000, 150],
      [2000, 6_000, 150], // silence back starts after 1000 ms
      [3000, 7_000, 150],
      [3499, 7_500, 150],
      [3500, 8_000, 150], // 2500 ms of silence while 3,000 bytes went out
    ].map(([ms = 0, sent = 0, received = 0]) => watch.sample(ms, { bytesSent: sent, bytesReceived: received }));
    expect(results).toEqual([false, false, false, false, false, true]);
  });

  it('needs more than keep-alive traffic within the window', () => {
    const watch = createPathWatch();
    const quiet = [0, 1000, 2000, 3000, 4000].map((ms, i) => watch.sample(ms, { bytesSent: i * ((minUnansweredBytes - 1) / 4), bytesReceived: 0 }));
    expect(quiet).toEqual([false, false, false, false, false]);
    expect(watch.sample(5000, { bytesSent: 2 * minUnansweredBytes, bytesReceived: 0 })).toBe(true);
  });

  it('widens its window with the link’s round-trip time and the silences it ended, and stops at the maximum', () => {
    const watch = createPathWatch();
    watch.sample(0, { bytesSent: 0, bytesReceived: 0, roundTripMs: 900 });
    expect(watch.windowMs).toBe(3_600);
    for (const [ms, sent, received] of [[1000, 5_000, 0], [2000, 10_000, 0], [3000, 15_000, 100]] as const) watch.sample(ms, { bytesSent: sent, bytesReceived: received });
    expect(watch.windowMs).toBe(6_000); // a 3 s silence, ended by an answer
    watch.sample(70_000, { bytesSent: 15_000, bytesReceived: 200, roundTripMs: 60_000 });
    expect(watch.windowMs).toBe(maxPathStallMs); // the silence is forgotten; the RTT alone would ask for more
  });

  it('starts afresh after reset (a new selected pair has new counters)', () => {
    const watch = createPathWatch();
    watch.sample(0, { bytesSent: 100, bytesReceived: 100 });
    watch.sample(3000, { bytesSent: 50_000, bytesReceived: 100 });
    watch.reset();
    expect([watch.sample(3100, { bytesSent: 0, bytesReceived: 0 }), watch.sample(3200, { bytesSent: 5_000, bytesReceived: 0 })]).toEqual([false, false]);
  });

  it('reads the selected pair’s counters and round-trip time from getStats()', () => {
    const stats = new Map<string, Record<string, unknown>>([
      ['T', { id: 'T', type: 'transport', selectedCandidatePairId: 'P' }],
      ['P', { id: 'P', type: 'candidate-pair', bytesSent: 7, bytesReceived: 9, currentRoundTripTime: 0.25 }],
      ['Q', { id: 'Q', type: 'candidate-pair', bytesSent: 1, bytesReceived: 1 }],
    ]) as unknown as RTCStatsReport;
    expect(selectedPairCounters(stats)).toEqual({ pairId: 'P', bytesSent: 7, bytesReceived: 9, roundTripMs: 250 });
    expect(selectedPairCounters(new Map() as unknown as RTCStatsReport)).toBeNull();
  });
});
