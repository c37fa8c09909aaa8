// Tabs of one browser over BroadcastChannel (Node's global one here): the bus alone, then room
// connectors that find each other over it while the relay never connects, or over both at once.
import { afterEach, describe, expect, it } from 'vitest';
import { createSecret, deriveRoomKeys } from '../core/room-keys';
import { createFakeWebRtc, createMemoryRelay, joinTestRoom, unreachableRelay, type TestRoomPeer } from '../test-support/memory-relay';
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

function bus() {
  const received: string[] = [];
  const notices: string[] = [];
  let subscribed = 0;
  const handlers: RelayHandlers = {
    onMessage: (_topic, data) => received.push(data),
    onSubscribed: () => subscribed++,
    onNotice: (message) => notices.push(message),
  };
  const client: RelayClient = createBroadcastBus(handlers);
  cleanups.push(() => client.close());
  return { client, received, notices, subscribed: () => subscribed };
}

function join(...args: Parameters<typeof joinTestRoom>): TestRoomPeer {
  const peer = joinTestRoom(...args);
  cleanups.push(() => peer.connector.close());
  return peer;
}

describe('BroadcastChannel bus', () => {
  it('reports subscribed, delivers to the other tabs of the topic (not back to itself), and stops after leave', async () => {
    const topic = `room-${createSecret()}`;
    const a = bus();
    const b = bus();
    a.client.subscribe(topic);
    b.client.subscribe(topic);
    expect(a.client.publish('another-room', 'nope')).toBe(false);
    await waitFor(() => a.subscribed() === 1 && b.subscribed() === 1, 1000, 'subscribed');
    expect(a.client.publish(topic, 'hello from a')).toBe(true);
    await waitFor(() => b.received.length === 1, 1000, 'delivery');
    expect(b.received).toEqual(['hello from a']);
    b.client.leave(topic);
    a.client.publish(topic, 'after leave');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(b.received).toEqual(['hello from a']);
    expect(a.received).toEqual([]);
  });

  it('reports, and does not deliver, a message that is not text', async () => {
    const topic = `room-${createSecret()}`;
    const a = bus();
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
    const a = join(keys, 'a1', { buses: [unreachableRelay, broadcastBus], webrtc });
    const b = join(keys, 'b1', { buses: [unreachableRelay, broadcastBus], webrtc });
    await waitFor(() => a.links.length === 1 && b.links.length === 1, 5000, 'a link over BroadcastChannel');
    expect(webrtc.openPairs()).toEqual(['a1|b1']);
  });

  it('makes one connection when every envelope arrives twice, over the relay and over BroadcastChannel', async () => {
    const keys = await freshRoom();
    const relay = createMemoryRelay();
    const webrtc = createFakeWebRtc();
    const buses = [relay.connect, broadcastBus];
    const peers = ['a2', 'b2', 'c2'].map((id) => join(keys, id, { buses, webrtc }));
    await waitFor(() => webrtc.openPairs().length === 3, 5000, 'a full mesh of three');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(webrtc.attempts.filter((x) => x.endsWith(':offer')).sort()).toEqual(['a2->b2:offer', 'a2->c2:offer', 'b2->c2:offer']);
    expect(peers.map((p) => p.links.length)).toEqual([2, 2, 2]);
    expect(peers.some((p) => p.events.includes('envelope-rejected'))).toBe(true); // the second copies
  });
});
