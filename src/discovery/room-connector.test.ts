// Room connectors over the in-memory relay and fake WebRTC, on a manual clock: each test lets the
// room settle (everything in flight delivered and handled, time standing still), then checks what
// happened, including what was refused and why.
import { afterEach, describe, expect, it } from 'vitest';
import { deriveRoomKeys } from '../core/room-keys';
import { createFakeWebRtc, createMemoryRelay, createRoomSimulation, joinTestRoom, type TestRoomPeer } from '../test-support/memory-relay';
import { sealEnvelope } from './envelope';

const keys = await deriveRoomKeys('AAECAwQFBgcICQoLDA0ODw');

const joined: TestRoomPeer[] = [];
afterEach(() => {
  for (const peer of joined.splice(0)) peer.connector.close();
});

/** A room on one manual clock: its relay, fake WebRTC, and a way to join it. */
function room() {
  const sim = createRoomSimulation(() => joined);
  const relay = createMemoryRelay(sim.clock);
  const webrtc = createFakeWebRtc(sim.clock);
  const join = (id: string, banned = new Set<string>()): TestRoomPeer => {
    const peer = joinTestRoom(keys, id, { buses: [relay.connect], webrtc, banned, clock: sim.clock });
    joined.push(peer);
    return peer;
  };
  /** The envelopes `from` published, as "type>to". */
  const sentBy = (from: string): string[] =>
    relay.sent.map((data) => JSON.parse(data) as { from: string; to: string; type: string }).flatMap((e) => (e.from === from ? [`${e.type}>${e.to}`] : []));
  return { sim, relay, webrtc, join, sentBy };
}

const reasons = (peer: TestRoomPeer, event: string): unknown[] =>
  peer.entries.filter((entry) => entry.event === event).map((entry) => entry.fields.reason);

describe('room connector', () => {
  it('connects three peers pairwise, once per pair, with the smaller id initiating', async () => {
    const { sim, webrtc, join } = room();
    const peers = ['b0', 'a0', 'c0'].map((id) => join(id));
    await sim.settle();
    expect(peers.map((p) => p.links.length)).toEqual([2, 2, 2]);
    const offers = webrtc.attempts.filter((a) => a.endsWith(':offer')).sort();
    expect(offers).toEqual(['a0->b0:offer', 'a0->c0:offer', 'b0->c0:offer']);
    expect(peers[1]?.links.map((l) => l.peerId).sort()).toEqual(['b0', 'c0']);
  });

  it('makes no connection when the relay rewrites envelopes', async () => {
    const { sim, relay, webrtc, join, sentBy } = room();
    relay.setTamper((data) => {
      const envelope = JSON.parse(data) as Record<string, unknown>;
      return JSON.stringify({ ...envelope, from: envelope.from === 'a1' ? 'zz' : envelope.from });
    });
    const a = join('a1');
    const b = join('b1');
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
    const a = join('a2');
    const b = join('b2');
    await sim.settle();
    expect([a.links.length, b.links.length]).toEqual([1, 1]);
    expect(reasons(a, 'envelope-rejected')).toContain('replayed');
    expect(reasons(b, 'envelope-rejected')).toContain('replayed');
    expect(webrtc.attempts.filter((x) => x.endsWith(':offer'))).toEqual(['a2->b2:offer']);
  });

  it('does not connect to a banned peer: it refuses every envelope from it', async () => {
    const { sim, webrtc, join, sentBy } = room();
    const a = join('a3', new Set(['b3']));
    const b = join('b3');
    await sim.settle();
    // b3 said hello and, hearing a3's hello, invited it: a3 refused both, as from a banned peer.
    expect(sentBy('b3')).toEqual(['hello>*', 'hello>a3']);
    expect(a.entries.filter((e) => e.event === 'envelope-refused').map((e) => e.fields)).toEqual([
      { peerId: 'b3', reason: 'banned' },
      { peerId: 'b3', reason: 'banned' },
    ]);
    expect(sentBy('a3')).toEqual(['hello>*']); // no answer to either
    expect(webrtc.attempts).toEqual([]);
    expect(a.links.length + b.links.length).toBe(0);
  });

  it('reconnects when a link drops and both peers are still in the room', async () => {
    const { sim, webrtc, join } = room();
    const a = join('a4');
    const b = join('b4');
    await sim.settle();
    expect(webrtc.openPairs()).toEqual(['a4|b4']);
    webrtc.cut('a4', 'b4');
    expect(webrtc.openPairs()).toEqual([]);
    await sim.settle(); // the refill after a closed link is due at once
    expect([a.links.length, b.links.length]).toEqual([2, 2]);
    expect(webrtc.openPairs()).toEqual(['a4|b4']);
    expect(webrtc.attempts.filter((x) => x.endsWith(':offer'))).toEqual(['a4->b4:offer', 'a4->b4:offer']);
  });

  it('ignores a malformed hello and a stray signal that is not an offer', async () => {
    const { sim, relay, webrtc, join } = room();
    const a = join('a5');
    const bus = relay.connect({ onMessage: () => undefined, onSubscribed: () => undefined });
    bus.subscribe(keys.roomId);
    bus.publish(keys.roomId, await sealEnvelope(keys.signalingKey, keys.roomId, { from: 'b5', to: '*', type: 'hello', seq: 1 }, {}));
    // From a smaller id, so a5 is the one that would answer it if it were an offer.
    bus.publish(keys.roomId, await sealEnvelope(keys.signalingKey, keys.roomId, { from: '05', to: 'a5', type: 'signal', seq: 1 }, { type: 'candidate' }));
    await sim.settle();
    expect(reasons(a, 'envelope-rejected')).toEqual(['malformed hello']);
    expect(webrtc.attempts).toEqual([]);
    bus.close();
  });
});
