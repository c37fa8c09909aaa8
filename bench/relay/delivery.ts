// Figure 4: messages delivered per second from senders to their pair's receiver, either both on one
// relay or senders on relay A and receivers on relay B with Redis between the two.
import { round } from './stats.js';
import { sleep, waitFor, type RelayProcess } from './processes.js';
import { closePairs, openPairs, type Workers } from './pairs.js';

/** Sender/receiver pairs: enough sockets that each stays far under its 50 frames/s bucket. */
export const deliveryPairs = 1_000;

/** Messages each sender publishes: 200 × 1,000 pairs = 200,000 messages, ~5 s of sending. */
export const messagesPerSender = 200;

/** Per-sender rate: under the relay's refill of 50 frames/s, so no sender is ever rate-limited. */
export const senderRatePerSecond = 40;

/** Give up waiting for the last deliveries when the count stood still this long. */
const deliveryStallMs = 3_000;

/** Time the first message of every pair may take (Redis subscriptions are set up asynchronously). */
const warmupTimeoutMs = 15_000;

/** Time a cross-relay probe may take to arrive before the relay counts as lacking Redis support. */
const crossRelayProbeTimeoutMs = 5_000;

/** Pause between cross-relay probe messages. */
const crossRelayProbeIntervalMs = 250;

/** Upper bound on one blast request: 200 messages at 40/s is 5 s. */
const blastTimeoutMs = 60_000;

/** The relay's counter of publishes it did not hand to Redis (down, or too many awaiting a reply). */
const redisDroppedMetric = 'swarmdrop_relay_redis_publish_dropped_total';

/** Upper bound on a counters request. */
const countersTimeoutMs = 10_000;

export interface DeliveryFigure {
  readonly pairs: number;
  readonly sent: number;
  readonly delivered: number;
  readonly offeredPerSecond: number;
  readonly deliveredPerSecond: number;
  readonly errorFrames: number;
  readonly receiverCloses: number;
  /** Publishes the sending relay dropped instead of handing them to Redis (its /metrics). */
  readonly droppedBeforeRedis: number;
}

/** Whether a message published on relay `urlA` reaches a peer on relay `urlB` (one pair, a few tries). */
export async function deliversAcrossRelays(workers: Workers, urlA: string, urlB: string): Promise<boolean> {
  const failed = await openPairs(workers, 'cross-probe', 1, 'blast', { a: urlA, b: urlB });
  try {
    if (failed > 0) return false;
    const deadline = Date.now() + crossRelayProbeTimeoutMs;
    while (Date.now() < deadline) {
      await workers.a.call('blast', { group: 'cross-probe', messagesPerSocket: 1, ratePerSocketPerSecond: 1000 }, blastTimeoutMs);
      await sleep(crossRelayProbeIntervalMs);
      if ((await workers.b.call('counters', { group: 'cross-probe', reset: false }, countersTimeoutMs)).received > 0) return true;
    }
    return false;
  } finally {
    await closePairs(workers, 'cross-probe');
  }
}

/** Opens the pairs, warms each up with one message, then times `messagesPerSender` from every sender. */
export async function measureDelivery(workers: Workers, prefix: string, relayA: RelayProcess, relayB: RelayProcess): Promise<DeliveryFigure> {
  const failed = await openPairs(workers, prefix, deliveryPairs, 'blast', { a: relayA.wsUrl, b: relayB.wsUrl });
  if (failed > 0) throw new Error(`${failed} sockets of ${prefix} did not subscribe`);
  try {
    const receiverCounters = (reset: boolean) => workers.b.call('counters', { group: prefix, reset }, countersTimeoutMs);
    await workers.a.call('blast', { group: prefix, messagesPerSocket: 1, ratePerSocketPerSecond: senderRatePerSecond }, blastTimeoutMs);
    await waitFor(`warm-up deliveries of ${prefix}`, warmupTimeoutMs, async () =>
      (await receiverCounters(false)).received >= deliveryPairs ? true : undefined,
    );
    await receiverCounters(true);
    const droppedBefore = await relayA.metric(redisDroppedMetric);
    const blast = await workers.a.call(
      'blast',
      { group: prefix, messagesPerSocket: messagesPerSender, ratePerSocketPerSecond: senderRatePerSecond },
      blastTimeoutMs,
    );
    let counters = await receiverCounters(false);
    let lastProgressAt = Date.now();
    while (counters.received < blast.sent && Date.now() - lastProgressAt < deliveryStallMs) {
      await sleep(100);
      const next = await receiverCounters(false);
      if (next.received > counters.received) lastProgressAt = Date.now();
      counters = next;
    }
    const senders = await workers.a.call('counters', { group: prefix, reset: false }, countersTimeoutMs);
    const sendingSeconds = Math.max(1, blast.lastSendAtMs - blast.firstSendAtMs) / 1000;
    const deliveringSeconds = Math.max(1, counters.lastReceiveAtMs - blast.firstSendAtMs) / 1000;
    return {
      pairs: deliveryPairs,
      sent: blast.sent,
      delivered: counters.received,
      offeredPerSecond: Math.round(blast.sent / sendingSeconds),
      deliveredPerSecond: Math.round(counters.received / deliveringSeconds),
      errorFrames: counters.errorFrames + senders.errorFrames,
      receiverCloses: counters.closes,
      droppedBeforeRedis: (await relayA.metric(redisDroppedMetric)) - droppedBefore,
    };
  } finally {
    await closePairs(workers, prefix);
  }
}

/** delivered-per-second of `cross` over that of `local`, for printing. */
export function deliveryRatio(cross: DeliveryFigure, local: DeliveryFigure): number {
  return round(cross.deliveredPerSecond / local.deliveredPerSecond, 2);
}
