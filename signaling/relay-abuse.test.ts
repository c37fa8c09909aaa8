import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { maxFrameBytes, maxStrikesBeforeClose } from './limits.js';
import { createHarness, type StartedRelay } from './test-support/relay-harness.js';
import { maskedTextFrame, ofType, openRawSocket, openStalledSubscriber, type TestClient } from './test-support/ws-client.js';

const harness = createHarness();
const rawSockets: Socket[] = [];
afterEach(async () => {
  for (const socket of rawSockets.splice(0)) socket.destroy();
  await harness.closeAll();
});

/** Two well-behaved clients in their own topic, used to prove the relay keeps serving. */
async function bystanders(relay: StartedRelay): Promise<readonly [TestClient, TestClient]> {
  const [x, y] = await Promise.all([relay.client(), relay.client()]);
  await x.subscribe('calm');
  await y.subscribe('calm');
  return [x, y];
}

/** Messages go both ways `rounds` times; every one must arrive. */
async function exchange(x: TestClient, y: TestClient, rounds: number): Promise<void> {
  for (let round = 0; round < rounds; round += 1) {
    for (const [from, to] of [[x, y], [y, x]] as const) {
      const data = `round-${round}-${Math.random()}`;
      from.send({ type: 'publish', topic: 'calm', data });
      await to.next((frame) => frame.type === 'message' && frame['data'] === data);
    }
  }
}

/** After the abuse: the bystanders still talk and a brand-new client can join and publish. */
async function expectRelayHealthy(relay: StartedRelay, x: TestClient, y: TestClient): Promise<void> {
  await exchange(x, y, 3);
  const late = await relay.client();
  expect(await late.subscribe('calm')).toMatchObject({ type: 'subscribed', peers: 2 });
  late.send({ type: 'publish', topic: 'calm', data: 'late' });
  await x.next((frame) => frame['data'] === 'late');
}

/** Enough offences to use up every strike, with margin. */
const offences = maxStrikesBeforeClose + 5;

const strikeCases = [
  { name: 'not JSON', code: 'bad-json', send: (c: TestClient) => c.sendRaw('this is not json') },
  { name: 'binary garbage', code: 'binary-not-allowed', send: (c: TestClient) => c.sendRaw(randomBytes(512), true) },
  { name: 'unknown type', code: 'unknown-type', send: (c: TestClient) => c.send({ type: 'shout', topic: 'calm' }) },
  { name: 'wrong field types', code: 'bad-frame', send: (c: TestClient) => c.send({ type: 'publish', topic: 'calm', data: 7 }) },
  { name: 'JSON null', code: 'bad-frame', send: (c: TestClient) => c.sendRaw('null') },
] as const;

describe('relay under bad input', () => {
  it.each(strikeCases)('$name: error frames, then a 1008 close; others unaffected', async ({ code, send }) => {
    const relay = await harness.start();
    const [x, y] = await bystanders(relay);
    const offender = await relay.client();

    send(offender);
    expect(await offender.next(ofType('error'))).toMatchObject({ type: 'error', code });
    for (let i = 1; i < offences; i += 1) send(offender);

    expect((await offender.closed).code).toBe(1008);
    expect(offender.pending(ofType('error', code)).length).toBe(maxStrikesBeforeClose - 1);
    await expectRelayHealthy(relay, x, y);
  });

  it('oversized frame: ws closes it with 1009, the relay logs it and lives on', async () => {
    const relay = await harness.start();
    const [x, y] = await bystanders(relay);
    const offender = await relay.client();
    await offender.subscribe('calm');

    offender.send({ type: 'publish', topic: 'calm', data: 'x'.repeat(maxFrameBytes) });

    expect((await offender.closed).code).toBe(1009);
    await relay.waitForLog((entry) => entry['event'] === 'socket-error' && entry['code'] === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH');
    await x.sync();
    expect(x.pending(ofType('message'))).toEqual([]);
    await expectRelayHealthy(relay, x, y);
  });

  it('invalid UTF-8 in a text frame: ws closes it with 1007, the relay lives on', async () => {
    const relay = await harness.start();
    const [x, y] = await bystanders(relay);
    const offender = await relay.client();

    offender.sendRaw(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]));

    expect((await offender.closed).code).toBe(1007);
    await expectRelayHealthy(relay, x, y);
  });

  it('a flood of 2,000 frames is rate-limited and cut with 1008 while others keep talking', async () => {
    const relay = await harness.start();
    const [x, y] = await bystanders(relay);
    const flooder = await relay.client();
    await flooder.subscribe('flood');

    for (let i = 0; i < 2_000; i += 1) flooder.send({ type: 'publish', topic: 'flood', data: `spam-${i}` });
    const [closeInfo] = await Promise.all([flooder.closed, exchange(x, y, 20)]);

    expect(closeInfo.code).toBe(1008);
    expect(flooder.pending(ofType('error', 'rate-limited')).length).toBeGreaterThan(0);
    await expectRelayHealthy(relay, x, y);
  });

  it('a stream of ws-level pings costs tokens like frames and is cut with 1008', async () => {
    const relay = await harness.start();
    const [x, y] = await bystanders(relay);
    const pinger = await relay.client();

    // Batches stay under ws's own cap of 60 unanswered pings (which would terminate with 1006):
    // what is left to stop is a steady ping rate above the bucket's refill.
    let ended = false;
    void pinger.closed.then(() => (ended = true));
    for (let batch = 0; batch < 100 && !ended; batch += 1) {
      for (let i = 0; i < 40; i += 1) pinger.ws.ping();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }

    expect((await pinger.closed).code).toBe(1008);
    expect(pinger.pending(ofType('error', 'rate-limited')).length).toBeGreaterThan(0);
    await expectRelayHealthy(relay, x, y);
  });
});

describe('relay liveness and backpressure', () => {
  it('terminates a socket that does not answer ws pings, keeps one that does', async () => {
    const relay = await harness.start({ limits: { pingIntervalMs: 200 } });
    const silent = await relay.client({ autoPong: false });
    const healthy = await relay.client();

    expect((await silent.closed).code).toBe(1006);
    await relay.waitForLog((entry) => entry['event'] === 'ping-timeout');
    expect(await healthy.subscribe('still-here')).toMatchObject({ type: 'subscribed' });
  });

  it('destroys a cut socket that never answers the close handshake once the close timeout passes', async () => {
    const relay = await harness.start({ limits: { closeHandshakeTimeoutMs: 200 } });
    const { host, port } = relay.relay.address;
    const socket = await openRawSocket(host, port);
    rawSockets.push(socket);
    const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.resume();

    for (let i = 0; i < offences; i += 1) socket.write(maskedTextFrame('not json'));
    await relay.waitForLog((entry) => entry['event'] === 'frame-rejected' && entry['strikes'] === maxStrikesBeforeClose);
    const cutAt = performance.now();
    await ended;

    // ws's default would hold it for 30 s; the relay's limit ends it after ~200 ms.
    expect(performance.now() - cutAt).toBeLessThan(2_000);
    expect(await relay.waitForLog((entry) => entry['event'] === 'socket-closed')).toMatchObject({ code: 1006 });
  });

  it('cuts a subscriber that stops reading instead of buffering for it', async () => {
    const relay = await harness.start({
      limits: { slowConsumerBytes: 256 * 1024, messageBurst: 100_000, messageRefillPerSecond: 100_000 },
    });
    const { host, port } = relay.relay.address;
    rawSockets.push(await openStalledSubscriber(host, port, 'room'));
    const publisher = await relay.client();
    await publisher.subscribe('room');

    const chunk = 'x'.repeat(60_000);
    const isCut = (entry: Record<string, unknown>): boolean => entry['event'] === 'slow-consumer';
    // Kernel socket buffers absorb a few MiB first; 1,000 frames (~60 MB) is a generous upper bound.
    for (let i = 0; i < 1_000 && !relay.logs.some(isCut); i += 1) {
      publisher.send({ type: 'publish', topic: 'room', data: chunk });
      if (i % 20 === 19) await publisher.sync();
    }
    await relay.waitForLog(isCut);

    const fresh = await relay.client();
    expect(await fresh.subscribe('room')).toMatchObject({ peers: 1 });
    publisher.send({ type: 'publish', topic: 'room', data: 'after' });
    expect(await fresh.next(ofType('message'))).toMatchObject({ data: 'after' });
  });
});
