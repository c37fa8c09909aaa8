// An in-memory relay hub, BroadcastChannels and fake WebRTC connector for room-connector tests, and
// a driver that runs a room of connectors on a manual clock.
import { drawDistinct } from '../../signaling/sample';
import { seededRandom } from './seeded-random';
import { createTimeRunner } from './fake-time';
import { createManualClock, systemClock, type Clock, type ManualClock } from '../core/clock';
import type { PeerLink } from '../core/ports';
import type { RoomKeys } from '../core/room-keys';
import type { BroadcastChannelLike } from '../discovery/broadcast-bus';
import { createIdentity, type Identity } from '../discovery/identity';
import type { MeshLimits } from '../discovery/mesh';
import { createRoomConnector, type BusFactory, type ConnectPeer, type RoomConnector, type RoomConnectorOptions } from '../discovery/room-connector';
import type { RelayClient, RelayHandlers } from '../discovery/relay-client';
import type { ConnectionBudget } from '../transport/connection-budget';
import { createLinkPair } from './memory-link';

/** Rewrites, drops (null) or duplicates (array) what the relay forwards: a hostile relay. */
export type RelayTamper = (data: string) => string | string[] | null;

/** The real relay's sample of a big room (signaling/limits.ts, maxBroadcastRecipients), when a test wants it. */
export interface RelaySample {
  readonly maxRecipients: number;
  readonly random: () => number;
}

/**
 * A pub/sub hub that delivers asynchronously (0 ms timers on `clock`), in order, to every other
 * subscriber, or (after `setSample`) to a random sample of them as the real relay does with a
 * room-wide message. `sent` keeps every envelope published, as it was sent (before any tampering).
 */
export function createMemoryRelay(clock: Clock = systemClock) {
  const members = new Map<string, Set<RelayHandlers>>();
  const sent: string[] = [];
  let tamper: RelayTamper | null = null;
  let sample: RelaySample | null = null;
  /** Addressed envelopes still go to everyone (the connector drops what is not for it); room-wide ones may be sampled. */
  const recipients = (topic: string, sender: RelayHandlers, roomWide: boolean): RelayHandlers[] => {
    const others = [...(members.get(topic) ?? [])].filter((other) => other !== sender);
    if (sample === null || !roomWide) return others;
    return drawDistinct(others.length, sample.maxRecipients, sample.random).flatMap((i) => others[i] ?? []);
  };
  const connect = (handlers: RelayHandlers): RelayClient => {
    const topics = new Set<string>();
    return {
      subscribe(topic) {
        topics.add(topic);
        const set = members.get(topic) ?? new Set();
        set.add(handlers);
        members.set(topic, set);
        clock.setTimeout(() => handlers.onSubscribed(topic), 0);
      },
      leave(topic) {
        members.get(topic)?.delete(handlers);
      },
      publish(topic, data, to) {
        if (!topics.has(topic)) return false;
        sent.push(data);
        const outgoing = tamper ? tamper(data) : data;
        const list = outgoing === null ? [] : Array.isArray(outgoing) ? outgoing : [outgoing];
        for (const other of recipients(topic, handlers, to === undefined)) {
          for (const text of list) clock.setTimeout(() => other.onMessage(topic, text), 0);
        }
        return true;
      },
      close() {
        for (const topic of topics) members.get(topic)?.delete(handlers);
      },
    };
  };
  return { connect, sent, setTamper: (t: RelayTamper | null) => (tamper = t), setSample: (s: RelaySample | null) => (sample = s) };
}

/**
 * In-memory BroadcastChannels of one browser: a message reaches every other channel of its name
 * open when it was posted (0 ms timers on `clock`), in order, and none that has closed since.
 */
export function createMemoryBroadcastChannels(clock: Clock = systemClock): (name: string) => BroadcastChannelLike {
  const open = new Map<string, Set<BroadcastChannelLike>>();
  return (name) => {
    const group = open.get(name) ?? new Set<BroadcastChannelLike>();
    open.set(name, group);
    const channel: BroadcastChannelLike = {
      onmessage: null,
      onmessageerror: null,
      postMessage(data) {
        for (const other of group) {
          // Only `data` is read from the event.
          if (other !== channel) clock.setTimeout(() => group.has(other) && other.onmessage?.({ data } as MessageEvent), 0);
        }
      },
      close: () => void group.delete(channel),
    };
    group.add(channel);
    return channel;
  };
}

/** Test peers' identities by name, made once per name, and each peer id's name. */
const identitiesByName = new Map<string, Identity>();
const namesById = new Map<string, string>();

/** The identity of the test peer called `name` (peer ids are key-derived, so tests name peers instead). */
export async function testIdentity(name: string): Promise<Identity> {
  const known = identitiesByName.get(name);
  if (known) return known;
  const identity = await createIdentity();
  identitiesByName.set(name, identity);
  namesById.set(identity.peerId, name);
  return identity;
}

/** The peer id of a named test peer (its identity must have been made). */
export function idOf(name: string): string {
  const identity = identitiesByName.get(name);
  if (!identity) throw new Error(`no test identity named ${name}`);
  return identity.peerId;
}

/** The fake WebRTC's record of the offer between two named peers: the one with the smaller id initiates. */
export const offerBetween = (a: string, b: string): string => (idOf(a) < idOf(b) ? `${a}->${b}:offer` : `${b}->${a}:offer`);

/** The name of a test peer's id (the id itself if it is nobody's). */
export const nameOf = (peerId: string): string => namesById.get(peerId) ?? peerId;

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
 * destroying either side, ends both sides (as a real connection would). Records each attempt. With
 * `connectTimeoutMs`, an attempt whose channel has not opened by then ends (a peer that never answers).
 */
export function createFakeWebRtc(clock: Clock = systemClock, { connectTimeoutMs = Infinity } = {}) {
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
    clock.setTimeout(() => end(remote, me, other), 0);
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
      attempts.push(`${nameOf(myId)}->${nameOf(remote)}:${options.initiator ? 'offer' : 'answer'}`);
      const fake: FakeEnd = { onLink: options.onLink, onClose: options.onClose, link: null, raw: null, ended: false };
      ends.set(key(myId, remote), fake);
      // As the transport does: an attempt whose channel never opens ends after the connect timeout.
      if (Number.isFinite(connectTimeoutMs)) clock.setTimeout(() => !fake.link && end(myId, remote, fake), connectTimeoutMs);
      if (options.initiator) clock.setTimeout(() => !fake.ended && options.onSignal({ type: 'offer', sdp: `from ${myId}` }), 0);
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

  /** Open connections as sorted "a|b" pairs of peer names (a < b). */
  const openPairs = (): string[] => {
    const pairs = new Set<string>();
    for (const [k, fake] of ends) {
      const [meId = '', remoteId = ''] = k.split('|');
      const [me, remote] = [nameOf(meId), nameOf(remoteId)];
      if (fake.link && !fake.ended && ends.get(key(remoteId, meId))?.link) pairs.add(me < remote ? key(me, remote) : key(remote, me));
    }
    return [...pairs].sort();
  };

  return { forPeer, attempts, openPairs, cut: (a: string, b: string) => hangUp(idOf(a), idOf(b)) };
}

/** One entry of a connector's log. */
export interface LogEntry {
  readonly event: string;
  readonly fields: Record<string, unknown>;
}

/** One test peer in a room: its connector, the links it was given, and the events it logged (names, and whole entries). */
export interface TestRoomPeer {
  /** Its name in the test, and its key-derived peer id. */
  readonly name: string;
  readonly id: string;
  readonly connector: RoomConnector;
  readonly links: PeerLink[];
  readonly events: string[];
  readonly entries: LogEntry[];
}

/** Joins the peer called `name` to the room of `keys` over `buses`, connecting through the fake WebRTC. */
export async function joinTestRoom(
  keys: RoomKeys,
  name: string,
  options: {
    readonly buses: readonly BusFactory[];
    readonly webrtc: ReturnType<typeof createFakeWebRtc>;
    readonly banned?: ReadonlySet<string>;
    readonly mesh?: Partial<MeshLimits>;
    readonly budget?: ConnectionBudget;
    readonly clock?: Clock;
    /** The name the peer shows, and where the names it hears go (display names). */
    readonly names?: Pick<RoomConnectorOptions, 'displayName' | 'onPeerName'>;
    /** Its random source (default: seeded from its name, so a room test runs the same every time). */
    readonly random?: () => number;
  },
): Promise<TestRoomPeer> {
  const identity = await testIdentity(name);
  const id = identity.peerId;
  const links: PeerLink[] = [];
  const events: string[] = [];
  const entries: LogEntry[] = [];
  const connector = createRoomConnector({
    keys,
    identity,
    buses: options.buses,
    connectPeer: options.webrtc.forPeer(id, options.budget),
    onLink: (link) => links.push(link),
    isBanned: (peerId) => options.banned?.has(peerId) ?? false,
    log: (event, fields = {}) => {
      events.push(event);
      entries.push({ event, fields });
    },
    ...(options.mesh ? { mesh: options.mesh } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    random: options.random ?? seededRandom([...name].reduce((seed, char) => Math.imul(seed, 31) + char.charCodeAt(0), 7)),
    ...options.names,
  });
  return { name, id, connector, links, events, entries };
}

/** Wall-clock ms a room may take to settle before the test fails: signaling is a few ms of crypto. */
const settleLimitMs = 10_000;

/** One turn of the host's event loop: crypto finishes, then this resolves (never fake time). */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Runs a room of connectors on a manual clock, with the in-memory relay, channels and WebRTC on the
 * same clock. Time moves only from timer to timer; in between, the room settles: every message
 * due now is delivered and every envelope is sealed and opened. A settled room does nothing more
 * until time moves, so what has not happened by then will not happen.
 */
export function createRoomSimulation(peers: () => Iterable<TestRoomPeer>, clock: ManualClock = createManualClock()) {
  const busy = (): boolean => [...peers()].some((peer) => peer.connector.pendingEnvelopes > 0);
  /** Delivers and processes everything due now. */
  const settle = async (): Promise<void> => {
    const deadline = Date.now() + settleLimitMs;
    for (;;) {
      if (clock.pending()[0] === 0) clock.advance(0);
      else if (busy()) await nextTurn();
      else return;
      if (Date.now() > deadline) throw new Error(`the room did not settle within ${settleLimitMs} ms`);
    }
  };
  const { runUntil, runFor } = createTimeRunner(clock, settle);
  return { clock, settle, runUntil, runFor };
}
