import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { maxConnectionsPerIp } from './limits.js';
import type { Log } from './log.js';
import { createHarness } from './test-support/relay-harness.js';
import { createAbuseStats, runAbuser, runFlooder, startPingPong } from './test-support/fuzz-clients.js';
import { createFuzzFrames } from './test-support/fuzz-frames.js';
import { ofType, rejectedStatus } from './test-support/ws-client.js';

const harness = createHarness();
afterEach(() => harness.closeAll());

/** Fixed unless FUZZ_SEED is set, so a failure reproduces with the seed the output printed. */
const seed = Number(process.env['FUZZ_SEED'] ?? 0x5eed);

/** Abusive clients working at once; each reconnects whenever the relay cuts it. */
const abusers = 6;

/** Hostile frames per abuser: 6 × 1,750 = 10,500, plus the flooder's bursts. */
const framesPerAbuser = 1_750;

/** Flood bursts of 2,000 publishes each, one socket per burst, spread over the abusers' run. */
const floodBursts = 10;

/** The pair's ping period: 40 frames/s each, under the 50/s per-socket refill, as honest clients stay. */
const pingPongIntervalMs = 25;

/**
 * RSS bound over the fuzz. RSS counts the test's clients too and rarely shrinks (V8 and malloc keep
 * pages), so ~45 MiB is normal here; per-socket state leaked over ~600 connections would pass it.
 */
const maxRssGrowthBytes = 100 * 1024 * 1024;

/** Live JS heap after a full GC: the sharp leak check (~2 MiB measured), used when a GC can be forced. */
const maxHeapGrowthBytes = 20 * 1024 * 1024;

/** Hard bound of the whole test on a loaded 2-core box (it takes ~5-10 s). */
const fuzzTimeoutMs = 30_000;

/** Close codes an offending socket may get: bad data (1007), policy/strikes (1008), too big (1009). */
const offenderCodes = [1007, 1008, 1009];

/** Relay log events that would mean a handler threw or a server broke. */
const failureEvents = ['handler-error', 'wss-error', 'upgrade-error', 'server-error'];

const mib = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);

/** `global.gc` if node was started with --expose-gc, else V8's runtime flag; undefined if neither works. */
function findGc(): (() => void) | undefined {
  const exposed: unknown = (globalThis as { gc?: unknown }).gc;
  if (typeof exposed === 'function') return exposed as () => void;
  setFlagsFromString('--expose-gc');
  const fromContext: unknown = runInNewContext('typeof gc === "function" ? gc : undefined');
  return typeof fromContext === 'function' ? (fromContext as () => void) : undefined;
}

/** The pair's room: a stand-in for a room id, which logs may only ever show a short prefix of. */
const calmTopic = 'calm-room-0123456789abcdef';

/** Strings from payloads and full topics: a log line containing one would be a leak. */
const payloadMarkers = [new RegExp(calmTopic), /(?:ping|pong|spam)-\d/, /polluted/, /a{16}|x{16}/];

/** Longest log line allowed: events carry ids, codes and counts, never frames. */
const maxLogLineChars = 300;

interface CountingLog {
  readonly log: Log;
  readonly events: Map<string, number>;
  readonly closeCodes: Map<number, number>;
  /** Lines that were too long or contained a payload marker (must stay empty). */
  readonly leaks: string[];
}

/** A log sink that keeps counts only: 10,000+ rejections must not fill memory in the test itself. */
function countingLog(): CountingLog {
  const events = new Map<string, number>();
  const closeCodes = new Map<number, number>();
  const leaks: string[] = [];
  const log: Log = (entry) => {
    const line = JSON.stringify(entry);
    if (line.length > maxLogLineChars || payloadMarkers.some((marker) => marker.test(line))) leaks.push(line.slice(0, maxLogLineChars));
    const event = String(entry['event']);
    events.set(event, (events.get(event) ?? 0) + 1);
    if (event === 'socket-closed' && typeof entry['code'] === 'number') closeCodes.set(entry['code'], (closeCodes.get(entry['code']) ?? 0) + 1);
  };
  return { log, events, closeCodes, leaks };
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('relay fuzz', () => {
  it(
    'survives 10,000+ hostile frames and a flood while a pair in another room loses nothing',
    async () => {
      const sink = countingLog();
      const relay = await harness.start({ log: sink.log });
      const pair = await startPingPong(relay.signalUrl, calmTopic, pingPongIntervalMs);
      const gc = findGc();
      gc?.();
      const before = process.memoryUsage();
      let peakRss = before.rss;
      const sampler = setInterval(() => {
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
      }, 50);
      const started = performance.now();

      const stats = createAbuseStats();
      await Promise.all([
        runFlooder(relay.signalUrl, floodBursts, stats),
        ...Array.from({ length: abusers }, (_, i) => runAbuser(relay.signalUrl, createFuzzFrames(seed + i), framesPerAbuser, stats)),
      ]);
      const durationMs = performance.now() - started;
      const pairResult = await pair.stop();
      clearInterval(sampler);

      // Every socket the relay accepted has closed, so every per-IP slot must be free again.
      await waitUntil(() => sink.events.get('socket-opened') === sink.events.get('socket-closed'), 5_000);
      gc?.();
      const after = process.memoryUsage();
      const abuseFrames = [...stats.framesByKind].filter(([kind]) => kind !== 'flood').reduce((sum, [, n]) => sum + n, 0);
      const rttSorted = [...pairResult.roundTripMs].sort((a, b) => a - b);
      console.log(
        JSON.stringify({
          fuzz: {
            seed,
            durationMs: Math.round(durationMs),
            abuseFrames,
            floodFrames: stats.framesByKind.get('flood') ?? 0,
            framesByKind: Object.fromEntries(stats.framesByKind),
            offenderCloseCodes: Object.fromEntries(stats.closeCodes),
            endedByTest: stats.endedByTest,
            refusedUpgrades: Object.fromEntries(stats.refusedUpgrades),
            relayEvents: Object.fromEntries(sink.events),
            relayCloseCodes: Object.fromEntries(sink.closeCodes),
            gcExposed: gc !== undefined,
            rssBeforeMiB: mib(before.rss),
            rssAfterMiB: mib(after.rss),
            rssGrowthMiB: mib(after.rss - before.rss),
            rssPeakGrowthMiB: mib(peakRss - before.rss),
            heapUsedGrowthMiB: mib(after.heapUsed - before.heapUsed),
            pair: {
              roundTrips: pairResult.sent,
              rttMedianMs: (rttSorted[rttSorted.length >> 1] ?? Number.NaN).toFixed(1),
              rttMaxMs: (rttSorted.at(-1) ?? Number.NaN).toFixed(1),
            },
          },
        }),
      );

      // The pair: every message arrived, once, in order, and nothing else reached their room.
      const everySequence = Array.from({ length: pairResult.sent }, (_, i) => i);
      expect(pairResult.sent).toBeGreaterThan(20);
      expect(pairResult.pingsReceived).toEqual(everySequence);
      expect(pairResult.pongsReceived).toEqual(everySequence);
      expect(pairResult.unexpected).toEqual([]);
      expect(pairResult.closes).toEqual([]);

      // The abusers: enough frames, every cut with a fitting code, each kind of cut seen.
      expect(abuseFrames).toBeGreaterThanOrEqual(10_000);
      for (const code of stats.closeCodes.keys()) expect(offenderCodes).toContain(code);
      for (const code of offenderCodes) expect(stats.closeCodes.get(code) ?? 0).toBeGreaterThan(0);
      for (const event of failureEvents) expect(sink.events.get(event) ?? 0).toBe(0);
      expect(sink.leaks).toEqual([]);
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      expect(after.rss - before.rss).toBeLessThan(maxRssGrowthBytes);
      if (gc !== undefined) expect(after.heapUsed - before.heapUsed).toBeLessThan(maxHeapGrowthBytes);

      // The relay is up, and no per-IP slot leaked over hundreds of connections.
      const clients = await Promise.all(Array.from({ length: maxConnectionsPerIp }, () => relay.client()));
      expect(await rejectedStatus(relay.signalUrl)).toBe(429);
      const [a, b] = clients;
      if (a === undefined || b === undefined) throw new Error('no clients');
      await a.subscribe('after-fuzz');
      await b.subscribe('after-fuzz');
      a.send({ type: 'publish', topic: 'after-fuzz', data: 'still here' });
      expect(await b.next(ofType('message'))).toMatchObject({ data: 'still here' });
    },
    fuzzTimeoutMs,
  );
});
