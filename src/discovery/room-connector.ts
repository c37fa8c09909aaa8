// Finds the other peers of a room through the relay and sets up a WebRTC connection to each.
// Glare: of two peers, only the one with the smaller id initiates; the other answers a hello
// with a hello addressed to it. Every envelope is sealed (envelope.ts); replays are dropped.
import type { Logger, PeerLink } from '../core/ports';
import type { RoomKeys } from '../core/room-keys';
import { broadcastRecipient, openEnvelope, sealEnvelope, type EnvelopeType } from './envelope';
import type { RelayClient, RelayHandlers } from './relay-client';

/** How the connector starts one WebRTC connection (the transport, injected by main.tsx). */
export type ConnectPeer = (options: {
  remotePeerId: string;
  initiator: boolean;
  onSignal(data: object): void;
  onLink(link: PeerLink): void;
  onClose(error?: Error): void;
}) => { signal(data: unknown): void; destroy(reason?: string): void };

/** What the connector is built from. */
export interface RoomConnectorOptions {
  readonly keys: RoomKeys;
  readonly myPeerId: string;
  readonly connectRelay: (handlers: RelayHandlers) => RelayClient;
  readonly connectPeer: ConnectPeer;
  /** A data channel to a room peer is open. */
  readonly onLink: (link: PeerLink) => void;
  readonly isBanned: (peerId: string) => boolean;
  readonly log: Logger;
  readonly onRelayStatus?: RelayHandlers['onStatus'];
}

/** A running room membership. */
export interface RoomConnector {
  close(): void;
}

/** Joins the room's relay topic and connects to every peer that appears. */
export function createRoomConnector(options: RoomConnectorOptions): RoomConnector {
  const { keys, myPeerId, log } = options;
  const attempts = new Map<string, ReturnType<ConnectPeer>>();
  const lastSeqFrom = new Map<string, number>();
  let seq = 0;
  let closed = false;
  // Envelopes are published in sequence order (receivers drop a lower sequence as a replay).
  let publishTail: Promise<void> = Promise.resolve();
  let receiveTail: Promise<void> = Promise.resolve();

  const send = (to: string, type: EnvelopeType, payload: unknown): void => {
    seq += 1;
    const sealed = sealEnvelope(keys.signalingKey, keys.roomId, { from: myPeerId, to, type, seq }, payload);
    publishTail = publishTail
      .then(() => sealed)
      .then(
        (text) => {
          if (!closed && !relay.publish(keys.roomId, text)) log('signal-dropped', { reason: 'relay not connected' });
        },
        (error: unknown) => log('seal-failed', { error: String(error) }),
      );
  };

  const connectTo = (remote: string, initiator: boolean): ReturnType<ConnectPeer> => {
    const attempt = options.connectPeer({
      remotePeerId: remote,
      initiator,
      onSignal: (data) => send(remote, 'signal', data),
      onLink: (link) => {
        log('link-open', { peerId: remote });
        options.onLink(link);
      },
      onClose: (error) => {
        if (attempts.get(remote) !== attempt) return;
        attempts.delete(remote);
        log('link-closed', { peerId: remote, ...(error ? { error: error.message } : {}) });
        // Ask again: if the peer is still here, the smaller id re-initiates.
        if (!closed && !options.isBanned(remote)) send(remote, 'hello', {});
      },
    });
    attempts.set(remote, attempt);
    return attempt;
  };

  const onHello = (from: string): void => {
    if (attempts.has(from)) return;
    if (myPeerId < from) connectTo(from, true);
    else send(from, 'hello', {}); // tell the smaller id we are here, so it initiates
  };

  const onSignal = (from: string, payload: unknown): void => {
    const existing = attempts.get(from);
    if (existing) return existing.signal(payload);
    // Only the larger id answers an offer it did not start; the smaller one initiates itself.
    if (myPeerId > from) connectTo(from, false).signal(payload);
  };

  const onRelayMessage = async (data: string): Promise<void> => {
    const envelope = await openEnvelope(keys.signalingKey, keys.roomId, data, myPeerId);
    if (!envelope) return log('envelope-rejected', { reason: 'not authentic for this room and peer' });
    if (envelope.seq <= (lastSeqFrom.get(envelope.from) ?? 0)) return log('envelope-rejected', { reason: 'replayed' });
    lastSeqFrom.set(envelope.from, envelope.seq);
    if (closed || options.isBanned(envelope.from)) return;
    if (envelope.type === 'hello') onHello(envelope.from);
    else onSignal(envelope.from, envelope.payload);
  };

  const relay = options.connectRelay({
    onMessage: (_topic, data) => {
      // One at a time, in arrival order: decryption is async and sequence numbers must be seen in order.
      receiveTail = receiveTail
        .then(() => onRelayMessage(data))
        .catch((error: unknown) => log('relay-message-failed', { error: String(error) }));
    },
    onSubscribed: () => send(broadcastRecipient, 'hello', {}),
    onStatus: (status, detail) => options.onRelayStatus?.(status, detail),
    onNotice: (message) => log('relay-notice', { message }),
  });
  relay.subscribe(keys.roomId);

  return {
    close() {
      closed = true;
      relay.close();
      for (const attempt of attempts.values()) attempt.destroy('left the room');
      attempts.clear();
    },
  };
}
