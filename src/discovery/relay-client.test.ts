// The browser relay client against the real relay (signaling/) on a random port, including a restart.
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import { createRelay, type Relay } from '../../signaling/relay';
import { waitFor } from '../test-support/swarm-fixtures';
import { parseIceServers } from './ice-servers';
import { createRelayClient, type RelayClient } from './relay-client';

const opened: RelayClient[] = [];
const relays: Relay[] = [];
afterEach(async () => {
  for (const client of opened.splice(0)) client.close();
  await Promise.all(relays.splice(0).map((relay) => relay.close()));
});

async function startRelay(port = 0): Promise<Relay> {
  const relay = await createRelay({ port, host: '127.0.0.1', log: () => undefined });
  relays.push(relay);
  return relay;
}

function client(port: number) {
  const received: string[] = [];
  let subscribedCount = 0;
  const statuses: string[] = [];
  const relayClient = createRelayClient({
    url: `ws://127.0.0.1:${port}/signal`,
    // The browser's WebSocket and ws share the on* handler API the client uses.
    createSocket: (url) => new NodeWebSocket(url) as unknown as WebSocket,
    random: () => 0.2,
    onMessage: (_topic, data) => received.push(data),
    onSubscribed: () => subscribedCount++,
    onStatus: (status) => statuses.push(status),
  });
  opened.push(relayClient);
  return { relayClient, received, statuses, subscribed: () => subscribedCount };
}

describe('relay client', () => {
  it('takes the ICE servers the relay tells it, and refuses a malformed list', async () => {
    const relay = await createRelay({
      port: 0,
      host: '127.0.0.1',
      log: () => undefined,
      stunPort: 'same-as-port',
      ice: { turn: { urls: ['turn:turn.example.org:3478'], secret: 'k', ttlS: 600 }, staticServers: [] },
    });
    relays.push(relay);
    const servers: RTCIceServer[][] = [];
    const notices: string[] = [];
    opened.push(
      createRelayClient({
        url: `ws://127.0.0.1:${relay.address.port}/signal`,
        createSocket: (url) => new NodeWebSocket(url) as unknown as WebSocket,
        onMessage: () => undefined,
        onSubscribed: () => undefined,
        onIceServers: (list) => servers.push(list),
        onNotice: (notice) => notices.push(notice),
      }),
    );
    await waitFor(() => servers.length === 1, 5000, 'ICE servers');
    expect(servers[0]?.[0]).toEqual({ urls: [`stun:127.0.0.1:${relay.address.port}`] });
    expect(servers[0]?.[1]).toMatchObject({ urls: ['turn:turn.example.org:3478'], username: expect.stringMatching(/^\d+:[0-9a-f]+$/) });
    expect(notices).toEqual([]);
  });

  it.each([
    ['not a list', { urls: 'stun:x' }],
    ['a bad scheme', [{ urls: 'http://x' }]],
    ['a non-string credential', [{ urls: 'turn:x', username: 'u', credential: 5 }]],
    ['no urls', [{}]],
  ])('parses ICE servers at the boundary: refuses %s', (_label, value) => {
    expect(parseIceServers(value)).toBeNull();
  });

  it('subscribes, publishes to the others in the topic, and leaves', async () => {
    const relay = await startRelay();
    const a = client(relay.address.port);
    const b = client(relay.address.port);
    a.relayClient.subscribe('room-1');
    b.relayClient.subscribe('room-1');
    await waitFor(() => a.subscribed() === 1 && b.subscribed() === 1, 5000, 'subscriptions');
    expect(a.relayClient.publish('room-1', 'hello from a')).toBe(true);
    await waitFor(() => b.received.length === 1, 5000, 'delivery');
    expect(b.received).toEqual(['hello from a']);
    expect(a.received).toEqual([]);
    b.relayClient.leave('room-1');
    await new Promise((resolve) => setTimeout(resolve, 50));
    a.relayClient.publish('room-1', 'after leave');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(b.received).toEqual(['hello from a']);
  });

  it('reconnects with backoff after the relay restarts, re-subscribes and delivers again', async () => {
    const first = await startRelay();
    const port = first.address.port;
    const a = client(port);
    const b = client(port);
    a.relayClient.subscribe('room-2');
    b.relayClient.subscribe('room-2');
    await waitFor(() => a.subscribed() === 1 && b.subscribed() === 1, 5000, 'first subscriptions');
    await first.close();
    relays.splice(relays.indexOf(first), 1);
    await waitFor(() => a.statuses.includes('closed'), 5000, 'noticing the outage');
    expect(a.relayClient.publish('room-2', 'lost')).toBe(false);
    await startRelay(port);
    await waitFor(() => a.subscribed() === 2 && b.subscribed() === 2, 10_000, 're-subscriptions');
    a.relayClient.publish('room-2', 'back');
    await waitFor(() => b.received.includes('back'), 5000, 'delivery after restart');
  });

  it('keeps retrying while the relay is down, and stops after close()', async () => {
    const relay = await startRelay();
    const port = relay.address.port;
    await relay.close();
    relays.splice(0);
    const a = client(port);
    await waitFor(() => a.statuses.filter((s) => s === 'connecting').length >= 3, 10_000, 'retries');
    a.relayClient.close();
    const attempts = a.statuses.length;
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(a.statuses.length).toBe(attempts);
  });
});
