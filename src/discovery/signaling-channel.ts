// Sealed envelopes over several buses at once (the relay, BroadcastChannel): each envelope is
// published to every bus, in sequence order, and each authentic one is handled once. Per-sender
// sequence numbers drop replays, and the copies that arrive over a second bus.
import type { Logger } from '../core/ports';
import { setRecent } from '../core/recent-map';
import type { RoomKeys } from '../core/room-keys';
import { broadcastRecipient, openEnvelope, peekAddresses, sealEnvelope, type EnvelopeType, type OpenedEnvelope } from './envelope';
import { createKeyRing, type Identity } from './identity';
import type { RelayClient, RelayHandlers } from './relay-client';

/**
 * Opens one message bus (the relay client, a BroadcastChannel bus, an in-memory fake) for the channel
 * of peer `peerId` (a relay client tells the relay, so envelopes addressed to it reach its socket). A
 * bus calls its handlers later, never from inside the factory or `subscribe()`.
 */
export type BusFactory = (handlers: RelayHandlers, peerId: string) => RelayClient;

/** What the channel is built from. */
export interface SignalingChannelOptions {
  readonly keys: RoomKeys;
  /** This tab's signing identity: every envelope it sends is signed, and `from` is its peer id. */
  readonly identity: Identity;
  /** The current time in ms since the epoch (stamped on envelopes, and checked on arrival). */
  readonly now: () => number;
  readonly buses: readonly BusFactory[];
  readonly log: Logger;
  /** An authentic envelope for us, not seen before, from anyone but ourselves. */
  onEnvelope(envelope: OpenedEnvelope): void;
  /** Bus number `bus` (re)subscribed to the room: time to say hello on it. */
  onSubscribed(bus: number): void;
  /** Envelopes addressed to us keep failing authentication: someone (the relay?) is altering or forging them. */
  onForgery?(): void;
  /** A member sent an envelope in another member's name (refused): said once. */
  onMemberForgery?(): void;
}

/** Authentication failures before the person is told: an envelope for us that fails it never happens honestly. */
export const forgeryAlertThreshold = 1;

/**
 * How far an envelope's time may be from ours: devices' clocks drift by seconds to minutes, and a relay
 * replaying the hellos of peers who left gets at most this long (each receiver also drops a sequence
 * number it has seen).
 */
export const maxClockSkewMs = 5 * 60_000;

/** Senders whose last sequence number is kept: each made-up identity a member mints costs one entry, no more. */
export const maxTrackedSenders = 4096;

/** The room's signaling, over every bus. */
export interface SignalingChannel {
  /** Seals and publishes an envelope to every bus, or only to bus number `onlyBus`. */
  send(to: string, type: EnvelopeType, payload: unknown, onlyBus?: number): void;
  /** Envelopes being sealed and published, or received and being opened: 0 when idle. */
  readonly pendingEnvelopes: number;
  close(): void;
}

/** Subscribes to the room on every bus. */
export function openSignalingChannel(options: SignalingChannelOptions): SignalingChannel {
  const { keys, identity, log } = options;
  const myPeerId = identity.peerId;
  const ring = createKeyRing();
  const lastSeqFrom = new Map<string, number>();
  let forgeries = 0;
  let memberForgerySaid = false;
  let seq = 0;
  let closed = false;
  let pending = 0;
  const settled = (): void => void (pending -= 1);
  // Envelopes are published in sequence order (receivers drop a lower sequence as a replay).
  let publishTail: Promise<void> = Promise.resolve();
  // One receive queue for all buses: decryption is async, and sequence numbers must be checked in
  // arrival order. Each bus delivers a sender's envelopes in order, so the copy from the slower bus
  // carries a sequence number already seen and is dropped. (An envelope only the slower bus carried,
  // arriving after a later one, is dropped too: signaling tolerates loss, by re-sent hellos and
  // retried attempts; in practice BroadcastChannel carries every envelope between tabs.)
  let receiveTail: Promise<void> = Promise.resolve();

  const receive = async (data: string): Promise<void> => {
    const { from, to } = peekAddresses(data);
    if (to !== null && to !== myPeerId && to !== broadcastRecipient) return; // another peer's: buses are pub/sub
    if (from === myPeerId) return log('envelope-rejected', { reason: 'our own, reflected back' });
    const opened = await openEnvelope(keys.signalingKey, keys.roomId, data, myPeerId, ring);
    if (opened === null) return; // for another peer
    if ('refused' in opened && opened.refused === 'bad-signature') {
      // Sealed with the room key, so sent by a member: one speaking as another. The relay is not to blame.
      log('envelope-rejected', { reason: 'signed by a key that is not its sender’s' });
      if (!memberForgerySaid) options.onMemberForgery?.();
      memberForgerySaid = true;
      return;
    }
    if (!('envelope' in opened)) {
      forgeries++;
      log('envelope-rejected', { reason: 'not authentic for this room and peer', forgeries });
      if (forgeries === forgeryAlertThreshold) {
        options.onForgery?.();
      }
      return;
    }
    const { envelope } = opened;
    if (Math.abs(options.now() - envelope.ts) > maxClockSkewMs) return log('envelope-rejected', { reason: 'stale', peerId: envelope.from });
    if (envelope.seq <= (lastSeqFrom.get(envelope.from) ?? 0)) return log('envelope-rejected', { reason: 'replayed' });
    setRecent(lastSeqFrom, envelope.from, envelope.seq, maxTrackedSenders); // least recently heard are forgotten first
    if (!closed) options.onEnvelope(envelope);
  };

  const buses = options.buses.map((connect, index) =>
    connect(
      {
        onMessage: (_topic, data) => {
          pending += 1;
          receiveTail = receiveTail
            .then(() => receive(data))
            .catch((error: unknown) => log('relay-message-failed', { error: String(error) }))
            .finally(settled);
        },
        onSubscribed: () => options.onSubscribed(index),
        onNotice: (message) => log('relay-notice', { message }),
      },
      myPeerId,
    ),
  );
  for (const bus of buses) bus.subscribe(keys.roomId);

  return {
    send(to, type, payload, onlyBus) {
      seq += 1;
      pending += 1;
      const sealed = sealEnvelope(keys.signalingKey, keys.roomId, identity, { to, type, seq, ts: Math.floor(options.now()) }, payload);
      publishTail = publishTail
        .then(() => sealed)
        .then(
          (text) => {
            if (closed) return;
            const targets = onlyBus === undefined ? buses : buses.slice(onlyBus, onlyBus + 1);
            let published = false;
            // Addressed envelopes tell the relay their recipient, so it hands them to that socket alone.
            const recipient = to === broadcastRecipient ? undefined : to;
            for (const bus of targets) published = bus.publish(keys.roomId, text, recipient) || published;
            if (!published) log('signal-dropped', { reason: 'no bus connected' });
          },
          (error: unknown) => log('seal-failed', { error: String(error) }),
        )
        .finally(settled);
    },
    get pendingEnvelopes() {
      return pending;
    },
    close() {
      closed = true;
      for (const bus of buses) bus.close();
    },
  };
}
