// Test-only: real `ws` clients against a real relay, with bounded waits for frames and closes.
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { WebSocket, type ClientOptions } from 'ws';

/** A frame as the test sees it: the relay always sends objects with a string `type`. */
export interface Frame {
  readonly type: string;
  readonly [field: string]: unknown;
}

/** How a socket ended, as the client saw it. */
export interface CloseInfo {
  readonly code: number;
  readonly reason: string;
}

/** Default wait for an expected frame: generous for a loaded CI box, still bounded. */
export const defaultWaitMs = 5_000;

/** One connected client with a buffer of frames not yet taken by `next`. */
export interface TestClient {
  readonly ws: WebSocket;
  /** Resolves once when the socket closes (never rejects). */
  readonly closed: Promise<CloseInfo>;
  send(frame: unknown): void;
  sendRaw(data: string | Buffer, binary?: boolean): void;
  /** Takes the first buffered-or-future frame matching `predicate`; rejects after `timeoutMs`. */
  next(predicate?: (frame: Frame) => boolean, timeoutMs?: number): Promise<Frame>;
  /** Buffered frames matching `predicate`, without taking them. */
  pending(predicate?: (frame: Frame) => boolean): Frame[];
  /** Barrier: after it, every frame the relay sent before our ping was answered has arrived. */
  sync(timeoutMs?: number): Promise<void>;
  /** Joins `topic`, as peer `peer` when given (so messages addressed to it arrive). */
  subscribe(topic: string, peer?: string): Promise<Frame>;
  close(): Promise<void>;
}

interface Waiter {
  readonly predicate: (frame: Frame) => boolean;
  readonly resolve: (frame: Frame) => void;
}

/** Default predicate: take whatever frame comes next. */
const anyFrame = (): boolean => true;

/** Opens a client to `url` (ws://…/signal) and resolves once it is open. */
export async function openClient(url: string, options: ClientOptions = {}): Promise<TestClient> {
  const ws = new WebSocket(url, options);
  const buffer: Frame[] = [];
  const waiters = new Set<Waiter>();
  const closed = new Promise<CloseInfo>((resolve) => {
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') }));
  });
  ws.on('error', () => undefined /* surfaced through `closed` and the open promise */);
  ws.on('message', (data, isBinary) => {
    const frame = toFrame(data, isBinary);
    for (const waiter of waiters) {
      if (waiter.predicate(frame)) {
        waiters.delete(waiter);
        waiter.resolve(frame);
        return;
      }
    }
    buffer.push(frame);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });

  function next(predicate: (frame: Frame) => boolean = anyFrame, timeoutMs = defaultWaitMs): Promise<Frame> {
    const index = buffer.findIndex(predicate);
    if (index >= 0) return Promise.resolve(buffer.splice(index, 1)[0] as Frame);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`no matching frame within ${timeoutMs} ms; buffered types: ${buffer.map((f) => f.type).join(',')}`));
      }, timeoutMs);
      const waiter: Waiter = {
        predicate,
        resolve: (frame) => {
          clearTimeout(timer);
          resolve(frame);
        },
      };
      waiters.add(waiter);
    });
  }

  return {
    ws,
    closed,
    send: (frame) => ws.send(JSON.stringify(frame)),
    sendRaw: (data, binary = false) => ws.send(data, { binary }),
    next,
    pending: (predicate = anyFrame) => buffer.filter(predicate),
    async sync(timeoutMs = defaultWaitMs) {
      ws.send(JSON.stringify({ type: 'ping' }));
      await next((frame) => frame.type === 'pong', timeoutMs);
    },
    async subscribe(topic, peer) {
      ws.send(JSON.stringify(peer === undefined ? { type: 'subscribe', topic } : { type: 'subscribe', topic, peer }));
      return next((frame) => frame.type === 'subscribed' && frame['topic'] === topic);
    },
    async close() {
      if (ws.readyState === WebSocket.CLOSED) return;
      ws.terminate();
      await closed;
    },
  };
}

/** Attempts a WebSocket upgrade that should be refused; resolves with the HTTP status. */
export function rejectedStatus(url: string, options: ClientOptions = {}, timeoutMs = defaultWaitMs): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options);
    const timer = setTimeout(() => reject(new Error('upgrade neither accepted nor refused in time')), timeoutMs);
    ws.on('unexpected-response', (req, res) => {
      clearTimeout(timer);
      req.destroy();
      resolve(res.statusCode ?? 0);
    });
    ws.on('open', () => {
      clearTimeout(timer);
      ws.terminate();
      reject(new Error('upgrade was accepted'));
    });
    ws.on('error', () => undefined /* expected after req.destroy() */);
  });
}

/** Matches a relayed message carrying exactly `data`. */
export function messageWith(data: string): (frame: Frame) => boolean {
  return (frame) => frame.type === 'message' && frame['data'] === data;
}

/** Matches a frame by type (and, optionally, by an error code). */
export function ofType(type: string, code?: string): (frame: Frame) => boolean {
  return (frame) => frame.type === type && (code === undefined || frame['code'] === code);
}

/**
 * A raw TCP WebSocket client that subscribes to `topic` and then stops reading, so the relay's
 * outgoing buffer for it grows: the slow consumer the relay must cut.
 */
export async function openStalledSubscriber(host: string, port: number, topic: string): Promise<Socket> {
  const socket = await openRawSocket(host, port);
  socket.write(maskedTextFrame(JSON.stringify({ type: 'subscribe', topic })));
  await readUntil(socket, '"subscribed"');
  socket.pause();
  return socket;
}

/**
 * A WebSocket spoken by hand over TCP: upgraded, then left to the test, which writes frames with
 * `maskedTextFrame` and never answers anything — not even a close.
 */
export async function openRawSocket(host: string, port: number): Promise<Socket> {
  const socket = connect(port, host);
  socket.on('error', () => undefined /* the relay is expected to cut this socket */);
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  const key = randomBytes(16).toString('base64');
  socket.write(
    `GET /signal HTTP/1.1\r\nHost: ${host}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
  await readUntil(socket, 'HTTP/1.1 101');
  return socket;
}

function readUntil(socket: Socket, marker: string, timeoutMs = defaultWaitMs): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`did not see ${marker}`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString('latin1');
      if (!seen.includes(marker)) return;
      clearTimeout(timer);
      socket.off('data', onData);
      resolve();
    };
    socket.on('data', onData);
  });
}

/** A client text frame (clients must mask; an all-zero key leaves the payload as is). */
export function maskedTextFrame(text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  if (payload.length > 125) throw new Error('test frame too long for the short header');
  return Buffer.concat([Buffer.from([0x81, 0x80 | payload.length, 0, 0, 0, 0]), payload]);
}

function toFrame(data: unknown, isBinary: boolean): Frame {
  if (isBinary || !Buffer.isBuffer(data)) return { type: '<binary>' };
  try {
    const parsed: unknown = JSON.parse(data.toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && typeof (parsed as { type?: unknown }).type === 'string') {
      return parsed as Frame;
    }
  } catch (error) {
    return { type: '<not-json>', error: String(error) };
  }
  return { type: '<no-type>' };
}
