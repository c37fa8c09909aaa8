// How many WebRTC links a peer keeps, and whom it links to. Small rooms are a full mesh; past the
// cap each peer keeps a random partial mesh that stays connected: full peers still take in "needy"
// peers (fewer than the minimum links), and a peer that loses a link invites a random peer it has
// heard of (needy ones first) to fill the gap. The rules here are pure; room-connector.ts runs them.
import { parseDisplayName } from '../core/display-name';

/** Links a peer aims for: a full mesh up to here; each link costs CPU, memory and an RTCPeerConnection. */
export const meshCapBaseLinks = 24;

/** Random extra links (0 to this) chosen once per tab, so big rooms do not all fill at one size. */
export const meshCapJitterLinks = 6;

/** A peer with fewer links than this is needy: full peers still accept it, so newcomers are never isolated. */
export const minLinksPerPeer = 3;

/** How far past its cap a peer goes to take in needy peers: bounds what a stream of newcomers can add. */
export const hardCapExtraLinks = 6;

/** Pause between refill rounds while below the cap: lazy, a few invites per round, never a storm. */
export const refillIntervalMs = 5_000;

/** Invites sent per refill round at most (fewer if fewer links are missing). */
export const refillInvitesPerRound = 2;

/** An invite holds a link slot this long unanswered: a relay round trip takes well under a second. */
export const inviteTimeoutMs = 10_000;

/**
 * A full peer waits this long before inviting a needy newcomer to a rescue link, so that invites
 * from peers with room land first (the newcomer takes rescue links only while it is needy): a relay
 * round trip is well under this.
 */
export const rescueDelayMs = 1_500;

/**
 * Members a broadcast hello reaches at most, drawn at random by the relay: the page's copy of
 * `maxBroadcastRecipients` in signaling/limits.ts (the page does not import the relay; mesh.test.ts
 * checks that the two agree). Well above the hard link cap, so a hello still finds more peers with
 * room than a tab can link to.
 */
export const helloRecipients = 64;

/**
 * Full peers that rescue one needy peer's broadcast hello, on average: each that hears it does so
 * with the chance this many over the peers the hello reached (rescueChance). Twice the minimum gets a
 * newcomer its links at once; in a room of 1,000, "every full peer rescues" meant 999 invites, all
 * but a few then declined by the newcomer, far past the relay's per-socket rate limit.
 */
export const rescuersPerNeedyPeer = 2 * minLinksPerPeer;

/**
 * A needy peer with nobody left to invite says hello to the room again after this long, doubling up
 * to `maxNeedyHelloMs`: rescuers are drawn by chance, so now and then too few are. Each such hello
 * reaches another random sample of the room (helloRecipients) and costs its members an ECDSA verify
 * each, hence rare.
 */
export const needyHelloMs = 10_000;

/** The longest wait between a needy peer's hellos (a peer alone in a room stays this quiet). */
export const maxNeedyHelloMs = 160_000;

/** A peer that declined our invite (it is full) is not invited again for this long: links change slowly. */
export const declinedSnoozeMs = 60_000;

/**
 * The last links below the cap go to peers drawn at random from all we have heard of, not to
 * whoever spoke first: in a crowd everyone hears the same first few, and random links are what
 * keep a partial mesh in one piece.
 */
export const randomLinkSlots = 2;

/** Largest link count a hello may claim: anything above is malformed (the hard cap is far below). */
const maxClaimedLinks = 10_000;

/** The limits of one tab (tests shrink them). */
export interface MeshLimits {
  /** Stop accepting ordinary links here. */
  readonly capLinks: number;
  /** Never go past this, not even for needy peers. */
  readonly hardCapLinks: number;
  /** Fewer links than this makes a peer needy. */
  readonly minLinks: number;
  readonly refillIntervalMs: number;
  readonly inviteTimeoutMs: number;
  readonly rescueDelayMs: number;
  readonly declinedSnoozeMs: number;
  /** Links below the cap kept for random invites (see randomLinkSlots). */
  readonly randomLinks: number;
  /** First wait before a needy peer with nobody to invite says hello to the room again (see needyHelloMs). */
  readonly needyHelloMs: number;
  /** Members one broadcast hello reaches at most: the relay's sample (see helloRecipients). */
  readonly helloRecipients: number;
}

/** This tab's limits: the base cap plus its own random jitter, drawn once. */
export function createMeshLimits(random: () => number, overrides: Partial<MeshLimits> = {}): MeshLimits {
  const capLinks = overrides.capLinks ?? meshCapBaseLinks + Math.floor(random() * (meshCapJitterLinks + 1));
  return {
    capLinks,
    hardCapLinks: capLinks + hardCapExtraLinks,
    minLinks: minLinksPerPeer,
    refillIntervalMs,
    inviteTimeoutMs,
    rescueDelayMs,
    declinedSnoozeMs,
    randomLinks: randomLinkSlots,
    needyHelloMs,
    helloRecipients,
    ...overrides,
  };
}

/**
 * The payload of a hello (sealed like every payload): the sender's links (open, being set up, or
 * held for an invite) and its cap. `busy` marks a reply that declines an invite. `name` is the name
 * its person chose to show the room (core/display-name.ts), absent when they chose none.
 */
export interface HelloPayload {
  readonly links: number;
  readonly cap: number;
  readonly busy?: true;
  readonly name?: string;
}

/** Parses a hello's payload; null if malformed. A bad `name` alone is dropped: the hello still counts. */
export function parseHello(payload: unknown): HelloPayload | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const { links, cap, busy, name } = payload as Record<string, unknown>;
  const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 && n <= maxClaimedLinks;
  if (!isCount(links) || !isCount(cap) || cap === 0 || (busy !== undefined && busy !== true)) return null;
  const shown = parseDisplayName(name);
  return { links, cap, ...(busy ? { busy } : {}), ...(shown === null ? {} : { name: shown }) };
}

/**
 * Why a link (or the invite that holds its slot) exists: `ordinary` ones answer others (first
 * come, first served, up to the cap less the random slots); `random` ones we chose ourselves from
 * the peers we heard of; `rescue` ones go past the cap, up to the hard cap, for a needy peer.
 */
export type LinkKind = 'ordinary' | 'random' | 'rescue';

/** A peer's links by kind (open, being set up, or held for an invite). */
export interface LinkCounts {
  readonly total: number;
  readonly ordinary: number;
}

/**
 * The kind of link to make with a peer that reported `them` (its links apart from any slot it holds
 * for us), or null if none. A peer at its cap offers or takes a link only to rescue a needy peer,
 * so a newcomer to a full room takes rescue links only until it has the minimum, and the room's
 * spare room past the caps is not used up by a stream of newcomers.
 */
export function linkKindFor(limits: MeshLimits, mine: LinkCounts, them: HelloPayload): LinkKind | null {
  if (mine.total >= limits.hardCapLinks) return null;
  const roomThere = them.links < them.cap || mine.total < limits.minLinks;
  const ordinaryRoom = mine.ordinary < limits.capLinks - limits.randomLinks && mine.total < limits.capLinks;
  if (roomThere && ordinaryRoom) return 'ordinary';
  return them.links < limits.minLinks ? 'rescue' : null;
}

/**
 * The chance that a full peer, having heard of `peersHeard` peers, rescues a needy peer's broadcast
 * (see rescuersPerNeedyPeer). The hello reached about as many peers as we heard of, but never more
 * than the relay's sample (`reach`: helloRecipients), so that is what the rescuers are shared among.
 */
export function rescueChance(peersHeard: number, reach: number): number {
  return Math.min(1, rescuersPerNeedyPeer / Math.max(1, Math.min(peersHeard, reach)));
}
