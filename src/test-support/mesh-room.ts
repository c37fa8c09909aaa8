// A room of connectors with small mesh limits on one in-memory relay, fake WebRTC and manual clock,
// for the mesh tests (mesh.test.ts, crowd.test.ts): join by name, read degrees, the mesh and what was published.
import type { RoomKeys } from '../core/room-keys';
import { helloRecipients, type MeshLimits } from '../discovery/mesh';
import { createFakeWebRtc, createMemoryRelay, createRoomSimulation, joinTestRoom, nameOf, type TestRoomPeer } from './memory-relay';

/** Mesh limits small enough to fill a room of a dozen peers in a test: cap 5 (2 of them random), hard cap 8, needy below 3. */
export const smallMesh: MeshLimits = {
  capLinks: 5,
  hardCapLinks: 8,
  minLinks: 3,
  refillIntervalMs: 30,
  inviteTimeoutMs: 300,
  rescueDelayMs: 60,
  declinedSnoozeMs: 500,
  randomLinks: 2,
  needyHelloMs: 300,
  // The in-memory relay hands a hello to every member, as the real one does in rooms of this size.
  helloRecipients,
};

/** Creates the room; `joined` collects every peer that joins (the test closes them afterwards). */
export function createMeshRoom(keys: RoomKeys, joined: TestRoomPeer[], mesh: Partial<MeshLimits> = smallMesh) {
  const sim = createRoomSimulation(() => joined);
  const relay = createMemoryRelay(sim.clock);
  const webrtc = createFakeWebRtc(sim.clock);
  const join = async (name: string, extra: Parameters<typeof joinTestRoom>[2] extends infer O ? Partial<O> : never = {}) => {
    const peer = await joinTestRoom(keys, name, { buses: [relay.connect], webrtc, mesh, clock: sim.clock, ...extra });
    joined.push(peer);
    return peer;
  };
  const degree = (id: string): number => webrtc.openPairs().filter((pair) => pair.split('|').includes(id)).length;
  /** Whether the open links join all of `ids` into one mesh. */
  const connected = (ids: readonly string[]): boolean => {
    const seen = new Set([ids[0]]);
    const queue = [ids[0]];
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      for (const pair of webrtc.openPairs()) {
        const [a, b] = pair.split('|');
        const next = a === id ? b : b === id ? a : undefined;
        if (next !== undefined && !seen.has(next)) {
          seen.add(next);
          queue.push(next);
        }
      }
    }
    return ids.every((id) => seen.has(id));
  };
  /** Envelopes published so far as [from, to, type], peers by name. */
  const published = (): [string, string, string][] =>
    relay.sent.map((data) => JSON.parse(data) as { from: string; to: string; type: string }).map((e) => [nameOf(e.from), nameOf(e.to), e.type]);
  return { sim, relay, webrtc, join, degree, connected, published };
}
