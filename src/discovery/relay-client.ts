// The browser's client of the relay (signaling/): topic pub/sub over one WebSocket,
// reconnecting with full-jitter exponential backoff and re-subscribing after each reconnect, and
// asking again, with the same backoff, while the relay says a room is full. Each reconnect goes to
// the next relay of the pool the relays advertise (round robin), so one relay down moves the page on.
import { systemClock, type Clock, type TimerHandle } from '../core/clock';
import type { RelayStatus } from '../core/ports';
import { parseIceServers } from './ice-servers';
import { parseRelayUrls, relayHost, relayRotation } from './relay-urls';

/** First reconnect delay cap: quick enough that a relay restart is barely noticed. */
export const baseBackoffMs = 500;

/** Longest reconnect delay cap: a relay down for minutes is retried twice a minute. */
export const maxBackoffMs = 30_000;

/** Connection state, for the UI and for re-announcing (declared in core: the app reads it too). */
export type { RelayStatus };

/** What the client reports. */
export interface RelayHandlers {
  /** A message another socket published to a topic we joined. */
  onMessage(topic: string, data: string): void;
  /** We are subscribed to `topic` (after each (re)connect): announce yourself now. */
  onSubscribed(topic: string): void;
  onStatus?(status: RelayStatus, detail?: string): void;
  /** Something worth logging that does not change the status (an error frame from the relay). */
  onNotice?(message: string): void;
  /** The relay's ICE servers for this page (sent on connect, and again before TURN credentials expire). */
  onIceServers?(servers: RTCIceServer[]): void;
}

/** The relay as the room connector uses it. */
export interface RelayClient {
  subscribe(topic: string): void;
  leave(topic: string): void;
  /**
   * Publishes now if connected; while disconnected the message is dropped (signaling is re-sent on
   * reconnect). With `to`, the relay delivers it to that peer's socket only; without, to the whole room.
   */
  publish(topic: string, data: string, to?: string): boolean;
  close(): void;
}

/** Options: where the relay is, and injectable parts for tests. */
export interface RelayClientOptions extends RelayHandlers {
  /** This page's own relay: tried first, and first in the failover rotation the relays advertise. */
  readonly url: string;
  /**
   * Our opaque peer id, told to the relay with each subscription so envelopes addressed to us reach
   * this socket only; without it, we receive only what is published to the whole room.
   */
  readonly peerId?: string;
  readonly createSocket?: (url: string) => WebSocket;
  readonly random?: () => number;
  /** Time for the reconnect backoff (tests pass a manual clock). */
  readonly clock?: Clock;
}

/** WebSocket.OPEN, spelled out so the client also runs where no global WebSocket exists (Node tests). */
const socketOpen = 1;

function parseRelayFrame(text: unknown): Record<string, unknown> | null {
  if (typeof text !== 'string') return null;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null; // not JSON: reported by the caller
  }
}

/** Connects to the relay and keeps connecting until closed. */
export function createRelayClient(options: RelayClientOptions): RelayClient {
  const createSocket = options.createSocket ?? ((url: string) => new WebSocket(url));
  const random = options.random ?? Math.random;
  const clock = options.clock ?? systemClock;
  const topics = new Set<string>();
  /** Relays to try, own first; a valid `relays` frame replaces the rest for as long as the client lives. */
  let rotation = [options.url];
  /** Position in `rotation` of the relay in use, or tried next while disconnected. */
  let current = 0;
  let socket: WebSocket | null = null;
  let closed = false;
  /** Topics the relay confirmed on this socket; the others wait for it (a full room is retried). */
  const confirmed = new Set<string>();

  /** Runs `retry` after a full-jitter wait whose cap doubles per attempt, from `baseBackoffMs` to `maxBackoffMs`. */
  const backoff = (retry: () => void) => {
    let attempt = 0;
    let timer: TimerHandle | null = null;
    return {
      schedule(): void {
        if (closed || timer !== null) return;
        const capMs = Math.min(maxBackoffMs, baseBackoffMs * 2 ** attempt);
        attempt = Math.min(attempt + 1, 16);
        timer = clock.setTimeout(() => {
          timer = null;
          retry();
        }, random() * capMs);
      },
      /** It worked: the next wait starts from the shortest again. Whether any retry had been scheduled. */
      reset(): boolean {
        const retried = attempt > 0;
        attempt = 0;
        return retried;
      },
      cancel(): void {
        if (timer !== null) clock.clearTimeout(timer);
        timer = null;
      },
    };
  };
  const reconnect = backoff(() => connect());
  // The room is full at the relay: ask again, with the same backoff as reconnecting, until there is room.
  const resubscribe = backoff(() => {
    for (const topic of topics) if (!confirmed.has(topic)) sendJson(subscribeFrame(topic));
  });

  const subscribeFrame = (topic: string): object =>
    options.peerId === undefined ? { type: 'subscribe', topic } : { type: 'subscribe', topic, peer: options.peerId };

  const sendJson = (frame: object): boolean => {
    if (socket?.readyState !== socketOpen) return false;
    socket.send(JSON.stringify(frame));
    return true;
  };

  /** Moves on to the next relay of the rotation (wrapping) and returns its host, for the status line. */
  const failOver = (): string => {
    current = (current + 1) % rotation.length;
    return relayHost(rotation[current] ?? options.url);
  };

  const onFrame = (data: unknown, senderUrl: string): void => {
    const frame = parseRelayFrame(data);
    if (!frame) return options.onNotice?.('relay sent a malformed frame');
    if (frame.type === 'message' && typeof frame.topic === 'string' && typeof frame.data === 'string') {
      if (topics.has(frame.topic)) options.onMessage(frame.topic, frame.data);
    } else if (frame.type === 'subscribed' && typeof frame.topic === 'string') {
      reconnect.reset();
      if (!topics.has(frame.topic)) return;
      confirmed.add(frame.topic);
      if (resubscribe.reset()) options.onStatus?.('open');
      options.onSubscribed(frame.topic);
    } else if (frame.type === 'error' && frame.code === 'topic-full') {
      options.onStatus?.('room-full', 'the room is full at the relay');
      resubscribe.schedule();
    } else if (frame.type === 'ice-servers') {
      const servers = parseIceServers(frame.iceServers);
      if (servers) options.onIceServers?.(servers);
      else options.onNotice?.('relay sent malformed ICE servers');
    } else if (frame.type === 'relays') {
      const advertised = parseRelayUrls(frame.urls);
      if (!advertised) return options.onNotice?.('relay sent a malformed relay list');
      const next = relayRotation(options.url, advertised, senderUrl);
      rotation = next.urls;
      current = next.senderAt;
    } else if (frame.type === 'error') {
      options.onNotice?.(`relay error: ${String(frame.code)}`);
    }
  };

  const connect = (): void => {
    options.onStatus?.('connecting');
    const url = rotation[current] ?? options.url;
    let ws: WebSocket;
    try {
      ws = createSocket(url);
    } catch (error) {
      options.onStatus?.('closed', `cannot reach the relay: ${String(error)}; trying ${failOver()} next`);
      return reconnect.schedule();
    }
    socket = ws;
    confirmed.clear();
    ws.onopen = () => {
      options.onStatus?.('open');
      for (const topic of topics) sendJson(subscribeFrame(topic));
    };
    ws.onmessage = (event: MessageEvent) => onFrame(event.data, url);
    ws.onclose = (event: CloseEvent) => {
      if (socket !== ws) return;
      socket = null;
      if (closed) return;
      options.onStatus?.('closed', `relay connection closed (${event.code}); trying ${failOver()} next`);
      reconnect.schedule();
    };
    ws.onerror = () => undefined; // always followed by onclose, which reconnects
  };

  connect();
  return {
    subscribe(topic) {
      topics.add(topic);
      sendJson(subscribeFrame(topic));
    },
    leave(topic) {
      topics.delete(topic);
      confirmed.delete(topic);
      sendJson({ type: 'leave', topic });
    },
    publish: (topic, data, to) => sendJson(to === undefined ? { type: 'publish', topic, data } : { type: 'publish', topic, data, to }),
    close() {
      closed = true;
      reconnect.cancel();
      resubscribe.cancel();
      socket?.close(1000, 'bye');
      socket = null;
    },
  };
}
