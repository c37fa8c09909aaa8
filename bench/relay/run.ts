// `npm run bench:relay`: a load generator for the signaling relay, apart from the browser bench.
// Relays, redis-server and the client workers are child processes, each stopped by its pid at the end,
// on failure and on Ctrl-C. Prints the figures and writes them to bench/results/relay-latest.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { heldSocketsTarget, measureCapacity, probePairs, rttRatePerSecond, rttSamples, smallSocketCount, type CapacityFigures } from './capacity.js';
import { deliveryPairs, deliveryRatio, deliversAcrossRelays, measureDelivery, messagesPerSender, senderRatePerSecond, type DeliveryFigure } from './delivery.js';
import { freePort } from '../../signaling/test-support/redis-server.js';
import { killAllChildren, relayLogTally, openFilesLimit, startRedis, startRelay, startWorker, stopChild, type RelayCaps, type RelayProcess } from './processes.js';
import { measureRestart, restartClients, type RestartFigure } from './restart.js';
import { helloChars, measureRooms, roomHelloRatePerSecond, roomLines, roomSizes, singleHellos, type RoomFigure } from './room-fanout.js';
import type { Workers } from './pairs.js';

/**
 * The whole run's ceiling: a quiet machine runs it in about two minutes (rooms of 1,000 take about
 * 85 s of it); shared with other work at a load of 20, one run took over 6 minutes.
 */
const runDeadlineMs = 600_000;

/** `npm run bench:relay -- rooms` measures figure 6 (rooms of hundreds) alone. */
const roomsOnly = process.argv[2] === 'rooms';

/** The relay's caps: the socket cap leaves the open-files limit (20,000) room for the relay's other files. */
const caps: RelayCaps = { maxConnections: 15_000, maxConnectionsPerIp: 15_000, maxSocketsPerRoom: 2 };

const resultsPath = fileURLToPath(new URL('../../../../bench/results/relay-latest.json', import.meta.url));

/** Figure 4: the run within one relay, and through Redis, or why that was skipped. */
type DeliveryFigures = { local: DeliveryFigure; redis: DeliveryFigure; ratio: number } | { local: DeliveryFigure; skipped: string };

/** What the run was measured on and with, printed first and kept in the results file. */
interface Machine {
  readonly cores: number;
  readonly cpu: string;
  readonly node: string;
  readonly openFilesLimit: number;
  readonly relayEnv: Record<string, number>;
}

function describeMachine(): Machine {
  return {
    cores: availableParallelism(),
    cpu: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    openFilesLimit: openFilesLimit(process.pid),
    relayEnv: { MAX_CONNECTIONS: caps.maxConnections, MAX_CONNECTIONS_PER_IP: caps.maxConnectionsPerIp, MAX_SOCKETS_PER_ROOM: caps.maxSocketsPerRoom },
  };
}

/** The bench's own bounds, kept in the results file next to the figures. */
const workload = {
  socketsTarget: heldSocketsTarget,
  rtt: { samples: rttSamples, ratePerSecond: rttRatePerSecond, probePairs, atSockets: [smallSocketCount, heldSocketsTarget] },
  delivery: { pairs: deliveryPairs, messagesPerSender, senderRatePerSecond },
  restartClients,
  rooms: { sizes: roomSizes, helloChars, singleHellos, helloRatePerSecond: roomHelloRatePerSecond },
};

async function measureDeliveryFigures(workers: Workers, localRelay: RelayProcess): Promise<DeliveryFigures> {
  const local = await measureDelivery(workers, 'local', localRelay, localRelay);
  const redis = await startRedis();
  const relayA = await startRelay(await freePort(), caps, redis.url);
  const relayB = await startRelay(await freePort(), caps, redis.url);
  try {
    if (!(await deliversAcrossRelays(workers, relayA.wsUrl, relayB.wsUrl))) return { local, skipped: 'relay without REDIS_URL support' };
    const cross = await measureDelivery(workers, 'redis', relayA, relayB);
    return { local, redis: cross, ratio: deliveryRatio(cross, local) };
  } finally {
    await stopChild(relayA.child);
    await stopChild(relayB.child);
    await stopChild(redis.child);
  }
}

function print(machine: Machine, capacity: CapacityFigures, delivery: DeliveryFigures, restart: RestartFigure, rooms: readonly RoomFigure[], wallSeconds: number): void {
  const lines = [
    `machine: ${machine.cores} cores (${machine.cpu}), node ${machine.node}, open-files limit ${machine.openFilesLimit}`,
    `caps: ${JSON.stringify(machine.relayEnv)}; rtt ${rttSamples} samples at ${rttRatePerSecond}/s over ${probePairs} pairs; ` +
      `delivery ${deliveryPairs} pairs × ${messagesPerSender} msgs at ${senderRatePerSecond}/s each; restart ${restartClients} clients`,
    `1. sockets held on one relay: ${capacity.socketsHeld} of ${capacity.socketsTarget} (failed ${capacity.failedToOpen}); ` +
      `relay open files ${capacity.relayOpenFiles} of limit ${capacity.relayOpenFilesLimit}`,
    `2. relay RSS: ${capacity.rssBeforeMiB} MiB empty, ${capacity.rssAt1kMiB} MiB at 1k, ${capacity.rssAtHeldMiB} MiB at ${capacity.socketsHeld}: ` +
      `${capacity.rssPer1000SocketsMiB} MiB per 1,000 sockets`,
    ...[capacity.rttAt1k, capacity.rttAtHeld].map(
      (rtt) => `3. round trip at ${rtt.socketsHeld} sockets: p50 ${rtt.p50Ms} ms, p99 ${rtt.p99Ms} ms (${rtt.samples} samples, ${rtt.lost} lost)`,
    ),
    `4. within one relay (no REDIS_URL): ${delivery.local.deliveredPerSecond} delivered/s (${delivery.local.delivered} of ${delivery.local.sent}, offered ${delivery.local.offeredPerSecond}/s)`,
    'skipped' in delivery
      ? `4. through Redis, relay A → relay B: skipped: ${delivery.skipped}`
      : `4. through Redis, relay A → relay B: ${delivery.redis.deliveredPerSecond} delivered/s (${delivery.redis.delivered} of ${delivery.redis.sent}, ` +
        `${delivery.redis.droppedBeforeRedis} dropped by relay A, offered ${delivery.redis.offeredPerSecond}/s), ratio to one relay ${delivery.ratio}`,
    `5. restart under ${restart.clients} clients: relay listening again after ${restart.relayListeningAfterMs} ms, ` +
      `all back (subscribed) after ${restart.allBackAfterMs} ms (${restart.back} back); peak ${restart.peakResubscribedPerSecond} re-subscriptions/s, ` +
      `peak ${restart.peakReconnectAttemptsPerSecond} reconnect attempts/s (${restart.reconnectAttempts} attempts)`,
    ...roomLines(rooms),
    `wall time ${wallSeconds.toFixed(1)} s; written to ${resultsPath}`,
  ];
  for (const line of lines) console.log(line);
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  const machine = describeMachine();
  console.log(`relay bench on ${machine.cores} cores, node ${machine.node}, open-files limit ${machine.openFilesLimit}; relay caps ${JSON.stringify(machine.relayEnv)}`);
  const workers: Workers = { a: startWorker(), b: startWorker() };
  if (roomsOnly) {
    const rooms = await measureRooms(workers);
    await Promise.all([stopChild(workers.a.child), stopChild(workers.b.child)]);
    for (const line of [...roomLines(rooms), `wall time ${((Date.now() - startedAt) / 1000).toFixed(1)} s (rooms only; nothing written)`]) console.log(line);
    return;
  }
  const done = (figures: string): void => console.log(`  ${figures} measured after ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
  let relay = await startRelay(await freePort(), caps);
  const capacity = await measureCapacity(workers, relay);
  done('figures 1-3 (sockets, memory, round trips)');
  const delivery = await measureDeliveryFigures(workers, relay);
  done('figure 4 (delivery)');
  const restarted = await measureRestart(workers, relay, caps);
  done('figure 5 (restart)');
  relay = restarted.relay;
  await stopChild(relay.child);
  const rooms = await measureRooms(workers);
  await Promise.all([stopChild(workers.a.child), stopChild(workers.b.child)]);
  const wallSeconds = (Date.now() - startedAt) / 1000;
  mkdirSync(dirname(resultsPath), { recursive: true });
  const figures = { capacity, delivery, restart: restarted.figure, rooms };
  writeFileSync(resultsPath, `${JSON.stringify({ machine, workload, figures, relayLogEvents: relayLogTally(), wallSeconds }, null, 2)}\n`);
  print(machine, capacity, delivery, restarted.figure, rooms, wallSeconds);
}

function abort(reason: string, exitCode: number): never {
  console.error(`relay bench stopped: ${reason}`);
  killAllChildren();
  process.exit(exitCode);
}

process.on('exit', killAllChildren);
process.once('SIGINT', () => abort('interrupted', 130));
process.once('SIGTERM', () => abort('terminated', 143));
setTimeout(() => abort(`over the ${runDeadlineMs / 1000} s deadline`, 1), runDeadlineMs).unref();
main().catch((error: unknown) => abort(error instanceof Error ? (error.stack ?? error.message) : String(error), 1));
