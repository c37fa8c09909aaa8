// Room connectors over the in-memory relay and fake WebRTC, on a manual clock: each test lets the
// room settle (everything in flight delivered and handled, time standing still), then checks what
// happened, including what was refused and why. Peers are named: their ids are derived from keys.
import { afterEach, describe, expect, it } from 'vitest';
import { deriveRoomKeys } from '../core/room-keys';
import { nameOf, offerBetween, testIdentity, type TestRoomPeer } from '../test-support/memory-relay';
import { createTestRoom, reasonsOf } from '../test-support/test-room';
import { sealEnvelope } from './envelope';

const keys = await deriveRoomKeys('AAECAwQFBgcICQoLDA0ODw');

const joined: TestRoomPeer[] = [];
afterEach(() => {
  for (const peer of joined.splice(0)) peer.connector.close();
});

const room = () => createTestRoom(keys, joined);
const reasons = reasonsOf;

describe('room connector', () => {
  it('connects three peers pairwise, once per pair, with the smaller id initiating', async () => {
    const { sim, webrtc, join } = room();
    const peers = [await join('b0'), await join('a0'), await join('c0')];
    await sim.settle();
    expect(peers.map((p) => p.links.length)).toEqual([2, 2, 2]);
    const offers = webrtc.attempts.filter((a) => a.endsWith(':offer')).sort();
    expect(offers).toEqual([offerBetween('a0', 'b0'), offerBetween('a0', 'c0'), offerBetween('b0', 'c0')].sort());
    expect(peers[1]?.links.map((l) => nameOf(l.peerId)).sort()).toEqual(['b0', 'c0']);
  });

  it('makes no connection when the relay rewrites envelopes', async () => {
    const { sim, relay, webrtc, join, sentBy } = room();
    const a = await join('a1');
    const b = await join('b1');
    const zz = await testIdentity('zz');
    relay.setTamper((data) => {
      const envelope = JSON.parse(data) as Record<string, unknown>;
      return JSON.stringify({ ...envelope, from: envelope.from === a.id ? zz.peerId : envelope.from });
    });
    await sim.settle();
    // a1 said hello and then invited b1 (whose hello arrived intact); b1 refused both as forged.
    expect(sentBy('a1')).toEqual(['hello>*', 'hello>b1']);
    expect(reasons(b, 'envelope-rejected')).toEqual(['not authentic for this room and peer', 'not authentic for this room and peer']);
    expect(webrtc.attempts).toEqual([]);
    expect(a.links.length + b.links.length).toBe(0);
  });

  it('drops replayed envelopes', async () => {
    const { sim, relay, webrtc, join } = room();
    relay.setTamper((data) => [data, data]);
    const a = await join('a2');
    const b = await join('b2');
    await sim.settle();
    expect([a.links.length, b.links.length]).toEqual([1, 1]);
    expect(reasons(a, 'envelope-rejected')).toContain('replayed');
    expect(reasons(b, 'envelope-rejected')).toContain('replayed');
    expect(webrtc.attempts.filter((x) => x.endsWith(':offer'))).toEqual([offerBetween('a2', 'b2')]);
  });

  it('drops an envelope stamped too far from its own clock: a relay cannot replay the hellos of peers who left', async () => {
    const { sim, relay, webrtc, join } = room();
    const a = await join('a6');
    const old = await testIdentity('old6');
    const bus = relay.connect({ onMessage: () => undefined, onSubscribed: () => undefined });
    bus.subscribe(keys.roomId);
    sim.clock.advance(10 * 60_000);
    bus.publish(keys.roomId, await sealEnvelope(keys.signalingKey, keys.roomId, old, { to: '*', type: 'hello', seq: 1, ts: 0 }, { links: 0, cap: 5 }));
    await sim.settle();
    expect(a.entries.filter((e) => e.event === 'envelope-rejected').map((e) => e.fields)).toEqual([{ reason: 'stale', peerId: old.peerId }]);
    expect(webrtc.attempts).toEqual([]);
    bus.close();
  });

  it('does not connect to a banned peer: it refuses every envelope from it', async () => {
    const { sim, webrtc, join, sentBy } = room();
    const a = await join('a3', ['b3']);
    const b = await join('b3');
    await sim.settle();
    // b3 said hello and, hearing a3's hello, invited it: a3 refused both, as from a banned peer.
    expect(sentBy('b3')).toEqual(['hello>*', 'hello>a3']);
    expect(a.entries.filter((e) => e.event === 'envelope-refused').map((e) => e.fields)).toEqual([
      { peerId: b.id, reason: 'banned' },
      { peerId: b.id, reason: 'banned' },
    ]);
    expect(sentBy('a3')).toEqual(['hello>*']); // no answer to either
    expect(webrtc.attempts).toEqual([]);
    expect(a.links.length + b.links.length).toBe(0);
  });

  it('reconnects when a link drops and both peers are still in the room', async () => {
    const { sim, webrtc, join } = room();
    const a = await join('a4');
    const b = await join('b4');
    await sim.settle();
    expect(webrtc.openPairs()).toEqual(['a4|b4']);
    webrtc.cut('a4', 'b4');
    expect(webrtc.openPairs()).toEqual([]);
    await sim.settle(); // the refill after a closed link is due at once
    expect([a.links.length, b.links.length]).toEqual([2, 2]);
    expect(webrtc.openPairs()).toEqual(['a4|b4']);
    expect(webrtc.attempts.filter((x) => x.endsWith(':offer'))).toEqual([offerBetween('a4', 'b4'), offerBetween('a4', 'b4')]);
  });

  it('ignores a malformed hello and a stray signal that is not an offer', async () => {
    const { sim, relay, webrtc, join } = room();
    const a = await join('a5');
    const [b, c] = [await testIdentity('b5'), await testIdentity('c5')];
    const bus = relay.connect({ onMessage: () => undefined, onSubscribed: () => undefined });
    bus.subscribe(keys.roomId);
    bus.publish(keys.roomId, await sealEnvelope(keys.signalingKey, keys.roomId, b, { to: '*', type: 'hello', seq: 1, ts: 0 }, {}));
    // From a smaller id than a5's if c5's is, so a5 may be the one that would answer it if it were an offer.
    bus.publish(keys.roomId, await sealEnvelope(keys.signalingKey, keys.roomId, c, { to: a.id, type: 'signal', seq: 1, ts: 0 }, { type: 'candidate' }));
    await sim.settle();
    expect(reasons(a, 'envelope-rejected')).toEqual(['malformed hello']);
    expect(webrtc.attempts).toEqual([]);
    bus.close();
  });
});
