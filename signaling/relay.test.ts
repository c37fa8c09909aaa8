import { afterEach, describe, expect, it } from 'vitest';
import { createRelay } from './relay.js';
import { createHarness } from './test-support/relay-harness.js';
import { ofType, rejectedStatus, type Frame } from './test-support/ws-client.js';

const harness = createHarness();
afterEach(() => harness.closeAll());

const messageIn = (topic: string, data?: string) => (frame: Frame) =>
  frame.type === 'message' && frame['topic'] === topic && (data === undefined || frame['data'] === data);

describe('relay pub/sub', () => {
  it('delivers to the other members of a topic only, and stops after leave', async () => {
    const relay = await harness.start();
    const [a, b, c] = await Promise.all([relay.client(), relay.client(), relay.client()]);
    await a.subscribe('red');
    await b.subscribe('red');
    await c.subscribe('blue');
    await a.subscribe('blue');

    a.send({ type: 'publish', topic: 'red', data: 'to-red' });
    expect(await b.next(messageIn('red'))).toEqual({ type: 'message', topic: 'red', data: 'to-red' });
    a.send({ type: 'publish', topic: 'blue', data: 'to-blue' });
    expect(await c.next(messageIn('blue'))).toEqual({ type: 'message', topic: 'blue', data: 'to-blue' });

    // Barrier: a's frames were handled before its pong, and each receiver's pong comes after them.
    await a.sync();
    await Promise.all([b.sync(), c.sync()]);
    expect(a.pending(ofType('message'))).toEqual([]);
    expect(b.pending(ofType('message'))).toEqual([]);
    expect(c.pending(ofType('message'))).toEqual([]);

    b.send({ type: 'leave', topic: 'red' });
    expect(await b.next(ofType('left'))).toEqual({ type: 'left', topic: 'red' });
    a.send({ type: 'publish', topic: 'red', data: 'after-leave' });
    await a.sync();
    await b.sync();
    expect(b.pending(ofType('message'))).toEqual([]);
  });

  it('delivers an addressed message to that peer only, and room-wide ones to every other member', async () => {
    const relay = await harness.start();
    const [a, b, c] = await Promise.all([relay.client(), relay.client(), relay.client()]);
    await a.subscribe('room', 'peer-a');
    await b.subscribe('room', 'peer-b');
    await c.subscribe('room', 'peer-c');

    a.send({ type: 'publish', topic: 'room', data: 'for-b', to: 'peer-b' });
    expect(await b.next(messageIn('room'))).toEqual({ type: 'message', topic: 'room', data: 'for-b' });
    a.send({ type: 'publish', topic: 'room', data: 'for-nobody', to: 'peer-gone' });
    a.send({ type: 'publish', topic: 'room', data: 'for-all' });
    expect(await b.next(messageIn('room'))).toMatchObject({ data: 'for-all' });
    expect(await c.next(messageIn('room'))).toMatchObject({ data: 'for-all' });
    await a.sync();
    await Promise.all([b.sync(), c.sync()]);
    // c saw only the room-wide message; nobody got the one for a peer that is not here; a not its own.
    expect([...a.pending(ofType('message')), ...b.pending(ofType('message')), ...c.pending(ofType('message'))]).toEqual([]);

    // A peer id follows its latest subscribe, and is forgotten when the socket leaves.
    await c.subscribe('room', 'peer-c2');
    a.send({ type: 'publish', topic: 'room', data: 'old-id', to: 'peer-c' });
    a.send({ type: 'publish', topic: 'room', data: 'new-id', to: 'peer-c2' });
    expect(await c.next(messageIn('room'))).toMatchObject({ data: 'new-id' });
    c.send({ type: 'leave', topic: 'room' });
    await c.next(ofType('left'));
    a.send({ type: 'publish', topic: 'room', data: 'after-leave', to: 'peer-c2' });
    await a.sync();
    await c.sync();
    expect(c.pending(ofType('message'))).toEqual([]);
  });

  it('reports the number of other peers and keeps subscribe idempotent', async () => {
    const relay = await harness.start();
    const [a, b, c] = await Promise.all([relay.client(), relay.client(), relay.client()]);
    expect(await a.subscribe('room')).toEqual({ type: 'subscribed', topic: 'room', peers: 0 });
    expect(await b.subscribe('room')).toEqual({ type: 'subscribed', topic: 'room', peers: 1 });
    expect(await b.subscribe('room')).toEqual({ type: 'subscribed', topic: 'room', peers: 1 });
    expect(await c.subscribe('room')).toEqual({ type: 'subscribed', topic: 'room', peers: 2 });

    await b.close();
    await relay.waitForLog((entry) => entry['event'] === 'socket-closed');
    expect(await c.subscribe('room')).toEqual({ type: 'subscribed', topic: 'room', peers: 1 });
  });

  it('refuses publishing to a topic the sender has not joined', async () => {
    const relay = await harness.start();
    const [a, b] = await Promise.all([relay.client(), relay.client()]);
    await b.subscribe('room');
    a.send({ type: 'publish', topic: 'room', data: 'x' });
    expect(await a.next(ofType('error'))).toMatchObject({ code: 'not-subscribed' });
    await a.sync();
    await b.sync();
    expect(b.pending(ofType('message'))).toEqual([]);
  });

  it('caps sockets per topic', async () => {
    const relay = await harness.start({ limits: { maxSocketsPerTopic: 2 } });
    const [a, b, c] = await Promise.all([relay.client(), relay.client(), relay.client()]);
    await a.subscribe('room');
    await b.subscribe('room');
    c.send({ type: 'subscribe', topic: 'room' });
    expect(await c.next(ofType('error'))).toMatchObject({ type: 'error', code: 'topic-full' });
    c.send({ type: 'publish', topic: 'room', data: 'x' });
    expect(await c.next(ofType('error'))).toMatchObject({ code: 'not-subscribed' });

    a.send({ type: 'leave', topic: 'room' });
    await a.next(ofType('left'));
    expect(await c.subscribe('room')).toMatchObject({ peers: 1 });
  });

  it('caps topics per socket', async () => {
    const relay = await harness.start({ limits: { maxTopicsPerSocket: 2 } });
    const a = await relay.client();
    await a.subscribe('one');
    await a.subscribe('two');
    a.send({ type: 'subscribe', topic: 'three' });
    expect(await a.next(ofType('error'))).toMatchObject({ code: 'too-many-topics' });
    expect(await a.subscribe('two')).toMatchObject({ type: 'subscribed' });
    a.send({ type: 'leave', topic: 'one' });
    await a.next(ofType('left'));
    expect(await a.subscribe('three')).toMatchObject({ type: 'subscribed' });
  });

  it('answers app-level ping with pong', async () => {
    const relay = await harness.start();
    const a = await relay.client();
    // Every socket is first told its ICE servers; then a ping is answered.
    expect(await a.next()).toMatchObject({ type: 'ice-servers' });
    a.send({ type: 'ping' });
    expect(await a.next()).toEqual({ type: 'pong' });
  });

  it('refuses sockets beyond the global cap with 1013', async () => {
    const relay = await harness.start({ limits: { maxConnections: 2 } });
    await relay.client();
    await relay.client();
    const third = await relay.client();
    expect((await third.closed).code).toBe(1013);
  });

  it('upgrades only on /signal', async () => {
    const relay = await harness.start();
    const base = relay.relay.address.url.replace(/^http/, 'ws');
    expect(await rejectedStatus(`${base}/other`)).toBe(404);
    const response = await fetch(`${relay.relay.address.url}/signal`);
    expect(response.status).toBe(426);
  });

  it('reports an address and closes idempotently', async () => {
    const relay = await createRelay({ port: 0, log: () => undefined });
    expect(relay.address.host).toBe('127.0.0.1');
    expect(relay.address.url).toBe(`http://127.0.0.1:${relay.address.port}`);
    await Promise.all([relay.close(), relay.close()]);
    await relay.close();
  });
});

describe('relay origin check', () => {
  it('accepts no Origin and same-origin, refuses a foreign Origin with 403', async () => {
    const relay = await harness.start();
    const { port } = relay.relay.address;
    await relay.client();
    await relay.client({ origin: `http://127.0.0.1:${port}` });
    expect(await rejectedStatus(relay.signalUrl, { origin: 'https://evil.example' })).toBe(403);
    expect(await rejectedStatus(relay.signalUrl, { origin: `http://127.0.0.1:${port + 1}` })).toBe(403);
    expect(await rejectedStatus(relay.signalUrl, { origin: 'null' })).toBe(403);
  });

  it('with an allowlist, accepts only listed origins', async () => {
    const relay = await harness.start({ allowedOrigins: ['https://swarmdrop.example'] });
    const { port } = relay.relay.address;
    const ok = await relay.client({ origin: 'https://swarmdrop.example' });
    expect(await ok.subscribe('room')).toMatchObject({ type: 'subscribed' });
    expect(await rejectedStatus(relay.signalUrl, { origin: 'https://other.example' })).toBe(403);
    expect(await rejectedStatus(relay.signalUrl, { origin: `http://127.0.0.1:${port}` })).toBe(403);
    expect(await rejectedStatus(relay.signalUrl)).toBe(403);
  });
});
