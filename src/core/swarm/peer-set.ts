// The connected peers: adopting links (no second link to a peer, none to a banned one), the
// PeerRecord factory, dropping a peer (it stops counting and its requests are released everywhere),
// and strikes that end in a ban for the session.
import type { Clock } from '../clock';
import { decodeFrame } from '../protocol/codec';
import type { WireMessage } from '../protocol/messages';
import type { Logger, PeerLink } from '../ports';
import { forgetPeer } from './availability';
import { maxStrikesPerPeer } from './constants';
import { createRateMeter, createWindowRate } from './rate-meter';
import { createRecentRoundTrip, createRoundTripFloor } from './uplink-pacer';
import type { ItemRecord, PeerRecord } from './types';
import type { SwarmEvent } from './view-types';

/** A fresh record for a newly connected peer: nothing known of it yet. */
export function createPeerRecord(link: PeerLink, clock: Clock): PeerRecord {
  return {
    link,
    knownItems: new Set(),
    bitfields: new Map(),
    refused: new Set(),
    avoidUntil: new Map(),
    meter: createRateMeter(clock),
    upSpeed: createWindowRate(clock),
    downSpeed: createWindowRate(clock),
    uploadedBytes: 0,
    downloadedBytes: 0,
    strikes: 0,
    unreliableUntil: 0,
    roundTripFloor: createRoundTripFloor(),
    recentRoundTrip: createRecentRoundTrip(),
    closed: false,
  };
}

/** What the peer set is built over; the callbacks are the other parts of the engine. */
export interface PeerSetDeps {
  readonly peers: Map<string, PeerRecord>;
  /** The items whose availability a departing peer stops counting toward. */
  readonly items: ReadonlyMap<string, ItemRecord>;
  readonly clock: Clock;
  readonly log: Logger;
  emit(event: SwarmEvent): void;
  changed(): void;
  /** A well-formed message from a peer. */
  receive(peer: PeerRecord, message: WireMessage): void;
  /** A peer was adopted: tell it what we hold. */
  greet(peer: PeerRecord): void;
  /** A peer left: withdraw its requests, serves and manifest fetches, and ask others. */
  released(peerId: string): void;
}

/** The peer set. */
export interface PeerSet {
  /** Adopts a connected link; a second link to the same peer, or one to a banned peer, is closed. */
  adopt(link: PeerLink): void;
  /** Counts a protocol offence against a peer; enough of them drop and ban it. */
  strike(peer: PeerRecord, reason: string): void;
  isBanned(peerId: string): boolean;
  bannedPeerIds(): string[];
  /** Closes every link (each close drops its peer). */
  closeAll(reason: string): void;
}

/** Creates the peer set over the shared peer map. */
export function createPeerSet(deps: PeerSetDeps): PeerSet {
  const { peers, log } = deps;
  const banned = new Set<string>();

  const drop = (peer: PeerRecord, error?: Error): void => {
    if (peers.get(peer.link.peerId) !== peer) return;
    peer.closed = true;
    peers.delete(peer.link.peerId);
    forgetPeer(deps.items, peer);
    log('peer-left', { peerId: peer.link.peerId, ...(error ? { error: error.message } : {}) });
    deps.emit({ type: 'peer-left', peerId: peer.link.peerId });
    deps.released(peer.link.peerId);
    deps.changed();
  };

  const api: PeerSet = {
    adopt(link) {
      if (peers.has(link.peerId) || banned.has(link.peerId)) {
        link.close(banned.has(link.peerId) ? 'banned' : 'duplicate link');
        return;
      }
      const peer = createPeerRecord(link, deps.clock);
      peers.set(link.peerId, peer);
      link.listen({
        frame(frame) {
          const message = decodeFrame(frame);
          if (message) deps.receive(peer, message);
          else api.strike(peer, `malformed frame of ${frame.length} bytes`);
        },
        close: (error) => drop(peer, error),
      });
      deps.greet(peer);
      log('peer-joined', { peerId: link.peerId });
      deps.emit({ type: 'peer-joined', peerId: link.peerId });
      deps.changed();
    },
    strike(peer, reason) {
      peer.strikes++;
      log('peer-strike', { peerId: peer.link.peerId, strikes: peer.strikes, reason });
      if (peer.strikes >= maxStrikesPerPeer) {
        banned.add(peer.link.peerId);
        deps.emit({ type: 'peer-banned', peerId: peer.link.peerId, reason });
        peer.link.close(`banned: ${reason}`);
      }
    },
    isBanned: (peerId) => banned.has(peerId),
    bannedPeerIds: () => [...banned],
    closeAll(reason) {
      for (const peer of [...peers.values()]) peer.link.close(reason);
    },
  };
  return api;
}
