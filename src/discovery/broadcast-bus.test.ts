// Tabs of one browser over BroadcastChannel (Node's global one here): the bus alone, then room
// connectors that find each other over it while the relay never connects, or over both at once
// (in-memory channels there, on a manual clock, so the room can be let settle).
import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock, type Clock } from '../core/clock';
import { createSecret, deriveRoomKeys } from '../core/room-keys';
import {
  createFakeWebRtc,
  createMemoryBroadcastChannels,
  createMemoryRelay,
  createRoomSimulation,
  joinTestRoom,
  offerBetween,
  unreachableRelay,
  type TestRoomPeer,
} from '../test-support/memory-relay';
import { waitFor } from '../test-support/swarm-fixtures';
import { broadcastChannelName, createBroadcastBus } from './broadcast-bus';
import type { RelayClient, RelayHandlers } from './relay-client';
import type { BusFactory } from './room-connector';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

const broadcastBus: BusFactory = (handlers) => createBroadcastBus(handlers);
/** A fresh room per test, so no test hears another's channel. */
const freshRoom = () => deriveRoomKeys(createSecret());

function bus(clock: Clock) {
  const received: string[] = [];
  const notices: string[] = [];
  let subscribed = 0;
  const handlers: RelayHandlers = {
    onMessage: (_topic, data) => received.push(data),
    onSubscribed: () => subscribed++,
    onNotice: (message) => notices.push(message),
  };
  const client: RelayClient = createBroadcastBus({ ...handlers, clock });
  cleanups.push(() => client.close());
  return { client, received, notices, subscribed: () => subscribed };
}

async function join(...args: Parameters<typeof joinTestRoom>): Promise<TestRoomPeer> {
  const peer = await joinTestRoom(...args);
  cleanups.push(() => peer.connector.close());
  return peer;
}

describe('BroadcastChannel bus', () => {
  it('reports subscribed, delivers to the other tabs of the topic (not back to itself), and stops after leave', async () => {
    const topic = `room-${createSecret()}`;
    const clock = createManualClock();
    const a = bus(clock);
    const b = bus(clock);
    // A tab that stays: its channel is newer than b's, and a channel's messages reach the tabs of one
    // browser oldest channel first (HTML, BroadcastChannel postMessage), so it is the barrier for b.
    const c = bus(clock);
    for (const tab of [a, b, c]) tab.client.subscribe(topic);
    expect(a.client.publish('another-room', 'nope')).toBe(false);
    expect([a.subscribed(), b.subscribed(), c.subscribed()]).toEqual([0, 0, 0]); // not from inside subscribe()
    clock.advance(0);
    expect([a.subscribed(), b.subscribed(), c.subscribed()]).toEqual([1, 1, 1]);
    expect(a.client.publish(topic, 'hello from a')).toBe(true);
    await waitFor(() => b.received.length === 1 && c.received.length === 1, 1000, 'delivery');
    expect(b.received).toEqual(['hello from a']);
    b.client.leave(topic);
    expect(b.client.publish(topic, 'from b')).toBe(false);
    a.client.publish(topic, 'after leave');
    await waitFor(() => c.received.length === 2, 1000, 'delivery to the tab that stayed');
    expect(c.received).toEqual(['hello from a', 'after leave']);
    expect(b.received).toEqual(['hello from a']);
    expect(a.received).toEqual([]);
  });

  it('reports, and does not deliver, a message that is not text', async () => {
    const topic = `room-${createSecret()}`;
    const a = bus(createManualClock());
    a.client.subscribe(topic);
    const raw = new BroadcastChannel(broadcastChannelName(topic));
    cleanups.push(() => raw.close());
    raw.postMessage({ not: 'text' });
    await waitFor(() => a.notices.length === 1, 1000, 'notice');
    expect(a.received).toEqual([]);
  });

  it('lets two tabs connect while the relay never connects', async () => {
    const keys = await freshRoom();
    const webrtc = createFakeWebRtc();
    const a = await join(keys, 'a1', { buses: [unreachableRelay, broadcastBus], webrtc });
    const b = await join(keys, 'b1', { buses: [unreachableRelay, broadcastBus], webrtc });
    await waitFor(() => a.links.length === 1 && b.links.length === 1, 5000, 'a link over BroadcastChannel');
    expect(webrtc.openPairs()).toEqual(['a1|b1']);
  });

  it('makes one connection when every envelope arrives twice, over the relay and over BroadcastChannel', async () => {
    const keys = await freshRoom();
    const peers: TestRoomPeer[] = [];
    const sim = createRoomSimulation(() => peers);
    const { clock } = sim;
    const relay = createMemoryRelay(clock);
    const webrtc = createFakeWebRtc(clock);
    const channels = createMemoryBroadcastChannels(clock);
    const buses: BusFactory[] = [relay.connect, (handlers) => createBroadcastBus({ ...handlers, clock, createChannel: channels })];
    for (const name of ['a2', 'b2', 'c2']) peers.push(await join(keys, name, { buses, webrtc, clock }));
    await sim.settle(); // every envelope sent has arrived twice and been handled; time has not moved
    expect(webrtc.openPairs()).toEqual(['a2|b2', 'a2|c2', 'b2|c2']);
    expect(webrtc.attempts.filter((x) => x.endsWith(':offer')).sort()).toEqual([offerBetween('a2', 'b2'), offerBetween('a2', 'c2'), offerBetween('b2', 'c2')].sort());
    expect(peers.map((p) => p.links.length)).toEqual([2, 2, 2]);
    // Everyone dropped second copies, as replays.
    expect(peers.map((p) => p.entries.some((e) => e.event === 'envelope-rejected' && e.fields.reason === 'replayed'))).toEqual([true, true, true]);
  });
});
