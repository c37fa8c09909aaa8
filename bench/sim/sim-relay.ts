// The room's relay in the simulation: pub/sub on the simulation clock (delivery at once, 0 ms timers),
// routing an envelope addressed to one peer to that peer's socket only, as the real relay does
// (signaling/). The in-memory relay of the unit tests hands every envelope to every member, and at
// 1,000 members the invites and offers alone made ~100 million deliveries, most of the run's time.
// A room-wide message (a hello) reaches at most maxBroadcastRecipients members drawn at random, as
// on the real relay, with the same draw (signaling/sample.ts) on a seeded random.
import { maxBroadcastRecipients } from '../../signaling/limits';
import { drawDistinct } from '../../signaling/sample';
import type { Clock } from '../../src/core/clock';
import type { RelayClient, RelayHandlers } from '../../src/discovery/relay-client';
import type { BusFactory } from '../../src/discovery/signaling-channel';

/** A relay whose members are found by peer id; `connect` is the BusFactory each connector gets. */
export function createSimRelay(clock: Clock, random: () => number): { readonly connect: BusFactory; readonly published: () => number } {
  /** Members of each topic, by peer id. */
  const topics = new Map<string, Map<string, RelayHandlers>>();
  let published = 0;
  const connect: BusFactory = (handlers, peerId): RelayClient => {
    const joined = new Set<string>();
    const deliver = (to: RelayHandlers, topic: string, data: string): void => void clock.setTimeout(() => to.onMessage(topic, data), 0);
    return {
      subscribe(topic) {
        joined.add(topic);
        const members = topics.get(topic) ?? new Map<string, RelayHandlers>();
        members.set(peerId, handlers);
        topics.set(topic, members);
        clock.setTimeout(() => handlers.onSubscribed(topic), 0);
      },
      leave(topic) {
        joined.delete(topic);
        topics.get(topic)?.delete(peerId);
      },
      publish(topic, data, to) {
        if (!joined.has(topic)) return false;
        published++;
        const members = topics.get(topic);
        if (to !== undefined) {
          const recipient = members?.get(to);
          if (recipient) deliver(recipient, topic, data);
          return true;
        }
        const others = [...(members ?? [])].filter(([id]) => id !== peerId);
        for (const index of drawDistinct(others.length, maxBroadcastRecipients, random)) {
          const other = others[index];
          if (other) deliver(other[1], topic, data);
        }
        return true;
      },
      close() {
        for (const topic of joined) topics.get(topic)?.delete(peerId);
        joined.clear();
      },
    };
  };
  return { connect, published: () => published };
}
