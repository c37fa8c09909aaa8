// Rooms shared between relay processes over Redis pub/sub (ioredis). One channel per room, held
// while this process has a member in it. Redis down: local rooms go on, the outage is logged once,
// both connections retry with jittered backoff, and members re-announce themselves when it is back.
import { randomBytes } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import { errorForLog, topicForLog, type Log } from './log.js';
import { defaultProtocolLimits, isPeerId, isTopic } from './protocol.js';
import type { BridgeEvents, BridgedMessage, BridgeState, RoomBridge } from './room-bridge.js';

/** What the bridge reports to GET /metrics. */
export interface BridgeMetrics {
  /** Seconds from PUBLISH sent to Redis's reply. */
  publishSeconds(seconds: number): void;
  /** A message not handed to Redis (down, or too many publishes awaiting a reply). */
  publishDropped(reason: 'disconnected' | 'backlog' | 'failed'): void;
}

export interface RedisBridgeOptions extends BridgeEvents {
  readonly url: string;
  readonly log: Log;
  readonly metrics?: BridgeMetrics;
  /** Clock for spacing the dropped-publish log lines (tests inject one). */
  readonly now?: () => number;
}

/** Room channels are namespaced, so a Redis shared with other software never mixes its channels in. */
export const channelPrefix = 'swarmdrop:room:';

/** First reconnect delay cap: a Redis restart is bridged within about a second. */
const reconnectBaseMs = 100;

/** Longest reconnect delay cap: a Redis down for long is still tried every few seconds. */
const reconnectMaxMs = 5_000;

/** Connect timeout: loopback or a LAN answers in milliseconds; waiting longer only delays the retry. */
const connectTimeoutMs = 3_000;

/** Publishes awaiting Redis's reply at most: past it Redis is not keeping up, and queuing more only grows memory. */
export const maxPublishesInFlight = 10_000;

/** At most one log line per this long about publishes dropped for a backlog: counted in between, never flooding the log. */
const droppedLogIntervalMs = 10_000;

/** Channels per SUBSCRIBE when (re)subscribing every room at once: one command per batch, not one per room. */
const channelsPerSubscribe = 1_000;

/** Starts connecting at once; the relay serves its local rooms whether or not Redis ever answers. */
export function createRedisBridge(options: RedisBridgeOptions): RoomBridge {
  const { log, metrics } = options;
  // Each process drops its own messages when Redis echoes them back (it is subscribed to the channel too).
  const origin = randomBytes(8).toString('hex');
  const connection: RedisOptions = {
    enableOfflineQueue: false, // a command while down fails at once instead of piling up in memory
    autoResubscribe: false, // resubscribed by us, to the rooms held now, not those held before the outage
    maxRetriesPerRequest: 0,
    connectTimeout: connectTimeoutMs,
    retryStrategy: (attempt) => Math.round(Math.random() * Math.min(reconnectMaxMs, reconnectBaseMs * 2 ** Math.min(attempt, 16))),
  };
  const pub = new Redis(options.url, connection);
  const sub = new Redis(options.url, connection);
  const wanted = new Set<string>();
  let subscribedAll = false;
  let state: BridgeState = 'disconnected';
  let everConnected = false;
  let downLogged = false;
  let inFlight = 0;
  let stopped = false;
  const now = options.now ?? Date.now;
  let backlogDropped = 0;
  let backlogSaidAtMs = -Infinity;

  /** Redis is up but not keeping up: the message is dropped (pages re-send hellos), counted, and said now and then. */
  function dropForBacklog(): void {
    metrics?.publishDropped('backlog');
    backlogDropped += 1;
    if (now() - backlogSaidAtMs < droppedLogIntervalMs) return;
    log({ event: 'redis-backlog', dropped: backlogDropped, inFlight, detail: 'Redis is not keeping up; messages to other relays were dropped' });
    backlogSaidAtMs = now();
    backlogDropped = 0;
  }

  const channelOf = (topic: string): string => channelPrefix + topic;

  function update(): void {
    const next: BridgeState = pub.status === 'ready' && sub.status === 'ready' && subscribedAll ? 'connected' : 'disconnected';
    if (next === state || stopped) return;
    state = next;
    if (next === 'disconnected') return sayDown();
    log({ event: 'redis-connected', rooms: wanted.size, restored: everConnected });
    downLogged = false;
    everConnected = true;
    options.onRestored();
  }

  /** Once per outage (ioredis reports every failed retry): local rooms go on meanwhile. */
  function sayDown(error?: unknown): void {
    if (downLogged || stopped) return;
    downLogged = true;
    log({ event: 'redis-down', ...(error === undefined ? {} : errorForLog(error)), detail: 'serving local rooms only; reconnecting with backoff' });
  }

  function onError(error: Error): void {
    sayDown(error);
    update();
  }

  async function subscribeAll(): Promise<void> {
    subscribedAll = false;
    const channels = [...wanted].map(channelOf);
    try {
      for (let start = 0; start < channels.length; start += channelsPerSubscribe) {
        await sub.subscribe(...channels.slice(start, start + channelsPerSubscribe));
      }
      subscribedAll = true;
    } catch (error) {
      log({ event: 'redis-subscribe-failed', ...errorForLog(error) }); // the connection dropped again: next 'ready' retries
    }
    update();
  }

  function onMessage(channel: string, text: string): void {
    const message = parseBridged(channel, text, origin);
    if (message === 'own') return;
    if (message === null) return log({ event: 'redis-message-malformed', bytes: text.length });
    options.onMessage(message);
  }

  for (const client of [pub, sub]) {
    client.on('error', onError);
    client.on('close', update);
    client.on('end', update);
  }
  pub.on('ready', update);
  sub.on('ready', () => void subscribeAll());
  sub.on('message', onMessage);

  return {
    open(topic) {
      wanted.add(topic);
      if (sub.status === 'ready') sub.subscribe(channelOf(topic)).catch((error: unknown) => log({ event: 'redis-subscribe-failed', topic: topicForLog(topic), ...errorForLog(error) }));
    },
    close(topic) {
      wanted.delete(topic);
      if (sub.status === 'ready') sub.unsubscribe(channelOf(topic)).catch(() => undefined); // a dropped connection forgets it anyway
    },
    publish({ topic, data, to }) {
      if (pub.status !== 'ready') return metrics?.publishDropped('disconnected');
      if (inFlight >= maxPublishesInFlight) return dropForBacklog();
      inFlight += 1;
      const startedAt = process.hrtime.bigint();
      const wire = JSON.stringify(to === undefined ? { o: origin, d: data } : { o: origin, d: data, t: to });
      pub.publish(channelOf(topic), wire).then(
        () => metrics?.publishSeconds(Number(process.hrtime.bigint() - startedAt) / 1e9),
        () => metrics?.publishDropped('failed'),
      ).finally(() => {
        inFlight -= 1;
      });
    },
    get state() {
      return state;
    },
    async stop() {
      stopped = true;
      pub.disconnect();
      sub.disconnect();
    },
  };
}

/** A message from Redis: ours echoed back, one to deliver, or null when it is not one of ours at all. */
export function parseBridged(channel: string, text: string, ownOrigin: string): BridgedMessage | 'own' | null {
  if (!channel.startsWith(channelPrefix)) return null;
  const topic = channel.slice(channelPrefix.length);
  if (!isTopic(topic)) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { o, d, t } = value as Record<string, unknown>;
  if (typeof o !== 'string' || typeof d !== 'string' || d.length > defaultProtocolLimits.maxDataChars) return null;
  if (o === ownOrigin) return 'own';
  if (t === undefined) return { topic, data: d };
  return isPeerId(t) ? { topic, data: d, to: t } : null;
}
