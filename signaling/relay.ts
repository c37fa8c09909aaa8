// The relay server: one node:http (or node:https) server serving the page, with WebSocket pub/sub on
// /signal, and (optionally) a STUN responder on UDP.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type ServerOptions, type WebSocket } from 'ws';
import { clientKey, createConnectionQuota } from './connection-quota.js';
import { createHub } from './hub.js';
import { createIceProvider, noIceSettings, type IceSettings } from './ice-servers.js';
import { defaultRelayLimits, type RelayLimits } from './limits.js';
import { errorForLog, logToStderr, type Log } from './log.js';
import { isOriginAllowed } from './origin.js';
import { createStaticHandler, sendJson, sendText } from './static-files.js';
import { createStunServer, type StunServer } from './stun-server.js';
import { countingRefusals, createRelayMetrics } from './metrics.js';
import { createRedisBridge } from './redis-bridge.js';

/** How to build a relay; every field is optional so tests can write `createRelay({ port: 0 })`. */
export interface RelayOptions {
  readonly port?: number | undefined;
  readonly host?: string | undefined;
  readonly staticDir?: string | undefined;
  readonly allowedOrigins?: readonly string[] | undefined;
  readonly log?: Log | undefined;
  readonly limits?: Partial<RelayLimits> | undefined;
  /**
   * Count connections per IP by the last `X-Forwarded-For` entry instead of the TCP peer. Off by
   * default: without a proxy that appends the header, clients write it and would dodge the cap.
   */
  readonly trustProxy?: boolean | undefined;
  /** PEM certificate and key: serve HTTPS and WSS instead of HTTP and WS. */
  readonly tls?: { readonly cert: Buffer; readonly key: Buffer } | null | undefined;
  /** UDP port of the built-in STUN responder (`'same-as-port'`: the HTTP port's number); absent or null: none. */
  readonly stunPort?: number | 'same-as-port' | null | undefined;
  /** TURN and static ICE servers handed to pages (the built-in STUN entry is added from `stunPort`). */
  readonly ice?: Omit<IceSettings, 'stunPort'> | undefined;
  /** Clock for credential expiry and refresh (tests inject one). */
  readonly now?: (() => number) | undefined;
  /** Draws the members a room-wide message reaches in a big room (tests inject a seeded one); default Math.random. */
  readonly random?: (() => number) | undefined;
  /** Share rooms with other relay processes through this Redis (`redis://…`); absent: embedded, alone. */
  readonly redisUrl?: string | undefined;
  /** The other relays of this pool (WebSocket URLs), told to each page so it can fail over to them. */
  readonly relayUrls?: readonly string[] | undefined;
}

/** Where a started relay listens; `url` is the http(s) base, the socket is at `${url}/signal`. */
export interface RelayAddress {
  readonly host: string;
  readonly port: number;
  readonly url: string;
  /** The STUN responder's UDP port, or null when it is off. */
  readonly stunPort: number | null;
}

/** A running relay. */
export interface Relay {
  readonly address: RelayAddress;
  /** Terminates every socket, stops both servers; resolves when all is closed. Idempotent. */
  close(): Promise<void>;
}

/** The only path that upgrades to WebSocket, so the page's own paths can never be hijacked. */
export const signalPath = '/signal';

/** Health for load balancers and operators: JSON, counts only (no room ids, no addresses). */
export const healthPath = '/healthz';

/** Prometheus scrape path: counts only, by frame type and refusal reason. */
export const metricsPath = '/metrics';

/** Default bind address: loopback, so a test or dev run is never exposed by accident. */
const defaultHost = '127.0.0.1';

/** Close code "try again later" (RFC 6455): sent when the global socket cap is reached. */
const closeTryAgainLater = 1013;

/** `Retry-After` of a per-IP refusal: the cap frees as soon as one of that client's sockets closes. */
const perIpRetryAfterSeconds = 10;

/** Starts a relay; rejects if it cannot listen (e.g. the port is taken). */
export async function createRelay(options: RelayOptions = {}): Promise<Relay> {
  const limits: RelayLimits = { ...defaultRelayLimits, ...options.limits };
  const host = options.host ?? defaultHost;
  const now = options.now ?? Date.now;
  const metrics = createRelayMetrics({ sockets: () => hub.connectionCount, rooms: () => hub.roomCount });
  const log = countingRefusals(options.log ?? logToStderr, metrics);
  const bridge =
    options.redisUrl === undefined
      ? undefined
      : createRedisBridge({ url: options.redisUrl, log, metrics, onMessage: (message) => hub.deliverBridged(message), onRestored: () => hub.announceAgain() });
  const hub = createHub({ limits, log, now, metrics, ...(bridge ? { bridge } : {}), ...(options.random ? { random: options.random } : {}) });
  const perIp = createConnectionQuota(limits.maxConnectionsPerIp);
  const trustProxy = options.trustProxy ?? false;
  // HACK: @types/ws 8.18 does not declare `closeTimeout` yet; ws 8.23 (node_modules/ws/lib/websocket-server.js) reads it.
  const serverOptions: ServerOptions & { readonly closeTimeout: number } = {
    noServer: true,
    maxPayload: limits.maxFrameBytes,
    perMessageDeflate: false,
    closeTimeout: limits.closeHandshakeTimeoutMs,
  };
  const wss = new WebSocketServer(serverOptions);
  const server: Server = options.tls ? createTlsServer({ cert: options.tls.cert, key: options.tls.key }) : createServer();
  const serveStatic = createStaticHandler(options.staticDir, log, (options.relayUrls ?? []).map((url) => new URL(url).origin));
  let closing = false;

  wss.on('error', (error) => log({ event: 'wss-error', ...errorForLog(error) }));
  server.on('request', (req, res) => {
    const path = pathnameOf(req.url);
    if (path === signalPath) return sendText(res, 426, 'upgrade required', { Upgrade: 'websocket' });
    if (path === healthPath) return sendJson(res, { up: !closing, redis: bridge?.state ?? 'not configured', sockets: hub.connectionCount, rooms: hub.roomCount });
    if (path === metricsPath) {
      metrics.registry.metrics().then(
        (text) => sendText(res, 200, text, { 'Content-Type': metrics.registry.contentType }),
        (error: unknown) => sendText(res, 500, `metrics failed: ${error instanceof Error ? error.message : String(error)}`),
      );
      return;
    }
    void serveStatic(req, res);
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', (error) => log({ event: 'net-socket-error', ...errorForLog(error) }));
    try {
      onUpgrade(req, socket, head);
    } catch (error) {
      log({ event: 'upgrade-error', ...errorForLog(error) });
      socket.destroy();
    }
  });

  function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (closing) return rejectUpgrade(socket, 503, 'Service Unavailable');
    if (pathnameOf(req.url) !== signalPath) return rejectUpgrade(socket, 404, 'Not Found');
    if (!isOriginAllowed({ origin: req.headers.origin, host: req.headers.host }, options.allowedOrigins)) {
      log({ event: 'origin-rejected' });
      return rejectUpgrade(socket, 403, 'Forbidden');
    }
    // Refused before the handshake (HTTP 429, not a 1008 close): no WebSocket, no session, no 101
    // is spent on the very client the cap exists for. Browsers see a failed connect and back off.
    const client = clientKey({ remoteAddress: req.socket.remoteAddress, forwardedFor: req.headers['x-forwarded-for'] }, trustProxy);
    if (!perIp.tryAcquire(client)) {
      log({ event: 'connection-refused', reason: 'max-connections-per-ip' });
      return rejectUpgrade(socket, 429, 'Too Many Requests', `Retry-After: ${perIpRetryAfterSeconds}\r\n`);
    }
    // The TCP socket's end is the one event every path reaches: failed handshake, close, cut, 1013.
    socket.once('close', () => perIp.release(client));
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws, req));
  }

  function accept(ws: WebSocket, req: IncomingMessage): void {
    if (hub.connectionCount >= limits.maxConnections) {
      ws.on('error', (error) => log({ event: 'socket-error', ...errorForLog(error) }));
      log({ event: 'connection-refused', reason: 'max-connections' });
      ws.close(closeTryAgainLater, 'server busy');
      return;
    }
    hub.attach(ws, { ice: () => iceFor(req.headers.host), relays: options.relayUrls ?? [] });
  }

  // Assigned once the HTTP port (and so the STUN port) is known, before any socket is accepted.
  let iceFor = createIceProvider(noIceSettings, now);
  try {
    await listen(server, options.port ?? 0, host);
  } catch (error) {
    await bridge?.stop();
    throw error;
  }
  server.on('error', (error) => log({ event: 'server-error', ...errorForLog(error) }));
  let stun: StunServer | null = null;
  if (options.stunPort !== undefined && options.stunPort !== null) {
    const stunPort = options.stunPort === 'same-as-port' ? (server.address() as AddressInfo).port : options.stunPort;
    try {
      stun = await createStunServer({ port: stunPort, host, log });
    } catch (error) {
      await Promise.all([shutdown(server, wss), bridge?.stop()]);
      throw error;
    }
  }
  iceFor = createIceProvider({ ...noIceSettings, ...options.ice, stunPort: stun?.address.port ?? null }, now);
  const heartbeat = setInterval(() => hub.sweep(), limits.pingIntervalMs);
  heartbeat.unref();
  const address = addressOf(server, host, options.tls ? 'https' : 'http', stun?.address.port ?? null);
  log({
    event: 'relay-listening',
    host: address.host,
    port: address.port,
    tls: options.tls ? true : false,
    stunPort: address.stunPort,
    turnUrls: options.ice?.turn?.urls.length ?? 0,
    staticIceServers: options.ice?.staticServers.length ?? 0,
    redis: bridge !== undefined, // never the URL: it may hold a password
    poolRelays: options.relayUrls?.length ?? 0,
  });

  let closed: Promise<void> | undefined;
  return {
    address,
    close() {
      closing = true;
      clearInterval(heartbeat);
      closed ??= Promise.all([shutdown(server, wss), stun?.close(), bridge?.stop()]).then(() => undefined);
      return closed;
    },
  };
}

/** Ends a refused upgrade with a bare HTTP status: the socket never became a WebSocket. */
function rejectUpgrade(socket: Duplex, status: number, text: string, extraHeaders = ''): void {
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n${extraHeaders}\r\n`);
}

function pathnameOf(url: string | undefined): string {
  return (url ?? '/').split(/[?#]/, 1)[0] ?? '/';
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function addressOf(server: Server, host: string, scheme: 'http' | 'https', stunPort: number | null): RelayAddress {
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return { host, port, url: `${scheme}://${urlHost}:${port}`, stunPort };
}

async function shutdown(server: Server, wss: WebSocketServer): Promise<void> {
  for (const ws of wss.clients) ws.terminate();
  await new Promise<void>((resolve) => wss.close(() => resolve()));
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
