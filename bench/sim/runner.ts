// Runs one scenario: the sharer and the downloaders join the room as the scenario says, the clock
// moves from event to event (settling the engines' async work in between), peers leave as the
// scenario says, and at the end every peer leaves and the invariants are checked.
import { toBase64Url } from '../../src/core/bytes';
import type { TimerHandle } from '../../src/core/clock';
import { deriveRoomKeys } from '../../src/core/room-keys';
import type { Identity } from '../../src/discovery/identity';
import { seededRandom } from '../../src/test-support/seeded-random';
import { highWatermarkBytes, lowWatermarkBytes } from '../../src/transport/constants';
import { createAvailability } from './availability';
import { buildItem } from './content';
import { createEventClock } from './event-clock';
import { createNetwork } from './network';
import { createQuiescence } from './quiescence';
import { drawPeers, sharerLink, type PeerDraw, type Scenario } from './scenarios';
import { joinPeer, leavePeer, type RoomContext, type SimPeer } from './sim-peer';
import { createSimRelay } from './sim-relay';
import { createSimWebRtc } from './sim-webrtc';
import { seededIdentity } from './seeded-identity';
import { summarize, type ScenarioResult } from './summary';
import { createTracer } from './trace';

/** After every peer has left, the clock must run dry within this much simulated time (closes in flight, relay deliveries). */
export const drainLimitMs = 60_000;

/** How often (simulated ms) the runner reports progress. */
const progressEveryMs = 30_000;

/** What a run tells its caller as it goes. */
export type ProgressListener = (line: string) => void;

/** Everything a run recorded, for the summary. */
export interface RunRecord {
  readonly scenario: Scenario;
  readonly draws: readonly PeerDraw[];
  readonly sharer: SimPeer;
  /** Downloaders by draw index (null: never joined). */
  readonly downloaders: readonly (SimPeer | null)[];
  readonly room: RoomContext;
  readonly violations: string[];
  readonly endMs: number;
  readonly wallMs: number;
  /** Distinct chunks the downloaders present held when the sharer left (null: it stayed). */
  readonly coverageAtSharerLeave: number | null;
}

/** Runs `scenario` to its end; the result lists any invariant it broke. */
export async function runScenario(scenario: Scenario, progress: ProgressListener = () => undefined, traceEveryMs: number | null = null): Promise<ScenarioResult> {
  const wallStart = performance.now();
  const item = await buildItem(scenario.fileBytes, scenario.scale, scenario.seed);
  const secret = seededRandom(scenario.seed);
  const keys = await deriveRoomKeys(toBase64Url(Uint8Array.from({ length: 16 }, () => Math.floor(secret() * 256))));
  const draws = drawPeers(scenario);
  const identities: Identity[] = [];
  for (let i = 0; i <= draws.length; i++) identities.push(await seededIdentity(scenario.seed * 1_000_003 + i));
  const clock = createEventClock();
  const quiescence = createQuiescence(clock);
  try {
    const scale = scenario.scale;
    const network = createNetwork({ clock, rateQuantumMs: scenario.rateQuantumMs });
    const room: RoomContext = {
      clock,
      network,
      quiescence,
      // The data channel's watermarks scale with the payload, so a buffer drains in the same time.
      webrtc: createSimWebRtc(network, clock, {
        highWatermarkBytes: Math.max(1, highWatermarkBytes / scale),
        lowWatermarkBytes: Math.max(1, lowWatermarkBytes / scale),
      }),
      relay: createSimRelay(clock, seededRandom(scenario.seed ^ 0x5a5a)).connect,
      keys,
      item,
      seed: scenario.seed,
      logCounts: new Map(),
    };
    return summarize(await drive(scenario, room, draws, identities, wallStart, progress, traceEveryMs));
  } finally {
    quiescence.restore();
  }
}

async function drive(
  scenario: Scenario,
  room: RoomContext,
  draws: readonly PeerDraw[],
  identities: readonly Identity[],
  wallStart: number,
  progress: ProgressListener,
  traceEveryMs: number | null,
): Promise<RunRecord> {
  const { clock, item, quiescence } = room;
  const scale = scenario.scale;
  const chunkCount = item.signed.manifest.chunkCount;
  const violations: string[] = [];
  const downloaders: (SimPeer | null)[] = draws.map(() => null);
  const timers = new Set<TimerHandle>();
  const later = (fn: () => void, ms: number): void => {
    const handle = clock.setTimeout(() => {
      timers.delete(handle);
      fn();
    }, ms);
    timers.add(handle);
  };
  /** Distributed copies held by the downloaders present (availability.ts). */
  const inRoom = createAvailability(chunkCount);
  let coverageAtSharerLeave: number | null = null;
  const leave = (peer: SimPeer): void => {
    if (peer.leftMs !== null) return;
    if (!peer.sharer) inRoom.lost(peer.store.held);
    leavePeer(room, peer);
  };
  const sharerAccess = sharerLink(scenario);
  const sharer = joinPeer(
    room,
    {
      index: 0,
      identity: identities[0] as Identity,
      sharer: true,
      capacity: { upBytesPerSecond: sharerAccess.upBytesPerSecond / scale, downBytesPerSecond: sharerAccess.downBytesPerSecond / scale },
      accessLatencyMs: sharerAccess.accessLatencyMs,
    },
    () => undefined,
  );
  const onEvent = (peer: SimPeer, event: { readonly type: string; readonly chunkIndex?: number }): void => {
    const draw = draws[peer.index - 1];
    if (!draw || peer.leftMs !== null) return;
    if (event.type === 'chunk-stored') {
      if (event.chunkIndex !== undefined) inRoom.gained(event.chunkIndex);
      if (draw.leaveAtProgress !== null && peer.store.held.size / chunkCount >= draw.leaveAtProgress) later(() => leave(peer), 0);
      const copies = scenario.sharerLeavesAtCopies;
      if (copies !== null && sharer.leftMs === null && coverageAtSharerLeave === null && inRoom.copies() >= copies) {
        coverageAtSharerLeave = inRoom.covered();
        later(() => leave(sharer), 0);
      }
    }
    if (event.type === 'item-completed' && Number.isFinite(draw.lingerMs)) later(() => leave(peer), draw.lingerMs);
  };
  draws.forEach((draw, i) => {
    const join = (): void => {
      downloaders[i] = joinPeer(
        room,
        {
          index: i + 1,
          identity: identities[i + 1] as Identity,
          sharer: false,
          capacity: { upBytesPerSecond: draw.upBytesPerSecond / scale, downBytesPerSecond: draw.downBytesPerSecond / scale },
          accessLatencyMs: draw.accessLatencyMs,
        },
        onEvent,
      );
    };
    later(join, draw.joinAtMs);
  });
  const stayers = (): SimPeer[] => downloaders.filter((p, i): p is SimPeer => p !== null && draws[i]?.leaveAtProgress === null);
  const expectedStayers = draws.filter((d) => d.leaveAtProgress === null).length;
  const done = (): boolean => {
    const joined = stayers();
    return joined.length === expectedStayers && joined.every((p) => p.completedMs !== null);
  };

  await quiescence.settle();
  let nextProgressMs = progressEveryMs;
  const trace = traceEveryMs === null ? null : createTracer(chunkCount);
  let nextTraceMs = traceEveryMs ?? Infinity;
  while (!done()) {
    const nextMs = clock.nextDueMs();
    if (nextMs === undefined || nextMs > scenario.maxMs) {
      const waiting = expectedStayers - stayers().filter((p) => p.completedMs !== null).length;
      violations.push(
        nextMs === undefined
          ? `${waiting} peers that stayed never completed: the room fell silent at ${(clock.now() / 1000).toFixed(1)} s with nothing left to happen`
          : `${waiting} peers that stayed had not completed after ${scenario.maxMs / 60_000} simulated minutes`,
      );
      break;
    }
    clock.advanceTo(nextMs);
    await quiescence.settle();
    if (trace && traceEveryMs !== null && clock.now() >= nextTraceMs) {
      progress(trace(clock.now(), sharer, downloaders));
      nextTraceMs += traceEveryMs;
    }
    if (clock.now() >= nextProgressMs) {
      nextProgressMs = clock.now() + progressEveryMs;
      const present = downloaders.filter((p) => p && p.leftMs === null).length;
      const complete = downloaders.filter((p) => p?.completedMs !== null && p !== null).length;
      progress(`  ${(clock.now() / 1000).toFixed(0)} s simulated: ${present} present, ${complete} complete (${((performance.now() - wallStart) / 1000).toFixed(0)} s wall)`);
    }
  }
  const endMs = clock.now();
  const wallMs = performance.now() - wallStart;
  await tearDown(room, [sharer, ...downloaders], timers, violations, leave);
  return { scenario, draws, sharer, downloaders, room, violations, endMs, wallMs, coverageAtSharerLeave };
}

/** Every peer leaves; the clock must then run dry (no timer left behind by an engine or connector). */
async function tearDown(room: RoomContext, peers: readonly (SimPeer | null)[], timers: Set<TimerHandle>, violations: string[], leave: (peer: SimPeer) => void): Promise<void> {
  const { clock, quiescence } = room;
  for (const handle of timers) clock.clearTimeout(handle);
  for (const peer of peers) if (peer) leave(peer);
  await quiescence.settle();
  const limitMs = clock.now() + drainLimitMs;
  for (let next = clock.nextDueMs(); next !== undefined && next <= limitMs; next = clock.nextDueMs()) {
    clock.advanceTo(next);
    await quiescence.settle();
  }
  const left = clock.pendingCount();
  if (left > 0) violations.push(`${left} timers were still pending ${drainLimitMs / 1000} s after every peer left and was destroyed: a timer leak`);
}
