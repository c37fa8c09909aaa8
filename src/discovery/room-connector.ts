// Finds the other peers of a room and sets up a WebRTC connection to each, up to the mesh cap
// (mesh.ts), over every signaling bus at once (signaling-channel.ts).
//
// A broadcast hello asks "who has room?". A peer with room answers with an addressed hello, an
// invite that holds a link slot for a while. A peer that gets an invite and has room too either
// initiates (if its id is the smaller: glare is resolved by id) or invites back, so the smaller id
// initiates; without room it declines (a busy hello), so the inviter frees the slot at once. A link
// forms only when both sides agreed, so no connection is started only to be refused. Below its cap
// a peer keeps inviting peers it has heard of, needy ones first, otherwise at random: these random
// links are what keep a partial mesh in one piece when a crowd all hears the same first few.
import { systemClock, type Clock, type TimerHandle } from '../core/clock';
import type { Logger, PeerLink } from '../core/ports';
import type { RoomKeys } from '../core/room-keys';
import { broadcastRecipient, type OpenedEnvelope } from './envelope';
import { budgetRetryMs, isOffer, type ConnectPeer, type PeerConnection } from './connect-peer';
import type { Identity } from './identity';
import { createAttemptGuard } from './attempt-guard';
import {
  createMeshLimits,
  linkKindFor,
  parseHello,
  refillInvitesPerRound,
  rescueChance,
  type HelloPayload,
  type LinkCounts,
  type LinkKind,
  type MeshLimits,
} from './mesh';
import { createPeerBook } from './peer-book';
import { createNeedyHello } from './needy-hello';
import { createReplyBudget } from './reply-budget';
import { openSignalingChannel, type BusFactory } from './signaling-channel';

export type { BusFactory } from './signaling-channel';

export type { ConnectPeer, PeerConnection } from './connect-peer';

/** What the connector is built from. */
export interface RoomConnectorOptions {
  readonly keys: RoomKeys;
  /** This tab's signing identity; its peer id is ours in the room. */
  readonly identity: Identity;
  /** Where envelopes travel (the relay, BroadcastChannel): each goes out on all; any may deliver it. */
  readonly buses: readonly BusFactory[];
  readonly connectPeer: ConnectPeer;
  /** A data channel to a room peer is open. */
  readonly onLink: (link: PeerLink) => void;
  readonly isBanned: (peerId: string) => boolean;
  readonly log: Logger;
  /** Signaling is being tampered with (see signaling-channel.ts): tell the person. */
  readonly onForgery?: () => void;
  /** A member sent an envelope in another member's name (refused): tell the person, once. */
  readonly onMemberForgery?: () => void;
  /** The name this tab shows the room, read for each hello it sends (null: none). */
  readonly displayName?: () => string | null;
  /** A peer's signed hello said the name it shows (null: none, or one that did not fit). */
  readonly onPeerName?: (peerId: string, name: string | null) => void;
  /** Mesh limits to override (tests use small rooms). */
  readonly mesh?: Partial<MeshLimits>;
  readonly random?: () => number;
  /** Time for invites, refills and rescues (tests pass a manual clock). */
  readonly clock?: Clock;
}

/** A running room membership. */
export interface RoomConnector {
  /** Connections being set up or open. */
  readonly linkCount: number;
  /** Envelopes being sealed or opened: 0 when signaling is idle (tests wait for it). */
  readonly pendingEnvelopes: number;
  /** This tab's mesh limits (its cap includes its random jitter). */
  readonly limits: MeshLimits;
  /** Says hello to the room again and to each linked peer (the relay's sample may miss it), so they hear what changed (a new display name). */
  announce(): void;
  close(): void;
}

/** Joins the room on every bus and connects to the peers that appear, up to the mesh cap. */
export function createRoomConnector(options: RoomConnectorOptions): RoomConnector {
  const { log } = options;
  const myPeerId = options.identity.peerId;
  const random = options.random ?? Math.random;
  const clock = options.clock ?? systemClock;
  const now = (): number => clock.now();
  const limits = createMeshLimits(random, options.mesh);
  const book = createPeerBook(limits, random, now);
  const guard = createAttemptGuard(now);
  const attempts = new Map<string, PeerConnection>();
  /** Peers whose data channel is open (the rest of `attempts` are still connecting). */
  const opened = new Set<string>();
  /** Invites we sent, by peer, with when they lapse: each holds a link slot until taken up. */
  const invites = new Map<string, number>();
  /** Why each attempt or invite exists. */
  const kinds = new Map<string, LinkKind>();
  let closed = false;
  /** The transport refused a connection (the tab's budget is spent): no inviting until then. */
  let pausedUntil = -Infinity;
  const exhausted = (): boolean => now() < pausedUntil;
  let refillTimer: TimerHandle | null = null;
  let refillAt = Infinity;
  /** Rescue invites waiting for their delay, by peer. */
  const rescues = new Map<string, TimerHandle>();
  /** Declines we may still send: past them an invite lapses unanswered (reply-budget.ts). */
  const declines = createReplyBudget(now);
  /** While needy with nobody to invite: when to say hello to the room again. */
  const needyHello = createNeedyHello(limits.needyHelloMs, now);

  /** Links open, being set up, or promised by an invite. */
  const load = (): number => attempts.size + invites.size;
  const counts = (): LinkCounts => ({ total: load(), ordinary: [...kinds.values()].filter((k) => k === 'ordinary').length });
  const dropInvite = (peerId: string): boolean => {
    if (!invites.delete(peerId)) return false;
    if (!attempts.has(peerId)) kinds.delete(peerId);
    return true;
  };
  const jittered = (ms: number): number => ms * (0.5 + random());

  const sayHello = (to: string, onlyBus?: number, busy = false): void => {
    const name = options.displayName?.() ?? null;
    const payload: HelloPayload = { links: load(), cap: limits.capLinks, ...(busy ? { busy } : {}), ...(name === null ? {} : { name }) };
    if (!exhausted()) channel.send(to, 'hello', payload, onlyBus); // once spent, inviting would waste others' connections
  };

  const scheduleRefill = (delayMs: number): void => {
    if (closed || exhausted() || now() + delayMs >= refillAt) return;
    if (refillTimer !== null) clock.clearTimeout(refillTimer);
    refillAt = now() + delayMs;
    refillTimer = clock.setTimeout(refill, delayMs);
  };

  const invite = (to: string, kind: LinkKind): void => {
    invites.set(to, now() + limits.inviteTimeoutMs);
    kinds.set(to, kind);
    sayHello(to);
    scheduleRefill(jittered(limits.refillIntervalMs)); // to notice if it lapses
  };

  /** Below the cap: invite a few peers we have heard of but are not linked to, and come back later. */
  function refill(): void {
    refillTimer = null;
    refillAt = Infinity;
    if (closed || exhausted()) return;
    // Lapsed invites: the peer left (one that is full says so). Forget it until it speaks again.
    for (const [id, until] of invites) {
      if (until > now()) continue;
      dropInvite(id);
      book.forget(id);
    }
    const missing = limits.capLinks - load();
    const skip = (id: string): boolean => attempts.has(id) || invites.has(id) || options.isBanned(id) || guard.refusal(id) !== null;
    const chosen = missing > 0 ? book.pick(Math.min(missing, refillInvitesPerRound), skip) : [];
    if (chosen.length > 0) log('mesh-refill', { invited: chosen.length, links: load() });
    for (const id of chosen) invite(id, 'random');
    if (needyHello.due(load() >= limits.minLinks ? 'linked' : invites.size > 0 ? 'waiting' : 'alone')) {
      log('needy-hello', { links: load() });
      sayHello(broadcastRecipient);
    }
    // Full and nothing pending: a closing link or a declined invite schedules the next round.
    if (missing > 0 || invites.size > 0) scheduleRefill(jittered(limits.refillIntervalMs));
  }

  const connectTo = (remote: string, initiator: boolean, kind: LinkKind): PeerConnection | null => {
    if (exhausted()) return null;
    invites.delete(remote);
    kinds.set(remote, kind);
    guard.started(remote);
    let attempt: PeerConnection | null = null;
    let endedEarly = false;
    try {
      attempt = options.connectPeer({
        remotePeerId: remote,
        initiator,
        onSignal: (data) => channel.send(remote, 'signal', data),
        onLink: (link) => {
          opened.add(remote);
          guard.opened(remote);
          log('link-open', { peerId: remote });
          options.onLink(link);
        },
        onClose: (error) => {
          if (attempt === null) endedEarly = true;
          if (attempt === null || attempts.get(remote) !== attempt) return;
          if (!opened.has(remote)) guard.failed(remote); // counts against that peer, not against every future link
          attempts.delete(remote);
          opened.delete(remote);
          kinds.delete(remote);
          log('link-closed', { peerId: remote, ...(error ? { error: error.message } : {}) });
          scheduleRefill(0);
        },
      });
    } catch (error) {
      kinds.delete(remote);
      log('connect-failed', { peerId: remote, error: String(error) });
      return null;
    }
    if (attempt === null) {
      // Closed connections come back to the budget as the browser reclaims them: try again later.
      pausedUntil = now() + budgetRetryMs;
      clock.setTimeout(() => scheduleRefill(0), budgetRetryMs);
      invites.clear();
      kinds.clear();
      log('connect-refused', { peerId: remote, reason: 'connection budget spent' });
      return null;
    }
    if (endedEarly) kinds.delete(remote);
    else attempts.set(remote, attempt);
    return attempt;
  };

  /**
   * The kind of link to make with `from`, or null to decline. A peer we invited that answers yes
   * takes up the slot we hold, except a rescue slot once it is no longer needy (in a crowd joining
   * at once, every first hello claims 0 links; the answers tell the truth).
   */
  const kindFor = (from: string, hello: HelloPayload, theyInvited: boolean): LinkKind | null => {
    // An invite's count includes the slot it holds for us.
    const theirs = theyInvited ? { ...hello, links: Math.max(0, hello.links - 1) } : hello;
    const held = invites.has(from) ? kinds.get(from) : undefined;
    if (held === 'ordinary' || held === 'random') return held;
    if (held === 'rescue') dropInvite(from); // judged afresh below, without the slot it held
    return linkKindFor(limits, counts(), theirs);
  };

  /** Says no to a peer that invited us or sent an offer: it frees its slot (and drops its attempt) at once, unless the budget is spent. */
  const decline = (to: string, event: string): void => {
    dropInvite(to);
    const answered = declines.take();
    if (answered) sayHello(to, undefined, true);
    log(event, { peerId: to, links: load(), ...(answered ? {} : { unanswered: true }) });
  };

  const onHello = (from: string, hello: HelloPayload, addressed: boolean): void => {
    if (hello.busy) {
      // It declined: free the slot, drop an attempt not yet open, leave it alone a while, invite another.
      if (dropInvite(from)) scheduleRefill(jittered(limits.refillIntervalMs) / 10);
      if (!opened.has(from)) attempts.get(from)?.destroy('declined');
      return book.snooze(from);
    }
    if (attempts.has(from)) return;
    const kind = kindFor(from, hello, addressed);
    if (!kind) {
      // Broadcasts get no answer: a full room would reply to every newcomer with a storm.
      if (addressed) return decline(from, 'hello-declined');
      return log('hello-declined', { peerId: from, links: load() });
    }
    const refusal = guard.refusal(from);
    if (refusal) return log('hello-refused', { peerId: from, reason: refusal });
    // An invite to the smaller id is taken up at once; otherwise invite (back), and the smaller id initiates.
    if (addressed && myPeerId < from) connectTo(from, true, kind);
    else if (addressed || kind !== 'rescue') invite(from, kind);
    // A needy peer's broadcast reached the full peers of the relay's sample: a few of them, drawn by chance, rescue it.
    else if (!rescues.has(from) && random() < rescueChance(book.size, limits.helloRecipients)) rescues.set(from, clock.setTimeout(() => rescue(from), limits.rescueDelayMs));
  };

  /** A needy peer's broadcast, a while later: invite it if it is still needy, as far as we know, and we still can. */
  const rescue = (peerId: string): void => {
    rescues.delete(peerId);
    if (closed || attempts.has(peerId) || invites.has(peerId) || options.isBanned(peerId)) return;
    const kind = linkKindFor(limits, counts(), book.helloOf(peerId));
    if (kind) invite(peerId, kind);
  };

  const onSignal = (from: string, payload: unknown): void => {
    const existing = attempts.get(from);
    if (existing) return existing.signal(payload);
    // Only the larger id answers, and only a fresh offer (not a stray candidate of an ended attempt),
    // from a peer that said hello and has not spent its allowance of attempts.
    if (myPeerId < from || !isOffer(payload)) return;
    const refusal = book.hasHello(from) ? guard.refusal(from) : 'it never said hello';
    if (refusal) return log('offer-refused', { peerId: from, reason: refusal });
    // An offer takes up our invite; an uninvited one needs room on both sides.
    const kind = invites.has(from) ? kinds.get(from) : linkKindFor(limits, counts(), book.helloOf(from));
    if (!kind) return decline(from, 'offer-declined');
    connectTo(from, false, kind)?.signal(payload);
  };

  const onEnvelope = (envelope: OpenedEnvelope): void => {
    if (closed) return;
    if (options.isBanned(envelope.from)) return log('envelope-refused', { peerId: envelope.from, reason: 'banned' });
    if (envelope.type === 'signal') {
      book.heard(envelope.from);
      return onSignal(envelope.from, envelope.payload);
    }
    const hello = parseHello(envelope.payload);
    if (!hello) return log('envelope-rejected', { reason: 'malformed hello' });
    book.heard(envelope.from, { links: hello.links, cap: hello.cap });
    options.onPeerName?.(envelope.from, hello.name ?? null);
    onHello(envelope.from, hello, envelope.to !== broadcastRecipient);
  };

  const channel = openSignalingChannel({
    keys: options.keys,
    identity: options.identity,
    now,
    buses: options.buses,
    log,
    onEnvelope,
    ...(options.onForgery ? { onForgery: options.onForgery } : {}),
    ...(options.onMemberForgery ? { onMemberForgery: options.onMemberForgery } : {}),
    // Announce ourselves on the bus that just (re)subscribed; the others already carried our hello.
    // A refill follows, so a tab that nobody answered (a full room) comes back to say hello again.
    onSubscribed: (bus) => (sayHello(broadcastRecipient, bus), scheduleRefill(limits.needyHelloMs)),
  });

  return {
    get linkCount() {
      return attempts.size;
    },
    get pendingEnvelopes() {
      return channel.pendingEnvelopes;
    },
    limits,
    announce() {
      if (closed) return;
      sayHello(broadcastRecipient);
      // In a room bigger than the relay's sample the broadcast misses most links; to a linked peer an addressed hello is no invite.
      for (const peerId of opened) sayHello(peerId);
    },
    close() {
      closed = true;
      if (refillTimer !== null) clock.clearTimeout(refillTimer);
      for (const timer of rescues.values()) clock.clearTimeout(timer);
      channel.close();
      for (const attempt of attempts.values()) attempt.destroy('left the room');
      attempts.clear();
      opened.clear();
      invites.clear();
      kinds.clear();
    },
  };
}
