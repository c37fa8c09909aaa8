// Room members that misbehave in signaling, on the in-memory relay and a manual clock: each test
// asserts the honest outcome (links still form, the forgery or flood is refused, and why).
import { afterEach, describe, expect, it } from 'vitest';
import { deriveRoomKeys } from '../core/room-keys';
import { testIdentity, type TestRoomPeer } from '../test-support/memory-relay';
import { createTestRoom, reasonsOf } from '../test-support/test-room';
import { attemptBurstPerPeer, attemptRefillMs, maxFailedAttemptsPerPeer } from './attempt-guard';
import { sealEnvelope } from './envelope';

const keys = await deriveRoomKeys('AAECAwQFBgcICQoLDA0ODw');

const joined: TestRoomPeer[] = [];
afterEach(() => {
  for (const peer of joined.splice(0)) peer.connector.close();
});

/** A name whose key-derived id sorts below `peerId`, so its offers are ones `peerId` would answer. */
async function nameBelow(peerId: string, prefix: string): Promise<string> {
  for (let i = 0; ; i++) if ((await testIdentity(`${prefix}${i}`)).peerId < peerId) return `${prefix}${i}`;
}

const offer = { type: 'offer', sdp: 'v=0 bogus' };
/** Ends an attempt whose channel never opens, as the transport's connect timeout does. */
const connectTimeoutMs = 20_000;

describe('hostile members in signaling', () => {
  it('an offer flood from one member costs the victim a few attempts, not its budget; an honest peer still links', async () => {
    const { sim, webrtc, join, member } = createTestRoom(keys, joined, { connectTimeoutMs });
    const victim = await join('victim');
    const attacker = await member(await nameBelow(victim.id, 'flooder'));
    const attempts = () => webrtc.attempts.filter((a) => a.endsWith(':answer') && a.startsWith('victim->flooder')).length;
    await attacker.publish('*', 'hello', { links: 0, cap: 30 });
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 60; i++) await attacker.publish(victim.id, 'signal', offer);
      await sim.runFor(connectTimeoutMs); // each attempt it got fails: its channel never opens
    }
    // While an attempt connects, further offers go to it; each round's attempt failed, and after
    // `maxFailedAttemptsPerPeer` of them every offer from that key is refused.
    expect(attempts()).toBe(maxFailedAttemptsPerPeer);
    expect(new Set(reasonsOf(victim, 'offer-refused'))).toEqual(new Set([`its last ${maxFailedAttemptsPerPeer} connection attempts failed`]));
    expect(reasonsOf(victim, 'offer-refused').length).toBe((20 - maxFailedAttemptsPerPeer) * 60);
    const honest = await join('honest');
    await sim.runUntil(() => honest.links.length === 1 && victim.links.length === 1, 60_000, 'the honest link');
    attacker.close();
  });

  it('offers while an attempt connects go to that attempt: a burst costs one connection', async () => {
    const { sim, webrtc, join, member } = createTestRoom(keys, joined);
    const victim = await join('victim2');
    const attacker = await member(await nameBelow(victim.id, 'burster'));
    await attacker.publish('*', 'hello', { links: 0, cap: 30 });
    for (let i = 0; i < 10; i++) await attacker.publish(victim.id, 'signal', offer);
    await sim.settle();
    expect(webrtc.attempts.filter((a) => a.startsWith('victim2->burster'))).toHaveLength(1);
    attacker.close();
  });

  it('a peer that links and drops again and again is reconnected a burst, then once per refill period', async () => {
    const { sim, webrtc, join } = createTestRoom(keys, joined);
    const a = await join('alice5');
    const b = await join('bob5');
    await sim.settle();
    for (let i = 0; i < 2 * attemptBurstPerPeer; i++) {
      webrtc.cut('alice5', 'bob5');
      await sim.settle();
    }
    const offers = () => webrtc.attempts.filter((x) => x.endsWith(':offer')).length;
    expect(offers()).toBe(attemptBurstPerPeer);
    expect(webrtc.openPairs()).toEqual([]); // the pair waits for its allowance to refill
    await sim.runFor(attemptRefillMs * 2);
    expect(offers()).toBe(attemptBurstPerPeer + 1);
    expect([a.links.length, b.links.length]).toEqual([attemptBurstPerPeer + 1, attemptBurstPerPeer + 1]);
  });

  it('takes no offer from a member that never said hello', async () => {
    const { sim, webrtc, join, member } = createTestRoom(keys, joined);
    const victim = await join('victim3');
    const silent = await member(await nameBelow(victim.id, 'silent'));
    await silent.publish(victim.id, 'signal', offer);
    await sim.settle();
    expect(reasonsOf(victim, 'offer-refused')).toEqual(['it never said hello']);
    expect(webrtc.attempts).toEqual([]);
    silent.close();
  });

  it('a member cannot make peers drop another peer’s envelopes: a forged high sequence number is refused', async () => {
    const { sim, relay, webrtc, join, member } = createTestRoom(keys, joined);
    const a = await join('alice4');
    const mallory = await member('mallory4');
    // Mallory signs a hello with her own key but names Alice as the sender, with the largest sequence number.
    const forged = { ...mallory.identity, peerId: a.id };
    const bus = relay.connect({ onMessage: () => undefined, onSubscribed: () => undefined });
    bus.subscribe(keys.roomId);
    const b = await join('bob4');
    bus.publish(keys.roomId, await sealEnvelope(keys.signalingKey, keys.roomId, forged, { to: '*', type: 'hello', seq: Number.MAX_SAFE_INTEGER, ts: 0 }, { links: 0, cap: 30 }));
    await sim.settle();
    expect(reasonsOf(b, 'envelope-rejected')).toContain('signed by a key that is not its sender’s');
    expect([a.links.length, b.links.length]).toEqual([1, 1]);
    expect(webrtc.openPairs()).toEqual(['alice4|bob4']);
    bus.close();
    mallory.close();
  });
});
