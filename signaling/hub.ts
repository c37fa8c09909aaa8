// The relay's pub/sub core: per-socket state, frame dispatch, strikes, liveness and fan-out.
import type { RawData, WebSocket } from 'ws';
import type { IceOffer } from './ice-servers.js';
import type { RelayLimits } from './limits.js';
import { errorForLog, topicForLog, type Log } from './log.js';
import { encodeServerFrame, isParseError, parseClientFrame, type ClientFrame, type ErrorCode, type ServerFrame } from './protocol.js';
import { createTokenBucket, type TokenBucket } from './token-bucket.js';
import { createTopicRegistry } from './topics.js';
import type { RelayMetrics } from './metrics.js';

/** What the hub needs: the limits in force and where to report. */
export interface HubOptions {
  readonly limits: RelayLimits;
  readonly log: Log;
  /** Clock for ICE credential refresh; injected so tests need not wait. */
  readonly now?: () => number;
  /** Where frames are counted (GET /metrics). */
  readonly metrics?: Pick<RelayMetrics, 'frameIn' | 'frameOut'>;
}

/** What a socket is told besides the pub/sub traffic. */
export interface AttachOptions {
  /** Its ICE servers (minted anew at each call); absent when the relay hands out none. */
  readonly ice?: () => IceOffer;
}

/** Owns every accepted socket; the relay hands sockets in and drives the heartbeat. */
export interface Hub {
  attach(ws: WebSocket, options?: AttachOptions): void;
  /** One heartbeat: terminate sockets that missed the previous ping, ping the rest. */
  sweep(): void;
  readonly connectionCount: number;
  /** Rooms (topics) with at least one member. */
  readonly roomCount: number;
}

/** Everything the relay keeps about one live socket. */
interface Session {
  readonly id: number;
  readonly ws: WebSocket;
  readonly topics: Set<string>;
  readonly bucket: TokenBucket;
  strikes: number;
  alive: boolean;
  readonly ice: (() => IceOffer) | undefined;
  /** When to send fresh ICE servers (their TURN credentials run out); Infinity when never. */
  iceRefreshAtMs: number;
}

/** ws `readyState` of an open socket (the named constant lives on the class, not the type). */
const wsOpen = 1;

/** Close code for policy violations (RFC 6455): too many offences. */
const closePolicyViolation = 1008;

/** Close reasons are client-visible and logged, so they are short and fixed; this caps what we log of theirs. */
const maxLoggedReasonChars = 64;

/** Builds the hub; all state lives in this closure, nothing at module level. */
export function createHub({ limits, log, now = Date.now, metrics }: HubOptions): Hub {
  const sessions = new Set<Session>();
  const registry = createTopicRegistry<Session>(limits.maxSocketsPerTopic);
  let nextId = 1;

  function attach(ws: WebSocket, options: AttachOptions = {}): void {
    const session: Session = {
      id: nextId++,
      ws,
      topics: new Set(),
      bucket: createTokenBucket({ capacity: limits.messageBurst, refillPerSecond: limits.messageRefillPerSecond }),
      strikes: 0,
      alive: true,
      ice: options.ice,
      iceRefreshAtMs: Infinity,
    };
    sessions.add(session);
    ws.on('error', (error) => log({ event: 'socket-error', socket: session.id, ...errorForLog(error) }));
    ws.on('pong', () => {
      session.alive = true;
    });
    ws.on('ping', () => guarded(session, () => onPing(session)));
    ws.on('message', (data, isBinary) => guarded(session, () => onMessage(session, data, isBinary)));
    ws.on('close', (code, reason) => {
      drop(session);
      log({ event: 'socket-closed', socket: session.id, code, reason: reason.toString('utf8').slice(0, maxLoggedReasonChars) });
    });
    log({ event: 'socket-opened', socket: session.id, connections: sessions.size });
    sendIceServers(session);
  }

  /**
   * Tells the page its ICE servers. Credentials that expire are replaced while a quarter of their
   * life and one heartbeat remain, so a long session never holds a dead TURN credential.
   */
  function sendIceServers(session: Session): void {
    if (session.ice === undefined) return;
    const offer = session.ice();
    session.iceRefreshAtMs =
      offer.validForMs === null ? Infinity : now() + Math.max(0, offer.validForMs * 0.75 - limits.pingIntervalMs);
    send(session, { type: 'ice-servers', iceServers: offer.iceServers, validForMs: offer.validForMs });
  }

  function guarded(session: Session, handler: () => void): void {
    try {
      handler();
    } catch (error) {
      log({ event: 'handler-error', socket: session.id, ...errorForLog(error) });
      session.ws.terminate();
    }
  }

  function onMessage(session: Session, data: RawData, isBinary: boolean): void {
    if (session.ws.readyState !== wsOpen) return;
    if (!session.bucket.take()) return offend(session, 'rate-limited', 'too many frames; slow down');
    const frame = parseClientFrame(data, isBinary);
    if (isParseError(frame)) return offend(session, frame.error, frame.message);
    dispatch(session, frame);
  }

  /** ws answers pings itself, but each one still costs a token, so a ping flood is cut like any flood. */
  function onPing(session: Session): void {
    if (session.ws.readyState !== wsOpen) return;
    if (!session.bucket.take()) offend(session, 'rate-limited', 'too many frames; slow down');
  }

  function dispatch(session: Session, frame: ClientFrame): void {
    metrics?.frameIn(frame.type);
    switch (frame.type) {
      case 'subscribe':
        return subscribe(session, frame.topic);
      case 'leave':
        return leave(session, frame.topic);
      case 'publish':
        return publish(session, frame.topic, frame.data);
      case 'ping':
        return send(session, { type: 'pong' });
    }
  }

  function subscribe(session: Session, topic: string): void {
    if (!session.topics.has(topic) && session.topics.size >= limits.maxTopicsPerSocket) {
      return sendError(session, 'too-many-topics', 'socket is in too many topics');
    }
    if (registry.join(topic, session) === 'topic-full') {
      log({ event: 'topic-full', socket: session.id, topic: topicForLog(topic) });
      return sendError(session, 'topic-full', 'topic is full');
    }
    session.topics.add(topic);
    send(session, { type: 'subscribed', topic, peers: registry.members(topic).size - 1 });
  }

  function leave(session: Session, topic: string): void {
    registry.leave(topic, session);
    session.topics.delete(topic);
    send(session, { type: 'left', topic });
  }

  function publish(sender: Session, topic: string, data: string): void {
    if (!sender.topics.has(topic)) return sendError(sender, 'not-subscribed', 'subscribe before publishing');
    // Encoded once into one Buffer that every recipient's socket queues by reference, not a copy each.
    const frame = Buffer.from(encodeServerFrame({ type: 'message', topic, data }), 'utf8');
    let delivered = 0;
    for (const member of registry.members(topic)) {
      if (member !== sender && deliver(member, frame)) delivered++;
    }
    metrics?.frameOut('message', delivered);
  }

  /** Sends a frame to a socket; false if it was not sent (closed, or cut as a slow consumer). */
  function deliver(target: Session, frame: string | Buffer): boolean {
    if (target.ws.readyState !== wsOpen) return false;
    if (target.ws.bufferedAmount > limits.slowConsumerBytes) {
      log({ event: 'slow-consumer', socket: target.id, bufferedBytes: target.ws.bufferedAmount });
      drop(target);
      target.ws.terminate();
      return false;
    }
    target.ws.send(frame, { binary: false });
    return true;
  }

  function offend(session: Session, code: ErrorCode, message: string): void {
    session.strikes += 1;
    log({ event: 'frame-rejected', socket: session.id, reason: code, strikes: session.strikes });
    sendError(session, code, message);
    if (session.strikes >= limits.maxStrikesBeforeClose) session.ws.close(closePolicyViolation, 'too many bad frames');
  }

  function sendError(session: Session, code: ErrorCode, message: string): void {
    send(session, { type: 'error', code, message });
  }

  function send(session: Session, frame: ServerFrame): void {
    if (deliver(session, encodeServerFrame(frame))) metrics?.frameOut(frame.type);
  }

  /** Forgets a socket everywhere; idempotent, because both a cut and the later 'close' call it. */
  function drop(session: Session): void {
    for (const topic of session.topics) registry.leave(topic, session);
    session.topics.clear();
    sessions.delete(session);
  }

  function sweep(): void {
    for (const session of sessions) guarded(session, () => heartbeat(session));
  }

  function heartbeat(session: Session): void {
    if (!session.alive) {
      log({ event: 'ping-timeout', socket: session.id });
      drop(session);
      session.ws.terminate();
      return;
    }
    session.alive = false;
    if (session.ws.readyState === wsOpen) session.ws.ping();
    if (now() >= session.iceRefreshAtMs) sendIceServers(session);
  }

  return {
    attach,
    sweep,
    get connectionCount() {
      return sessions.size;
    },
    get roomCount() {
      return registry.topicCount;
    },
  };
}
