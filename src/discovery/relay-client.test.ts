// The browser relay client against the real relay (signaling/) on a random port, including a restart.
// Real sockets, so tests wait for what arrives; the reconnect backoff runs on a manual clock.
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import { parseConfig } from '../../signaling/config';
import { createRelay, type Relay } from '../../signaling/relay';
import { createManualClock, type Clock } from '../core/clock';
import { waitFor } from '../test-support/swarm-fixtures';
import { parseIceServers } from './ice-servers';
import { baseBackoffMs, createRelayClient, maxBackoffMs, type RelayClient } from './relay-client';

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

/** Where in each backoff window the clients retry: a fixed draw, so the delays are known. */
const jitterDraw = 0.2;

function client(port: number, clock: Clock = createManualClock()) {
  const received: string[] = [];
  let subscribedCount = 0;
  const statuses: string[] = [];
  const relayClient = createRelayClient({
    url: `ws://127.0.0.1:${port}/signal`,
    // The browser's WebSocket and ws share the on* handler API the client uses.
    createSocket: (url) => new NodeWebSocket(url) as unknown as WebSocket,
    random: () => jitterDraw,
    clock,
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
    for (const topic of ['room-1', 'barrier']) {
      a.relayClient.subscribe(topic);
      b.relayClient.subscribe(topic);
    }
    await waitFor(() => a.subscribed() === 2 && b.subscribed() === 2, 5000, 'subscriptions');
    expect(a.relayClient.publish('room-1', 'hello from a')).toBe(true);
    await waitFor(() => b.received.length === 1, 5000, 'delivery');
    expect(b.received).toEqual(['hello from a']);
    expect(a.received).toEqual([]);
    b.relayClient.leave('room-1');
    a.relayClient.publish('room-1', 'after leave');
    // The relay forwards a's frames to b in order: had 'after leave' reached b, it would be there first.
    a.relayClient.publish('barrier', 'barrier');
    await waitFor(() => b.received.includes('barrier'), 5000, 'the barrier');
    expect(b.received).toEqual(['hello from a', 'barrier']);
  });

  it('reconnects with backoff after the relay restarts, re-subscribes and delivers again', async () => {
    const first = await startRelay();
    const port = first.address.port;
    const clock = createManualClock();
    const a = client(port, clock);
    const b = client(port, clock);
    a.relayClient.subscribe('room-2');
    b.relayClient.subscribe('room-2');
    await waitFor(() => a.subscribed() === 1 && b.subscribed() === 1, 5000, 'first subscriptions');
    await first.close();
    relays.splice(relays.indexOf(first), 1);
    await waitFor(() => a.statuses.includes('closed') && b.statuses.includes('closed'), 5000, 'noticing the outage');
    expect(a.relayClient.publish('room-2', 'lost')).toBe(false);
    // Each waits its first backoff (a subscription reset the attempts), and has not retried yet.
    expect(clock.pending()).toEqual([jitterDraw * baseBackoffMs, jitterDraw * baseBackoffMs]);
    expect(a.statuses).toEqual(['connecting', 'open', 'closed']);
    await startRelay(port);
    clock.advance(jitterDraw * baseBackoffMs);
    expect(a.statuses.at(-1)).toBe('connecting');
    await waitFor(() => a.subscribed() === 2 && b.subscribed() === 2, 5000, 're-subscriptions');
    a.relayClient.publish('room-2', 'back');
    await waitFor(() => b.received.includes('back'), 5000, 'delivery after restart');
  });

  it('asks again with backoff while the room is full at the relay, says so, and is in once a place frees up', async () => {
    // A room of one, as MAX_SOCKETS_PER_ROOM=1 in the environment makes it.
    const relay = await createRelay({ port: 0, host: '127.0.0.1', log: () => undefined, limits: parseConfig({ MAX_SOCKETS_PER_ROOM: '1' }).limits });
    relays.push(relay);
    const port = relay.address.port;
    const first = client(port);
    first.relayClient.subscribe('full-room');
    await waitFor(() => first.subscribed() === 1, 5000, 'the first member');
    const clock = createManualClock();
    const late = client(port, clock);
    late.relayClient.subscribe('full-room');
    await waitFor(() => late.statuses.includes('room-full'), 5000, 'the room-full status');
    expect(late.statuses).toEqual(['connecting', 'open', 'room-full']);
    expect(clock.pending()).toEqual([jitterDraw * baseBackoffMs]);
    clock.advance(jitterDraw * baseBackoffMs);
    await waitFor(() => late.statuses.length === 4, 5000, 'the second refusal');
    expect(late.statuses.at(-1)).toBe('room-full');
    expect(clock.pending()).toEqual([jitterDraw * baseBackoffMs * 2]); // the wait doubles, as when reconnecting
    first.relayClient.leave('full-room');
    first.relayClient.subscribe('barrier'); // confirmed after the relay handled the leave: it answers a socket's frames in order
    await waitFor(() => first.subscribed() === 2, 5000, 'the leave handled');
    clock.advance(jitterDraw * baseBackoffMs * 2);
    await waitFor(() => late.subscribed() === 1, 5000, 'the late member in');
    expect(late.statuses.at(-1)).toBe('open');
    expect(clock.pending()).toEqual([]);
  });

  it('keeps retrying while the relay is down, and stops after close()', async () => {
    const relay = await startRelay();
    const port = relay.address.port;
    await relay.close();
    relays.splice(0);
    const clock = createManualClock();
    const a = client(port, clock);
    const closedCount = () => a.statuses.filter((s) => s === 'closed').length;
    // Full jitter over a doubling cap: with a fixed draw, each retry waits twice as long as the last.
    const delayMs = (failures: number): number => jitterDraw * baseBackoffMs * 2 ** (failures - 1);
    for (const failures of [1, 2, 3]) {
      await waitFor(() => closedCount() === failures, 5000, `failure ${failures}`);
      expect(clock.pending()).toEqual([delayMs(failures)]);
      clock.advance(delayMs(failures));
      expect(a.statuses.at(-1)).toBe('connecting');
    }
    await waitFor(() => closedCount() === 4, 5000, 'failure 4');
    expect(clock.pending()).toEqual([delayMs(4)]);
    a.relayClient.close();
    expect(clock.pending()).toEqual([]); // the retry was cancelled
    clock.advance(maxBackoffMs);
    expect(a.statuses).toEqual(['connecting', 'closed', 'connecting', 'closed', 'connecting', 'closed', 'connecting', 'closed']);
  });
});
