// Figure 6: one room of hundreds. A page's hello is published to its room and reaches
// min(N - 1, maxBroadcastRecipients) other members drawn at random (signaling/limits.ts), so a room
// whose members all join at once (each saying hello on its subscription, as pages do) costs O(N·k),
// not O(N²): the relay's CPU per fan-out, the time one fan-out takes, deliveries per second and the burst.
import { maxBroadcastRecipients } from '../../signaling/limits.js';
import { freePort } from '../../signaling/test-support/redis-server.js';
import { percentile, round } from './stats.js';
import { cpuMs, sleep, startRelay, stopChild, type RelayCaps, type RelayProcess } from './processes.js';
import { openTimeoutMs, type Workers } from './pairs.js';
import type { GroupCounters, SocketSpec } from './worker-protocol.js';

/** Room sizes measured: the 100 and 1,000 members. */
export const roomSizes = [100, 1_000] as const;

/** Characters of each hello: a sealed hello envelope is 367 (src/discovery/envelope.ts), ~410 with a display name. */
export const helloChars = 400;

/** Single hellos timed one at a time at each size (each waits for all its deliveries): a stable median. */
export const singleHellos = 20;

/** The room-wide rate run: every member says hello once, offered this fast (far above any honest room). */
export const roomHelloRatePerSecond = 1_000;

/** The relay of this figure: no cap of its own in the way (the room cap is what the figure is to set). */
const fanoutCaps: RelayCaps = { maxConnections: 15_000, maxConnectionsPerIp: 15_000, maxSocketsPerRoom: 5_000 };

/** Deliveries stood still this long: the fan-out (or the burst) is over. */
const settleMs = 3_000;

/** Poll period of the delivery counters: fine against fan-outs of tens of ms. */
const pollMs = 5;

/** Bound on one wait for deliveries. */
const deliveryTimeoutMs = 120_000;

/** Upper bound on one IPC request. */
const callTimeoutMs = 30_000;

/** Members one hello reaches in a room of `members`: the relay's sample, or everyone else in a smaller room. */
export const helloReach = (members: number): number => Math.min(members - 1, maxBroadcastRecipients);

export interface RoomFigure {
  readonly members: number;
  /** One hello reaching its sample of the others (helloReach): wall time (first send to last delivery), median and slowest. */
  readonly fanoutP50Ms: number;
  readonly fanoutMaxMs: number;
  /** Relay CPU per hello fan-out, from the rate run (every member once). */
  readonly relayCpuMsPerHello: number;
  /** Deliveries per second in the rate run, and its bytes out of the relay. */
  readonly deliveredPerSecond: number;
  readonly deliveredMiBPerSecond: number;
  /** All members joining at once, each saying hello when subscribed. */
  readonly burst: {
    readonly deliveries: number;
    readonly joinedAfterMs: number;
    readonly lastDeliveryAfterMs: number;
    readonly relayCpuMs: number;
    readonly deliveredMiB: number;
    /** Sockets closed during the burst (the relay cuts slow consumers) and error frames (caps, rate limits). */
    readonly closes: number;
    readonly errorFrames: number;
  };
}

/** Members of one room, half on each worker. */
function roomSpecs(group: string, members: number, hello: boolean): { a: SocketSpec[]; b: SocketSpec[] } {
  const specs = Array.from({ length: members }, (_, i): SocketSpec => ({ room: group, peer: `${group}-m${i}`, ...(hello ? { helloChars } : {}) }));
  return { a: specs.filter((_, i) => i % 2 === 0), b: specs.filter((_, i) => i % 2 === 1) };
}

async function both(workers: Workers, group: string, reset = false): Promise<GroupCounters & { both: [GroupCounters, GroupCounters] }> {
  const [a, b] = await Promise.all([workers.a.call('counters', { group, reset }, callTimeoutMs), workers.b.call('counters', { group, reset }, callTimeoutMs)]);
  return {
    ...a,
    received: a.received + b.received,
    receivedChars: a.receivedChars + b.receivedChars,
    lastReceiveAtMs: Math.max(a.lastReceiveAtMs, b.lastReceiveAtMs),
    errorFrames: a.errorFrames + b.errorFrames,
    closes: a.closes + b.closes,
    both: [a, b],
  };
}

/** Waits until `expected` deliveries arrived, or the count stood still for `settleMs`; returns the counters. */
async function deliveries(workers: Workers, group: string, expected: number): Promise<GroupCounters> {
  const deadline = Date.now() + deliveryTimeoutMs;
  let counters = await both(workers, group);
  let movedAt = Date.now();
  while (counters.received < expected && Date.now() - movedAt < settleMs && Date.now() < deadline) {
    await sleep(pollMs);
    const next = await both(workers, group);
    if (next.received > counters.received) movedAt = Date.now();
    counters = next;
  }
  return counters;
}

async function openRoom(workers: Workers, relay: RelayProcess, group: string, members: number, hello: boolean): Promise<number> {
  const specs = roomSpecs(group, members, hello);
  const opened = await Promise.all([
    workers.a.call('open', { group, url: relay.wsUrl, specs: specs.a, reconnect: false }, openTimeoutMs),
    workers.b.call('open', { group, url: relay.wsUrl, specs: specs.b, reconnect: false }, openTimeoutMs),
  ]);
  const failed = opened[0].failed + opened[1].failed;
  if (failed > 0) throw new Error(`${failed} of ${members} members of ${group} did not subscribe`);
  return Math.max(opened[0].elapsedMs, opened[1].elapsedMs);
}

async function closeRoom(workers: Workers, group: string): Promise<void> {
  await Promise.all([workers.a.call('close', { group }, callTimeoutMs), workers.b.call('close', { group }, callTimeoutMs)]);
}

/** One hello at a time from a member on worker A, each timed until all it reaches (helloReach) have it. */
async function singleFanouts(workers: Workers, group: string, members: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < singleHellos; i++) {
    await both(workers, group, true);
    const sent = await workers.a.call('announce', { group, count: 1, ratePerSecond: roomHelloRatePerSecond, dataChars: helloChars }, callTimeoutMs);
    const counters = await deliveries(workers, group, helloReach(members));
    if (counters.received < helloReach(members)) throw new Error(`a hello reached ${counters.received} of ${helloReach(members)} members`);
    times.push(counters.lastReceiveAtMs - sent.firstSendAtMs);
  }
  return times;
}

/** Every member says hello once, as fast as offered: relay CPU per fan-out, deliveries per second. */
async function rateRun(workers: Workers, relay: RelayProcess, group: string, members: number) {
  await both(workers, group, true);
  const cpuBefore = cpuMs(relay.pid);
  const perWorker = members / 2;
  const announce = { group, count: perWorker, ratePerSecond: roomHelloRatePerSecond / 2, dataChars: helloChars };
  const [sentA] = await Promise.all([workers.a.call('announce', announce, deliveryTimeoutMs), workers.b.call('announce', announce, deliveryTimeoutMs)]);
  const expected = members * helloReach(members);
  const counters = await deliveries(workers, group, expected);
  const cpu = cpuMs(relay.pid) - cpuBefore;
  const seconds = Math.max(0.001, (counters.lastReceiveAtMs - sentA.firstSendAtMs) / 1000);
  if (counters.received < expected) throw new Error(`the rate run delivered ${counters.received} of ${expected}`);
  return {
    relayCpuMsPerHello: round(cpu / members, 2),
    deliveredPerSecond: Math.round(counters.received / seconds),
    deliveredMiBPerSecond: round(counters.receivedChars / seconds / 1048576, 1),
  };
}

/** All members join at once, each saying hello on its subscription. */
async function burst(workers: Workers, relay: RelayProcess, members: number): Promise<RoomFigure['burst']> {
  const group = `burst-${members}`;
  const cpuBefore = cpuMs(relay.pid);
  const startedAt = Date.now();
  const joinedAfterMs = await openRoom(workers, relay, group, members, true);
  // A hello reaches a sample of the members already there: at most N · helloReach(N), all in first.
  const counters = await deliveries(workers, group, members * helloReach(members));
  const figure = {
    deliveries: counters.received,
    joinedAfterMs: Math.round(joinedAfterMs),
    lastDeliveryAfterMs: counters.lastReceiveAtMs - startedAt,
    relayCpuMs: Math.round(cpuMs(relay.pid) - cpuBefore),
    deliveredMiB: round(counters.receivedChars / 1048576, 1),
    closes: counters.closes,
    errorFrames: counters.errorFrames,
  };
  await closeRoom(workers, group);
  return figure;
}

/** Figure 6 at every room size, on a relay of its own. */
export async function measureRooms(workers: Workers): Promise<RoomFigure[]> {
  const relay = await startRelay(await freePort(), fanoutCaps);
  try {
    const figures: RoomFigure[] = [];
    for (const members of roomSizes) {
      const group = `room-${members}`;
      await openRoom(workers, relay, group, members, false);
      const singles = await singleFanouts(workers, group, members);
      const rate = await rateRun(workers, relay, group, members);
      await closeRoom(workers, group);
      figures.push({ members, fanoutP50Ms: round(percentile(singles, 0.5)), fanoutMaxMs: round(Math.max(...singles)), ...rate, burst: await burst(workers, relay, members) });
    }
    return figures;
  } finally {
    await stopChild(relay.child);
  }
}

/** The printed lines of figure 6. */
export function roomLines(figures: readonly RoomFigure[]): string[] {
  return figures.flatMap((f) => [
    `6. room of ${f.members}: one hello to ${helloReach(f.members)} others in p50 ${f.fanoutP50Ms} ms (max ${f.fanoutMaxMs} ms); ` +
      `relay CPU ${f.relayCpuMsPerHello} ms per hello fan-out; ${f.deliveredPerSecond} delivered/s (${f.deliveredMiBPerSecond} MiB/s) with every member saying hello`,
    `6. room of ${f.members}, all joining at once: ${f.burst.deliveries} hellos delivered (${f.burst.deliveredMiB} MiB), all subscribed after ${f.burst.joinedAfterMs} ms, ` +
      `last delivery after ${f.burst.lastDeliveryAfterMs} ms, relay CPU ${f.burst.relayCpuMs} ms; ${f.burst.closes} sockets closed, ${f.burst.errorFrames} error frames`,
  ]);
}
