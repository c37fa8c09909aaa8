// The relay's pub/sub core: per-socket state, frame dispatch, strikes, liveness and fan-out.
import type { RawData, WebSocket } from 'ws';
import type { IceOffer } from './ice-servers.js';
import type { RelayLimits } from './limits.js';
import { errorForLog, topicForLog, type Log } from './log.js';
import { encodeServerFrame, isParseError, parseClientFrame, type ClientFrame, type ErrorCode, type ServerFrame } from './protocol.js';
import { createTokenBucket, type TokenBucket } from './token-bucket.js';
import { createTopicRegistry } from './topics.js';
import type { RelayMetrics } from './metrics.js';
import type { BridgedMessage, RoomBridge } from './room-bridge.js';

/** What the hub needs: the limits in force and where to report. */
export interface HubOptions {
  readonly limits: RelayLimits;
  readonly log: Log;
  /** Clock for ICE credential refresh; injected so tests need not wait. */
  readonly now?: () => number;
  /** Where frames are counted (GET /metrics). */
  readonly metrics?: Pick<RelayMetrics, 'frameIn' | 'frameOut'>;
  /** Other relay processes sharing the rooms (Redis); absent: this process is alone. */
  readonly bridge?: RoomBridge;
  /** Draws which members a room-wide message reaches in a big room; injected so tests repeat. Default Math.random. */
  readonly random?: () => number;
}

/** What a socket is told besides the pub/sub traffic. */
export interface AttachOptions {
  /** Its ICE servers (minted anew at each call); absent when the relay hands out none. */
  readonly ice?: () => IceOffer;
  /** The other relays of this pool, told to the page so it can fail over to them; absent or empty: none. */
  readonly relays?: readonly string[];
}

/** Owns every accepted socket; the relay hands sockets in and drives the heartbeat. */
export interface Hub {
  attach(ws: WebSocket, options?: AttachOptions): void;
  /** One heartbeat: terminate sockets that missed the previous ping, ping the rest. */
  sweep(): void;
  /** Delivers a message another relay process published to a room members of ours are in. */
  deliverBridged(message: BridgedMessage): void;
  /**
   * Tells every member of every room it is subscribed, as after a reconnect: pages then say hello
   * again, reaching the peers on other processes whose hellos were lost while the bridge was down.
   */
  announceAgain(): void;
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
export function createHub({ limits, log, now = Date.now, metrics, bridge, random = Math.random }: HubOptions): Hub {
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
    if (options.relays !== undefined && options.relays.length > 0) send(session, { type: 'relays', urls: options.relays });
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
        return subscribe(session, frame.topic, frame.peer);
      case 'leave':
        return leave(session, frame.topic);
      case 'publish':
        return publish(session, frame.topic, frame.data, frame.to);
      case 'ping':
        return send(session, { type: 'pong' });
    }
  }

  function subscribe(session: Session, topic: string, peer: string | undefined): void {
    if (!session.topics.has(topic) && session.topics.size >= limits.maxTopicsPerSocket) {
      return sendError(session, 'too-many-topics', 'socket is in too many topics');
    }
    const joined = registry.join(topic, session, peer);
    if (joined === 'topic-full') {
      log({ event: 'topic-full', socket: session.id, topic: topicForLog(topic) });
      return sendError(session, 'topic-full', 'topic is full');
    }
    session.topics.add(topic);
    if (joined === 'joined' && registry.size(topic) === 1) bridge?.open(topic);
    sendSubscribed(session, topic);
  }

  /** "You are in `topic`": counts the members on this process (others in the pool are not counted; the page does not need them). */
  function sendSubscribed(session: Session, topic: string): void {
    send(session, { type: 'subscribed', topic, peers: registry.size(topic) - 1 });
  }

  function leave(session: Session, topic: string): void {
    leaveTopic(session, topic);
    send(session, { type: 'left', topic });
  }

  function leaveTopic(session: Session, topic: string): void {
    if (!session.topics.delete(topic)) return;
    registry.leave(topic, session);
    if (registry.size(topic) === 0) bridge?.close(topic);
  }

  /**
   * Room-wide: a random sample of the other local members (roomWide), and the other processes.
   * Addressed: the local socket(s) of that peer only; when it has none here, the other processes
   * (where it may be).
   */
  function publish(sender: Session, topic: string, data: string, to: string | undefined): void {
    if (!sender.topics.has(topic)) return sendError(sender, 'not-subscribed', 'subscribe before publishing');
    if (to === undefined) {
      deliverAll(roomWide(topic, sender), topic, data, sender);
      bridge?.publish({ topic, data });
      return;
    }
    const local = registry.addressed(topic, to);
    const delivered = deliverAll(local, topic, data, sender);
    if (delivered === 0 && !local.has(sender)) bridge?.publish({ topic, data, to });
  }

  function deliverBridged({ topic, data, to }: BridgedMessage): void {
    deliverAll(to === undefined ? roomWide(topic, null) : registry.addressed(topic, to), topic, data, null);
  }

  /**
   * Who a room-wide message reaches on this process: every member but its sender, or in a room bigger
   * than maxBroadcastRecipients that many drawn at random. Only hellos go room-wide, and a newcomer
   * needs a few dozen links, not an answer from everyone: a hello costs at most that many deliveries
   * however big the room, and N members joining at once O(N·k) instead of O(N²).
   */
  function roomWide(topic: string, sender: Session | null): Session[] {
    return registry.sample(topic, limits.maxBroadcastRecipients, sender, random);
  }

  function deliverAll(targets: Iterable<Session>, topic: string, data: string, sender: Session | null): number {
    // Encoded once, on the first recipient, into one Buffer that every recipient's socket queues by reference.
    let frame: Buffer | null = null;
    let delivered = 0;
    for (const member of targets) {
      if (member === sender) continue;
      frame ??= Buffer.from(encodeServerFrame({ type: 'message', topic, data }), 'utf8');
      if (deliver(member, frame)) delivered++;
    }
    if (frame !== null) metrics?.frameOut('message', delivered);
    return delivered;
  }

  function announceAgain(): void {
    for (const session of sessions) {
      for (const topic of session.topics) sendSubscribed(session, topic);
    }
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
    for (const topic of [...session.topics]) leaveTopic(session, topic);
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
    deliverBridged,
    announceAgain,
    get connectionCount() {
      return sessions.size;
    },
    get roomCount() {
      return registry.topicCount;
    },
  };
}
