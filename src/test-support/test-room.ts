// A room of named test peers on one manual clock: the in-memory relay, fake WebRTC, and a way to join
// it, for connector tests. Peer ids are derived from keys, so tests name peers and read names back.
import type { RoomKeys } from '../core/room-keys';
import { createFakeWebRtc, createMemoryRelay, createRoomSimulation, idOf, joinTestRoom, nameOf, testIdentity, type TestRoomPeer } from './memory-relay';
import { sealEnvelope, type EnvelopeType } from '../discovery/envelope';

/** Creates the room; `joined` collects every peer that joins (the test closes them afterwards). */
export function createTestRoom(keys: RoomKeys, joined: TestRoomPeer[], { connectTimeoutMs = Infinity } = {}) {
  const sim = createRoomSimulation(() => joined);
  const relay = createMemoryRelay(sim.clock);
  const webrtc = createFakeWebRtc(sim.clock, { connectTimeoutMs });
  const join = async (name: string, banned: readonly string[] = []): Promise<TestRoomPeer> => {
    for (const other of banned) await testIdentity(other);
    const peer = await joinTestRoom(keys, name, { buses: [relay.connect], webrtc, banned: new Set(banned.map(idOf)), clock: sim.clock });
    joined.push(peer);
    return peer;
  };
  /** The envelopes the peer called `from` published, as "type>to" (recipients by name). */
  const sentBy = (from: string): string[] =>
    relay.sent
      .map((data) => JSON.parse(data) as { from: string; to: string; type: string })
      .flatMap((e) => (nameOf(e.from) === from ? [`${e.type}>${nameOf(e.to)}`] : []));
  /**
   * A member speaking the protocol by hand, as the test says: it publishes envelopes signed with the
   * named peer's identity, with its own sequence numbers, on the room's relay.
   */
  const member = async (name: string) => {
    const identity = await testIdentity(name);
    const bus = relay.connect({ onMessage: () => undefined, onSubscribed: () => undefined });
    bus.subscribe(keys.roomId);
    let seq = 0;
    const publish = async (to: string, type: EnvelopeType, payload: unknown, ts = Math.floor(sim.clock.now())): Promise<void> => {
      seq += 1;
      bus.publish(keys.roomId, await sealEnvelope(keys.signalingKey, keys.roomId, identity, { to, type, seq, ts }, payload));
    };
    return { identity, publish, close: () => bus.close() };
  };
  return { sim, relay, webrtc, join, sentBy, member };
}

/** The reasons a peer logged for `event`. */
export const reasonsOf = (peer: TestRoomPeer, event: string): unknown[] =>
  peer.entries.filter((entry) => entry.event === event).map((entry) => entry.fields.reason);
