// Tabs of one browser find each other over BroadcastChannel, with the same sealed envelopes as the
// relay and the same RelayClient interface, so two tabs swarm even while the relay is down.
import { systemClock, type Clock } from '../core/clock';
import type { RelayClient, RelayHandlers } from './relay-client';

/** Channel name of a topic (the room id, never the secret): one channel per room. */
export const broadcastChannelName = (topic: string): string => `swarmdrop:${topic}`;

/** The part of BroadcastChannel the bus uses (the browser's, Node's, or a fake). */
export interface BroadcastChannelLike {
  onmessage: ((event: MessageEvent) => void) | null;
  onmessageerror: ((event: MessageEvent) => void) | null;
  postMessage(message: unknown): void;
  close(): void;
}

/** Options: the handlers, the channel factory (defaults to the global BroadcastChannel), and the clock. */
export interface BroadcastBusOptions extends RelayHandlers {
  readonly createChannel?: (name: string) => BroadcastChannelLike;
  /** Defers "subscribed" until the caller has finished wiring up (tests pass a manual clock). */
  readonly clock?: Clock;
}

/** Whether this browser has BroadcastChannel (every current engine does; very old Safari did not). */
export const hasBroadcastChannel = (): boolean => typeof BroadcastChannel === 'function';

/** A bus over one BroadcastChannel per subscribed topic. Subscribing succeeds at once (asynchronously). */
export function createBroadcastBus(options: BroadcastBusOptions): RelayClient {
  const createChannel = options.createChannel ?? ((name: string) => new BroadcastChannel(name));
  const clock = options.clock ?? systemClock;
  const channels = new Map<string, BroadcastChannelLike>();
  let closed = false;

  const leave = (topic: string): void => {
    channels.get(topic)?.close();
    channels.delete(topic);
  };

  return {
    subscribe(topic) {
      if (closed || channels.has(topic)) return;
      const channel = createChannel(broadcastChannelName(topic));
      channel.onmessage = (event) => {
        if (typeof event.data === 'string') options.onMessage(topic, event.data);
        else options.onNotice?.('broadcast channel carried a non-text message');
      };
      channel.onmessageerror = () => options.onNotice?.('broadcast channel message could not be read');
      channels.set(topic, channel);
      // Like the relay's "subscribed" frame: after the caller has finished wiring up.
      clock.setTimeout(() => {
        if (channels.get(topic) === channel) options.onSubscribed(topic);
      }, 0);
    },
    leave,
    publish(topic, data) {
      const channel = channels.get(topic);
      if (!channel) return false;
      channel.postMessage(data);
      return true;
    },
    close() {
      closed = true;
      for (const topic of [...channels.keys()]) leave(topic);
    },
  };
}
