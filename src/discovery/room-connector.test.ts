import { afterEach, describe, expect, it } from 'vitest';
import { deriveRoomKeys } from '../core/room-keys';
import { createFakeWebRtc, createMemoryRelay, joinTestRoom, type TestRoomPeer } from '../test-support/memory-relay';
import { waitFor } from '../test-support/swarm-fixtures';
import { sealEnvelope } from './envelope';

const keys = await deriveRoomKeys('AAECAwQFBgcICQoLDA0ODw');

const joined: TestRoomPeer[] = [];
afterEach(() => {
  for (const peer of joined.splice(0)) peer.connector.close();
});

function join(id: string, relay: ReturnType<typeof createMemoryRelay>, webrtc: ReturnType<typeof createFakeWebRtc>, banned = new Set<string>()) {
  const peer = joinTestRoom(keys, id, { buses: [relay.connect], webrtc, banned });
  joined.push(peer);
  return peer;
}

describe('room connector', () => {
  it('connects three peers pairwise, once per pair, with the smaller id initiating', async () => {
    const relay = createMemoryRelay();
    const webrtc = createFakeWebRtc();
    const peers = ['b0', 'a0', 'c0'].map((id) => join(id, relay, webrtc));
    await waitFor(() => peers.every((p) => p.links.length === 2), 5000, 'full mesh');
    const offers = webrtc.attempts.filter((a) => a.endsWith(':offer')).sort();
    expect(offers).toEqual(['a0->b0:offer', 'a0->c0:offer', 'b0->c0:offer']);
    expect(peers[1]?.links.map((l) => l.peerId).sort()).toEqual(['b0', 'c0']);
  });

  it('makes no connection when the relay rewrites envelopes', async () => {
    const relay = createMemoryRelay();
    relay.setTamper((data) => {
      const envelope = JSON.parse(data) as Record<string, unknown>;
      return JSON.stringify({ ...envelope, from: envelope.from === 'a1' ? 'zz' : envelope.from });
    });
    const webrtc = createFakeWebRtc();
    const a = join('a1', relay, webrtc);
    const b = join('b1', relay, webrtc);
    await waitFor(() => b.events.includes('envelope-rejected'), 5000, 'rejection');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(a.links.length + b.links.length).toBe(0);
  });

  it('drops replayed envelopes', async () => {
    const relay = createMemoryRelay();
    relay.setTamper((data) => [data, data]);
    const webrtc = createFakeWebRtc();
    const a = join('a2', relay, webrtc);
    const b = join('b2', relay, webrtc);
    await waitFor(() => a.links.length === 1 && b.links.length === 1, 5000, 'connection despite duplicates');
    expect(a.events.filter((e) => e === 'envelope-rejected').length).toBeGreaterThan(0);
    expect(webrtc.attempts.filter((x) => x.endsWith(':offer'))).toEqual(['a2->b2:offer']);
  });

  it('does not connect to a banned peer', async () => {
    const relay = createMemoryRelay();
    const webrtc = createFakeWebRtc();
    const a = join('a3', relay, webrtc, new Set(['b3']));
    join('b3', relay, webrtc);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(a.links).toHaveLength(0);
  });

  it('reconnects when a link drops and both peers are still in the room', async () => {
    const relay = createMemoryRelay();
    const webrtc = createFakeWebRtc();
    const a = join('a4', relay, webrtc);
    const b = join('b4', relay, webrtc);
    await waitFor(() => webrtc.openPairs().length === 1, 5000, 'first link');
    webrtc.cut('a4', 'b4');
    await waitFor(() => a.links.length === 2 && b.links.length === 2, 5000, 'second link');
    expect(webrtc.openPairs()).toEqual(['a4|b4']);
    expect(webrtc.attempts.filter((x) => x.endsWith(':offer'))).toEqual(['a4->b4:offer', 'a4->b4:offer']);
  });

  it('ignores a malformed hello and a stray signal that is not an offer', async () => {
    const relay = createMemoryRelay();
    const webrtc = createFakeWebRtc();
    const a = join('a5', relay, webrtc);
    const bus = relay.connect({ onMessage: () => undefined, onSubscribed: () => undefined });
    bus.subscribe(keys.roomId);
    bus.publish(keys.roomId, await sealEnvelope(keys.signalingKey, keys.roomId, { from: 'b5', to: '*', type: 'hello', seq: 1 }, {}));
    bus.publish(keys.roomId, await sealEnvelope(keys.signalingKey, keys.roomId, { from: 'z5', to: 'a5', type: 'signal', seq: 1 }, { type: 'candidate' }));
    await waitFor(() => a.events.filter((e) => e === 'envelope-rejected').length === 1, 1000, 'rejection');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(webrtc.attempts).toEqual([]);
    bus.close();
  });
});
