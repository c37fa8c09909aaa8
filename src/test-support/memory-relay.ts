// An in-memory relay hub and fake WebRTC connector for room-connector tests.
import type { PeerLink } from '../core/ports';
import type { ConnectPeer } from '../discovery/room-connector';
import type { RelayClient, RelayHandlers } from '../discovery/relay-client';
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

/**
 * Fake WebRTC: the initiator signals an offer; the answerer replies with an answer; when the
 * initiator gets it, both sides get the two ends of a memory link. Records each attempt.
 */
export function createFakeWebRtc() {
  const attempts: string[] = [];
  /** The answering side's onLink, by "me|remote", waiting for the initiator to finish. */
  const answerers = new Map<string, (link: PeerLink) => void>();
  const forPeer = (myId: string): ConnectPeer => (options) => {
    attempts.push(`${myId}->${options.remotePeerId}:${options.initiator ? 'offer' : 'answer'}`);
    if (options.initiator) setTimeout(() => options.onSignal({ type: 'offer', sdp: `from ${myId}` }), 0);
    else answerers.set(`${myId}|${options.remotePeerId}`, options.onLink);
    return {
      signal(data) {
        const signal = data as { type?: string };
        if (signal.type === 'offer' && !options.initiator) {
          options.onSignal({ type: 'answer', sdp: `from ${myId}` });
        } else if (signal.type === 'answer' && options.initiator) {
          const pair = createLinkPair(myId, options.remotePeerId);
          options.onLink(pair.a);
          answerers.get(`${options.remotePeerId}|${myId}`)?.(pair.b);
        }
      },
      destroy: () => options.onClose(),
    };
  };
  return { forPeer, attempts };
}
