// Relays sharing rooms through a real redis-server (started by the test on a free loopback port):
// delivery across relays, room channels held only while a member is here, and Redis outages.
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { channelPrefix, createRedisBridge, maxPublishesInFlight } from './redis-bridge.js';
import { createHarness, type StartedRelay } from './test-support/relay-harness.js';
import { redisSkipReason, startRedisServer, type RedisServer } from './test-support/redis-server.js';
import { messageWith, ofType, type TestClient } from './test-support/ws-client.js';
import type { RelayLimits } from './limits.js';

const skipReason = redisSkipReason();
const harness = createHarness();
afterEach(() => harness.closeAll());

const isEvent = (event: string) => (entry: Record<string, unknown>) => entry['event'] === event;

/** Waits until `check` holds, looking again every 20 ms, at most `timeoutMs`. */
async function until(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function health(relay: StartedRelay): Promise<{ redis: string; sockets: number; rooms: number }> {
  const response = await fetch(`${relay.relay.address.url}/healthz`);
  return (await response.json()) as { redis: string; sockets: number; rooms: number };
}

describe.skipIf(skipReason !== null)('relays sharing rooms through Redis', () => {
  let redis: RedisServer;
  let observer: Redis;
  beforeAll(async () => {
    redis = await startRedisServer();
    observer = new Redis(redis.url, { maxRetriesPerRequest: 1, retryStrategy: () => 100 });
    observer.on('error', () => undefined); // the outage tests stop the server under it
  });
  afterAll(async () => {
    observer?.disconnect();
    await redis?.stop();
  });

  const subscribersOf = async (topic: string): Promise<number> => {
    const reply = (await observer.pubsub('NUMSUB', channelPrefix + topic)) as [string, number];
    return Number(reply[1]);
  };

  async function pool(limits: Partial<RelayLimits> = {}): Promise<[StartedRelay, StartedRelay]> {
    const relays = await Promise.all([harness.start({ redisUrl: redis.url, limits }), harness.start({ redisUrl: redis.url, limits })]);
    for (const relay of relays) await relay.waitForLog(isEvent('redis-connected'));
    return relays;
  }

  it('carries room-wide and addressed messages between relays, to the addressed peer only', async () => {
    const [relayA, relayB] = await pool();
    const [a1, a2, b1, b2] = await Promise.all([relayA.client(), relayA.client(), relayB.client(), relayB.client()]);
    for (const [client, peer] of [[a1, 'a1'], [a2, 'a2'], [b1, 'b1'], [b2, 'b2']] as const) await client.subscribe('room', peer);
    await until(async () => (await subscribersOf('room')) === 2, 'both relays to hold the room channel');

    a1.send({ type: 'publish', topic: 'room', data: 'hello-all' });
    for (const client of [a2, b1, b2]) expect(await client.next(messageWith('hello-all'))).toEqual({ type: 'message', topic: 'room', data: 'hello-all' });

    a1.send({ type: 'publish', topic: 'room', data: 'for-b2', to: 'b2' });
    b2.send({ type: 'publish', topic: 'room', data: 'for-a1', to: 'a1' });
    expect(await b2.next(messageWith('for-b2'))).toMatchObject({ topic: 'room' });
    expect(await a1.next(messageWith('for-a1'))).toMatchObject({ topic: 'room' });
    // Barrier: b2 answered after a1's message crossed, and a1 heard the answer, so anything for the
    // others would be here by now (each relay delivers in Redis order).
    a1.send({ type: 'publish', topic: 'room', data: 'last', to: 'b1' });
    await b1.next(messageWith('last'));
    for (const client of [a1, a2, b1, b2]) await client.sync();
    const stray = [a1, a2, b1, b2].flatMap((client) => client.pending(ofType('message')));
    expect(stray).toEqual([]);
    // Nobody hears its own message, and a relay does not deliver its own messages twice.
    expect(a1.pending(messageWith('hello-all'))).toEqual([]);
  });

  it('hands a room-wide message in a big room to a sample of each relay’s own members', async () => {
    const [relayA, relayB] = await pool({ maxBroadcastRecipients: 2 });
    const onA = await Promise.all(Array.from({ length: 4 }, () => relayA.client()));
    const onB = await Promise.all(Array.from({ length: 4 }, () => relayB.client()));
    for (const [i, client] of [...onA, ...onB].entries()) await client.subscribe('big', `m${i}`);
    await until(async () => (await subscribersOf('big')) === 2, 'both relays to hold the room channel');
    const [sender, ...othersOnA] = onA as [TestClient, ...TestClient[]];
    sender.send({ type: 'publish', topic: 'big', data: 'hello-all' });
    // Barrier: relay B delivers in Redis order, so each of its members has the hello (or not) before this.
    for (let i = 0; i < onB.length; i++) sender.send({ type: 'publish', topic: 'big', data: 'after', to: `m${i + onA.length}` });
    for (const client of onB) await client.next(messageWith('after'));
    for (const client of onA) await client.sync();
    const reached = (clients: readonly TestClient[]): number => clients.filter((client) => client.pending(messageWith('hello-all')).length === 1).length;
    expect(reached(othersOnA)).toBe(2);
    expect(reached(onB)).toBe(2);
    expect(sender.pending(ofType('message'))).toEqual([]);
  });

  it('holds a room channel only while it has a member in the room, and shows no room id anywhere', async () => {
    const [relayA, relayB] = await pool();
    const [a, b] = await Promise.all([relayA.client(), relayB.client()]);
    await a.subscribe('quiet', 'a');
    await until(async () => (await subscribersOf('quiet')) === 1, 'the first member to open the channel');
    await b.subscribe('quiet', 'b');
    await until(async () => (await subscribersOf('quiet')) === 2, 'the second relay to open it');
    a.send({ type: 'leave', topic: 'quiet' });
    await a.next(ofType('left'));
    await until(async () => (await subscribersOf('quiet')) === 1, 'the first relay to release it');
    await b.close();
    await until(async () => (await subscribersOf('quiet')) === 0, 'the last member to release it');
    expect(await health(relayA)).toEqual({ up: true, redis: 'connected', sockets: 1, rooms: 0 });
    const metrics = await (await fetch(`${relayA.relay.address.url}/metrics`)).text();
    expect(metrics).toMatch(/swarmdrop_relay_redis_publish_seconds_count \d+/);
    expect(metrics).not.toContain('quiet');
  });

  it('goes on without a relay that stops: its channels are released, and the rest of the pool still talks', async () => {
    const [relayA, relayB] = await pool();
    const relayC = await harness.start({ redisUrl: redis.url });
    await relayC.waitForLog(isEvent('redis-connected'));
    const [a, b, c] = await Promise.all([relayA.client(), relayB.client(), relayC.client()]);
    for (const [client, peer] of [[a, 'a'], [b, 'b'], [c, 'c']] as const) await client.subscribe('room', peer);
    await until(async () => (await subscribersOf('room')) === 3, 'three relays on the room channel');
    await relayA.relay.close();
    expect((await a.closed).code).toBe(1006);
    await until(async () => (await subscribersOf('room')) === 2, 'the stopped relay to let go of the channel');
    b.send({ type: 'publish', topic: 'room', data: 'still-here', to: 'c' });
    expect(await c.next(messageWith('still-here'))).toMatchObject({ topic: 'room' });
  });

  it('ignores what is not a message of a relay on a room channel, with a log line', async () => {
    const [relayA] = await pool();
    const a = await relayA.client();
    await a.subscribe('room', 'a');
    await until(async () => (await subscribersOf('room')) === 1, 'the room channel');
    for (const junk of ['not json', '[]', '{"o":1,"d":"x"}', '{"o":"x","d":"y","t":"../z"}', JSON.stringify({ o: 'x', d: 'y'.repeat(70_000) })]) {
      await observer.publish(channelPrefix + 'room', junk);
    }
    await observer.publish(channelPrefix + 'room', JSON.stringify({ o: 'another-relay', d: 'fine' }));
    expect(await a.next(messageWith('fine'))).toMatchObject({ topic: 'room' });
    await a.sync();
    expect(a.pending(ofType('message'))).toEqual([]);
    expect(relayA.logs.filter(isEvent('redis-message-malformed'))).toHaveLength(5);
  });

  it('keeps local rooms through a Redis outage, logs it once, and re-announces rooms when Redis is back', async () => {
    const [relayA, relayB] = await pool();
    const [a1, a2, b1] = await Promise.all([relayA.client(), relayA.client(), relayB.client()]);
    for (const [client, peer] of [[a1, 'a1'], [a2, 'a2'], [b1, 'b1']] as const) await client.subscribe('room', peer);

    await redis.stop();
    await relayA.waitForLog(isEvent('redis-down'));
    await until(async () => (await health(relayA)).redis === 'disconnected', 'healthz to show Redis down');
    // Local delivery goes on while Redis is down; what was for the other relay is dropped, and counted.
    a1.send({ type: 'publish', topic: 'room', data: 'during', to: 'a2' });
    expect(await a2.next(messageWith('during'))).toMatchObject({ topic: 'room' });
    a1.send({ type: 'publish', topic: 'room', data: 'lost', to: 'b1' });
    await a1.sync();
    const metrics = await (await fetch(`${relayA.relay.address.url}/metrics`)).text();
    expect(metrics).toContain('swarmdrop_relay_redis_publish_dropped_total{reason="disconnected"} 1');

    await redis.restart();
    await relayA.waitForLog((entry) => isEvent('redis-connected')(entry) && entry['restored'] === true, 15_000);
    await relayB.waitForLog((entry) => isEvent('redis-connected')(entry) && entry['restored'] === true, 15_000);
    // Told "subscribed" again, a page says hello again: the peers the outage hid find each other.
    for (const client of [a1, a2, b1]) expect(await client.next(ofType('subscribed'))).toMatchObject({ topic: 'room' });
    a1.send({ type: 'publish', topic: 'room', data: 'after', to: 'b1' });
    expect(await b1.next(messageWith('after'))).toMatchObject({ topic: 'room' });
    // The outage was logged once, however many retries failed.
    expect(relayA.logs.filter(isEvent('redis-down'))).toHaveLength(1);
    expect(b1.pending(messageWith('lost'))).toEqual([]);
  });

  it('drops what Redis cannot take in time, counts it, and says so in one line, not one per message', async () => {
    const logs: Record<string, unknown>[] = [];
    const dropped: string[] = [];
    const published: number[] = [];
    const bridge = createRedisBridge({
      url: redis.url,
      log: (entry) => logs.push(entry),
      metrics: { publishSeconds: (seconds) => published.push(seconds), publishDropped: (reason) => dropped.push(reason) },
      onMessage: () => undefined,
      onRestored: () => undefined,
    });
    try {
      await until(() => bridge.state === 'connected', 'the bridge to connect');
      // In one task no reply can arrive, so every publish past the bound finds it full.
      for (let index = 0; index < maxPublishesInFlight + 50; index++) bridge.publish({ topic: 'busy', data: `m${index}` });
      expect(dropped).toEqual(Array.from({ length: 50 }, () => 'backlog'));
      expect(logs.filter(isEvent('redis-backlog'))).toEqual([expect.objectContaining({ dropped: 1, inFlight: maxPublishesInFlight })]);
      await until(() => published.length === maxPublishesInFlight, 'Redis to answer every publish it was given');
    } finally {
      await bridge.stop();
    }
  });

  it('starts and serves its local rooms when Redis cannot be reached at all', async () => {
    const relay = await harness.start({ redisUrl: 'redis://127.0.0.1:1' });
    await relay.waitForLog(isEvent('redis-down'));
    const [a, b] = await Promise.all([relay.client(), relay.client()]);
    await a.subscribe('room', 'a');
    await b.subscribe('room', 'b');
    a.send({ type: 'publish', topic: 'room', data: 'local', to: 'b' });
    expect(await b.next(messageWith('local'))).toMatchObject({ topic: 'room' });
    expect((await health(relay)).redis).toBe('disconnected');
  });
});
