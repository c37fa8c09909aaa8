import { afterEach, describe, expect, it } from 'vitest';
import { maxConnectionsPerIp } from './limits.js';
import { createHarness } from './test-support/relay-harness.js';
import { ofType, rejectedStatus } from './test-support/ws-client.js';

const harness = createHarness();
afterEach(() => harness.closeAll());

/** Attempts beyond the cap: each must be refused, none may take a slot. */
const extraAttempts = 10;

describe('relay connections per IP', () => {
  it(`accepts ${maxConnectionsPerIp} sockets from 127.0.0.1, refuses more with 429, keeps the first ones working`, async () => {
    const relay = await harness.start();
    const clients = await Promise.all(Array.from({ length: maxConnectionsPerIp }, () => relay.client()));

    const refused = await Promise.all(Array.from({ length: extraAttempts }, () => rejectedStatus(relay.signalUrl)));
    expect(refused).toEqual(new Array<number>(extraAttempts).fill(429));
    expect(relay.logs.filter((entry) => entry['reason'] === 'max-connections-per-ip')).toHaveLength(extraAttempts);

    const [first, second, last] = [clients[0], clients[1], clients.at(-1)];
    if (first === undefined || second === undefined || last === undefined) throw new Error('clients missing');
    await first.subscribe('room');
    await last.subscribe('room');
    first.send({ type: 'publish', topic: 'room', data: 'hello' });
    expect(await last.next(ofType('message'))).toMatchObject({ data: 'hello' });

    // A slot frees when a socket closes; the refused attempts never held one.
    await second.close();
    await relay.waitForLog((entry) => entry['event'] === 'socket-closed');
    const late = await relay.client();
    expect(await late.subscribe('room')).toMatchObject({ type: 'subscribed', peers: 2 });
    expect(await rejectedStatus(relay.signalUrl)).toBe(429);
  });

  it('ignores X-Forwarded-For unless trustProxy is set, so clients cannot pick fresh addresses', async () => {
    const relay = await harness.start({ limits: { maxConnectionsPerIp: 2 } });
    await relay.client({ headers: { 'X-Forwarded-For': '203.0.113.1' } });
    await relay.client({ headers: { 'X-Forwarded-For': '203.0.113.2' } });
    expect(await rejectedStatus(relay.signalUrl, { headers: { 'X-Forwarded-For': '203.0.113.3' } })).toBe(429);
  });

  it('with trustProxy, counts by the proxy-appended (rightmost) X-Forwarded-For entry', async () => {
    const relay = await harness.start({ limits: { maxConnectionsPerIp: 1 }, trustProxy: true });
    const viaProxy = (client: string, spoofed = ''): { headers: Record<string, string> } => ({
      headers: { 'X-Forwarded-For': spoofed === '' ? client : `${spoofed}, ${client}` },
    });
    const one = await relay.client(viaProxy('203.0.113.1'));
    await relay.client(viaProxy('203.0.113.2'));
    expect(await rejectedStatus(relay.signalUrl, viaProxy('203.0.113.1'))).toBe(429);
    expect(await rejectedStatus(relay.signalUrl, viaProxy('203.0.113.1', '198.51.100.99'))).toBe(429);
    expect(await one.subscribe('room')).toMatchObject({ type: 'subscribed' });
  });
});
