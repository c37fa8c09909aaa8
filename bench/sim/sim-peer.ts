// One simulated peer: the real engine over a verifying store, joined to the room by the real room
// connector (signed envelopes over the simulated relay, links over the modelled network).
import type { EventClock } from './event-clock';
import type { RoomKeys } from '../../src/core/room-keys';
import type { Identity } from '../../src/discovery/identity';
import { createRoomConnector, type RoomConnector } from '../../src/discovery/room-connector';
import type { BusFactory } from '../../src/discovery/signaling-channel';
import { createSwarm, type Swarm } from '../../src/core/swarm/engine';
import type { SwarmEvent } from '../../src/core/swarm/view-types';
import { seededRandom } from '../../src/test-support/seeded-random';
import { createSimStore, type SimItem, type SimStore } from './content';
import type { HostCapacity, Network } from './network';
import { createLinkTap, emptyCounters, type PeerCounters } from './peer-metrics';
import type { Quiescence } from './quiescence';
import type { createSimWebRtc } from './sim-webrtc';

/** What every peer of a room shares. */
export interface RoomContext {
  readonly clock: EventClock;
  readonly network: Network;
  readonly quiescence: Quiescence;
  readonly webrtc: ReturnType<typeof createSimWebRtc>;
  readonly relay: BusFactory;
  readonly keys: RoomKeys;
  readonly item: SimItem;
  readonly seed: number;
  /** Engine and connector log lines, counted by name. */
  readonly logCounts: Map<string, number>;
}

/** A peer's part, as the runner sees it. */
export interface SimPeer {
  readonly index: number;
  readonly identity: Identity;
  readonly sharer: boolean;
  readonly capacity: HostCapacity;
  readonly counters: PeerCounters;
  readonly store: SimStore;
  readonly joinedMs: number;
  firstPieceMs: number | null;
  completedMs: number | null;
  leftMs: number | null;
  readonly swarm: Swarm;
  readonly connector: RoomConnector;
}

/** Joins a peer to the room now; `onEvent` hears its engine's events. */
export function joinPeer(
  room: RoomContext,
  spec: { readonly index: number; readonly identity: Identity; readonly sharer: boolean; readonly capacity: HostCapacity; readonly accessLatencyMs: number },
  onEvent: (peer: SimPeer, event: SwarmEvent) => void,
): SimPeer {
  const { clock, item } = room;
  const log = (event: string): void => void room.logCounts.set(event, (room.logCounts.get(event) ?? 0) + 1);
  const counters = emptyCounters();
  const store = createSimStore(item, spec.sharer);
  const swarm = createSwarm({ store: room.quiescence.countStore(store), clock, random: seededRandom(room.seed * 7919 + spec.index), log });
  const host = room.network.addHost(spec.capacity);
  const layout = item.signed.manifest.layout;
  const connectPeer = room.webrtc.join({
    peerId: spec.identity.peerId,
    host,
    accessLatencyMs: spec.accessLatencyMs,
    tap: () => createLinkTap(counters, layout),
  });
  const connector = createRoomConnector({
    keys: room.keys,
    identity: spec.identity,
    buses: [room.relay],
    connectPeer,
    onLink: (link) => swarm.addLink(link),
    isBanned: (peerId) => swarm.isBanned(peerId),
    log,
    random: seededRandom(room.seed * 104_729 + spec.index),
    clock,
  });
  const peer: SimPeer = {
    index: spec.index,
    identity: spec.identity,
    sharer: spec.sharer,
    capacity: spec.capacity,
    counters,
    store,
    joinedMs: clock.now(),
    firstPieceMs: null,
    completedMs: null,
    leftMs: null,
    swarm,
    connector,
  };
  swarm.events.subscribe((event) => {
    if (event.type === 'chunk-stored') peer.firstPieceMs ??= clock.now();
    if (event.type === 'item-completed') peer.completedMs ??= clock.now();
    onEvent(peer, event);
  });
  if (spec.sharer) swarm.shareItem(item.signed);
  return peer;
}

/** The peer leaves the room: its connector stops and its engine is destroyed (its links close). */
export function leavePeer(room: RoomContext, peer: SimPeer): void {
  if (peer.leftMs !== null) return;
  peer.leftMs = room.clock.now();
  peer.connector.close();
  peer.swarm.destroy();
}
