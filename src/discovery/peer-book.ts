// The peers of a room we have heard of, with what they last said: who to invite when we have room.
import { shuffleInPlace } from '../core/shuffle';
import { setRecent } from '../core/recent-map';
import type { HelloPayload, MeshLimits } from './mesh';

/** Most peers remembered: bounds the memory a noisy room member can make us spend. */
export const maxRememberedPeers = 1024;

interface Entry {
  hello: HelloPayload;
  /** It said hello (a signed one): only then is an offer from it taken. */
  greeted: boolean;
  /** Not to be invited before this time (it declined: it is full). */
  snoozedUntil: number;
}

/** The peers we have heard of. */
export interface PeerBook {
  /** Any authentic envelope from a peer: it is here. Hellos also say how linked it is. */
  heard(peerId: string, hello?: HelloPayload): void;
  /** It declined our invite: leave it alone for a while. */
  snooze(peerId: string): void;
  /** It let our invite lapse unanswered: it left. It comes back when it next speaks. */
  forget(peerId: string): void;
  /** Picks up to `count` peers to invite, needy ones first and otherwise at random, skipping `skip`. */
  pick(count: number, skip: (peerId: string) => boolean): string[];
  /** What a peer last reported (a well-linked default if it never said hello). */
  helloOf(peerId: string): HelloPayload;
  /** Whether a hello from the peer came (and it is still remembered). */
  hasHello(peerId: string): boolean;
  /** Peers remembered (for tests and diagnostics). */
  readonly size: number;
}

/** Creates an empty peer book. */
export function createPeerBook(limits: MeshLimits, random: () => number, now: () => number): PeerBook {
  const peers = new Map<string, Entry>();
  const unknown: HelloPayload = { links: limits.minLinks, cap: limits.capLinks };
  return {
    heard(peerId, hello) {
      const known = peers.get(peerId);
      const entry = { hello: hello ?? known?.hello ?? unknown, greeted: hello !== undefined || (known?.greeted ?? false), snoozedUntil: known?.snoozedUntil ?? 0 };
      setRecent(peers, peerId, entry, maxRememberedPeers); // least recently heard are forgotten first
    },
    snooze(peerId) {
      const entry = peers.get(peerId);
      if (entry) entry.snoozedUntil = now() + limits.declinedSnoozeMs;
    },
    forget: (peerId) => void peers.delete(peerId),
    pick(count, skip) {
      const at = now();
      const ready = [...peers].filter(([id, entry]) => entry.snoozedUntil <= at && !skip(id));
      shuffleInPlace(ready, random);
      // Needy peers first; the sort is stable, so the shuffle stays among equals.
      const needy = (entry: Entry): number => Number(entry.hello.links < limits.minLinks);
      ready.sort((a, b) => needy(b[1]) - needy(a[1]));
      return ready.slice(0, Math.max(0, count)).map(([id]) => id);
    },
    helloOf: (peerId) => peers.get(peerId)?.hello ?? unknown,
    hasHello: (peerId) => peers.get(peerId)?.greeted ?? false,
    get size() {
      return peers.size;
    },
  };
}
