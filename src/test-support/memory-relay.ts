// An in-memory relay hub and fake WebRTC connector for room-connector tests.
import type { PeerLink } from '../core/ports';
import type { RoomKeys } from '../core/room-keys';
import type { MeshLimits } from '../discovery/mesh';
import { createRoomConnector, type BusFactory, type ConnectPeer, type RoomConnector } from '../discovery/room-connector';
import type { RelayClient, RelayHandlers } from '../discovery/relay-client';
import type { ConnectionBudget } from '../transport/connection-budget';
import { createLinkPair } from './memory-link';

/** Rewrites, drops (null) or duplicates (array) what the relay forwards: a hostile relay. */
export type RelayTamper = (data: string) => string | string[] | null;

/** A pub/sub hub that delivers asynchronously, in order, to every other subscriber. */
export function createMemoryRelay() {
  const members = new Map<string, Set<RelayHandlers>>();
  let tamper: RelayTamper | null = null;
  const connect = (handlers: RelayHandlers): RelayClient => {
    const topics = new Set<string>();
    return {
      subscribe(topic) {
        topics.add(topic);
        const set = members.get(topic) ?? new Set();
        set.add(handlers);
        members.set(topic, set);
        setTimeout(() => handlers.onSubscribed(topic), 0);
      },
      leave(topic) {
        members.get(topic)?.delete(handlers);
      },
      publish(topic, data) {
        if (!topics.has(topic)) return false;
        const outgoing = tamper ? tamper(data) : data;
        const list = outgoing === null ? [] : Array.isArray(outgoing) ? outgoing : [outgoing];
        for (const other of members.get(topic) ?? []) {
          if (other !== handlers) for (const text of list) setTimeout(() => other.onMessage(topic, text), 0);
        }
        return true;
      },
      close() {
        for (const topic of topics) members.get(topic)?.delete(handlers);
      },
    };
  };
  return { connect, setTamper: (t: RelayTamper | null) => (tamper = t) };
}

/** A relay that never connects: it never subscribes and drops everything published. */
export const unreachableRelay: BusFactory = () => ({
  subscribe: () => undefined,
  leave: () => undefined,
  publish: () => false,
  close: () => undefined,
});

/** One side of a fake connection. */
interface FakeEnd {
  readonly onLink: (link: PeerLink) => void;
  readonly onClose: (error?: Error) => void;
  /** The link handed to the connector, and the memory link under it. */
  link: PeerLink | null;
  raw: PeerLink | null;
  ended: boolean;
}

/**
 * Fake WebRTC: the initiator signals an offer; the answerer replies with an answer; when the
 * initiator gets it, both sides get the two ends of a memory link. Closing either link, or
 * destroying either side, ends both sides (as a real connection would). Records each attempt.
 */
export function createFakeWebRtc() {
  const attempts: string[] = [];
  /** The live end of `me` towards `remote`, by "me|remote". */
  const ends = new Map<string, FakeEnd>();
  const key = (me: string, remote: string): string => `${me}|${remote}`;

  const end = (me: string, remote: string, fake: FakeEnd | undefined): void => {
    if (!fake || fake.ended) return;
    fake.ended = true;
    if (ends.get(key(me, remote)) === fake) ends.delete(key(me, remote));
    fake.raw?.close();
    fake.onClose();
  };
  /** Ends a connection on both sides (the remote side hears it a moment later). */
  const hangUp = (me: string, remote: string): void => {
    const other = ends.get(key(remote, me));
    end(me, remote, ends.get(key(me, remote)));
    setTimeout(() => end(remote, me, other), 0);
  };
  const wrap = (me: string, remote: string, link: PeerLink): PeerLink => ({
    peerId: link.peerId,
    send: (frame) => link.send(frame),
    listen: (handlers) => link.listen(handlers),
    close: () => hangUp(me, remote),
  });

  /** The connector of peer `myId`; with a budget, each attempt takes from it, as the transport does. */
  const forPeer =
    (myId: string, budget?: ConnectionBudget): ConnectPeer =>
    (options) => {
      if (budget && !budget.take()) return null;
      const remote = options.remotePeerId;
      attempts.push(`${myId}->${remote}:${options.initiator ? 'offer' : 'answer'}`);
      const fake: FakeEnd = { onLink: options.onLink, onClose: options.onClose, link: null, raw: null, ended: false };
      ends.set(key(myId, remote), fake);
      if (options.initiator) setTimeout(() => !fake.ended && options.onSignal({ type: 'offer', sdp: `from ${myId}` }), 0);
      return {
        signal(data) {
          const signal = data as { type?: string };
          if (fake.ended) return;
          if (signal.type === 'offer' && !options.initiator) {
            options.onSignal({ type: 'answer', sdp: `from ${myId}` });
          } else if (signal.type === 'answer' && options.initiator) {
            const other = ends.get(key(remote, myId));
            if (!other || other.ended) return; // the answerer gave up: a real attempt would time out
            const pair = createLinkPair(myId, remote);
            [fake.raw, other.raw] = [pair.a, pair.b];
            fake.link = wrap(myId, remote, pair.a);
            other.link = wrap(remote, myId, pair.b);
            fake.onLink(fake.link);
            other.onLink(other.link);
          }
        },
        destroy: () => hangUp(myId, remote),
      };
    };

  /** Open connections as sorted "a|b" pairs (a < b). */
  const openPairs = (): string[] => {
    const pairs = new Set<string>();
    for (const [k, fake] of ends) {
      const [me = '', remote = ''] = k.split('|');
      if (fake.link && !fake.ended && ends.get(key(remote, me))?.link) pairs.add(me < remote ? key(me, remote) : key(remote, me));
    }
    return [...pairs].sort();
  };

  return { forPeer, attempts, openPairs, cut: hangUp };
}

/** One test peer in a room: its connector, the links it was given, and the events it logged. */
export interface TestRoomPeer {
  readonly id: string;
  readonly connector: RoomConnector;
  readonly links: PeerLink[];
  readonly events: string[];
}

/** Joins peer `id` to the room of `keys` over `buses`, connecting through the fake WebRTC. */
export function joinTestRoom(
  keys: RoomKeys,
  id: string,
  options: {
    readonly buses: readonly BusFactory[];
    readonly webrtc: ReturnType<typeof createFakeWebRtc>;
    readonly banned?: ReadonlySet<string>;
    readonly mesh?: Partial<MeshLimits>;
    readonly budget?: ConnectionBudget;
  },
): TestRoomPeer {
  const links: PeerLink[] = [];
  const events: string[] = [];
  const connector = createRoomConnector({
    keys,
    myPeerId: id,
    buses: options.buses,
    connectPeer: options.webrtc.forPeer(id, options.budget),
    onLink: (link) => links.push(link),
    isBanned: (peerId) => options.banned?.has(peerId) ?? false,
    log: (event) => events.push(event),
    ...(options.mesh ? { mesh: options.mesh } : {}),
  });
  return { id, connector, links, events };
}
