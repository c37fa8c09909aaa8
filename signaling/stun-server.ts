// The built-in STUN responder: answers RFC 8489 Binding requests on UDP so browsers learn their
// public address (server-reflexive ICE candidates) from the relay itself. Everything else is dropped.
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { logToStderr, type Log } from './log.js';
import { encodeStunMessage, encodeXorAddress, parseStunMessage, stunAttribute, stunBindingMethod, type StunParseFailure } from './stun-codec.js';
import { createTokenBucket, type TokenBucket } from './token-bucket.js';

/** Why a datagram got no answer; each reason is a counter in `stats()` and a (throttled) log line. */
export type StunDropReason = StunParseFailure | 'oversized' | 'not-request' | 'not-binding' | 'rate-limited-source' | 'rate-limited-global';

/** Every drop reason, so counters start at zero and metrics list them all. */
export const stunDropReasons: readonly StunDropReason[] = [
  'truncated',
  'oversized',
  'not-stun',
  'bad-cookie',
  'malformed',
  'bad-fingerprint',
  'not-request',
  'not-binding',
  'rate-limited-source',
  'rate-limited-global',
];

/** The tunable limits of one STUN server; tests override single fields with small values. */
export interface StunLimits {
  readonly maxRequestBytes: number;
  readonly perSourceBurstPackets: number;
  readonly perSourceRefillPerSecond: number;
  readonly globalBurstPackets: number;
  readonly globalRefillPerSecond: number;
  readonly maxTrackedSources: number;
  readonly dropLogIntervalMs: number;
}

/**
 * Largest datagram parsed. A browser's Binding request is 20-150 bytes; 548 is the 576-byte IPv4
 * minimum datagram less IP and UDP headers, the size RFC 8489 §6.2.1 tells senders to stay under.
 */
export const maxStunRequestBytes = 548;

/**
 * Answers one source IP may get at once. A page gathers candidates once per peer connection (the
 * mesh caps near 30) and retransmits on loss; 128 covers a join, or a few tabs behind one NAT.
 */
export const perSourceBurstPackets = 128;

/**
 * Sustained answers per second to one source IP. A spoofed source is a reflection victim: 16/s of
 * ~52-byte replies is under 1 KB/s aimed at anyone, while honest clients are quiet after gathering.
 */
export const perSourceRefillPerSecond = 16;

/** Answers the whole server may send at once: a wave of reconnecting pages after a relay restart. */
export const globalBurstPackets = 4000;

/** Sustained answers per second overall: caps reply traffic near 100 KB/s however many sources are spoofed. */
export const globalRefillPerSecond = 2000;

/** Source IPs with a bucket: bounds memory under a spoofed-source flood; the least recently seen is forgotten first. */
export const maxTrackedSources = 10_000;

/** One log line per drop reason per minute: a flood must not turn into a flood of log lines. */
export const dropLogIntervalMs = 60_000;

/** The production limits, so a server can be built from `{ ...defaultStunLimits, ...overrides }`. */
export const defaultStunLimits: StunLimits = {
  maxRequestBytes: maxStunRequestBytes,
  perSourceBurstPackets,
  perSourceRefillPerSecond,
  globalBurstPackets,
  globalRefillPerSecond,
  maxTrackedSources,
  dropLogIntervalMs,
};

/** How to start a STUN server; `port: 0` picks a free port (tests). */
export interface StunServerOptions {
  readonly port: number;
  /** Bind address; an address with ':' binds udp6. Default `0.0.0.0`: STUN is only useful when reachable. */
  readonly host?: string | undefined;
  readonly log?: Log | undefined;
  /** Monotonic milliseconds; injected so rate-limit tests advance a fake clock instead of sleeping. */
  readonly now?: (() => number) | undefined;
  readonly limits?: Partial<StunLimits> | undefined;
}

/** Counters since start, for metrics; a fresh snapshot per call. */
export interface StunServerStats {
  /** Datagrams read from the socket. */
  readonly received: number;
  /** Binding success responses handed to the socket. */
  readonly answered: number;
  readonly dropped: Readonly<Record<StunDropReason, number>>;
  /** Responses the socket failed to send (e.g. unreachable source). */
  readonly sendErrors: number;
}

/** A running STUN server. */
export interface StunServer {
  readonly address: { readonly host: string; readonly port: number };
  stats(): StunServerStats;
  /** Closes the socket; resolves when it is closed. Idempotent. */
  close(): Promise<void>;
}

/** Default bind address: every IPv4 interface, because clients reach STUN from outside. */
const defaultHost = '0.0.0.0';

/** Starts a STUN server; rejects with an error naming the port if it cannot bind. */
export async function createStunServer(options: StunServerOptions): Promise<StunServer> {
  const limits: StunLimits = { ...defaultStunLimits, ...options.limits };
  const log = options.log ?? logToStderr;
  const now = options.now ?? (() => performance.now());
  const host = options.host ?? defaultHost;
  const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  const admit = createSourceLimiter(limits, now);
  const logThrottled = createThrottledLog(log, now, limits.dropLogIntervalMs);
  const dropped = Object.fromEntries(stunDropReasons.map((reason) => [reason, 0])) as Record<StunDropReason, number>;
  let received = 0;
  let answered = 0;
  let sendErrors = 0;
  let closing = false;

  function drop(reason: StunDropReason): void {
    dropped[reason] += 1;
    // No address, no payload: a drop line says what happened and how often, never to whom.
    logThrottled(reason, { event: 'stun-dropped', reason, total: dropped[reason] });
  }

  function handle(packet: Buffer, remote: RemoteInfo): void {
    if (packet.length > limits.maxRequestBytes) return drop('oversized');
    const parsed = parseStunMessage(packet);
    if (!parsed.ok) return drop(parsed.reason);
    const { message } = parsed;
    if (message.class !== 'request') return drop('not-request');
    if (message.method !== stunBindingMethod) return drop('not-binding');
    const refusal = admit(sourceKey(remote.address));
    if (refusal !== null) return drop(refusal);
    // Request attributes are not interpreted: a credential-less Binding server has nothing to check.
    const response = encodeStunMessage({
      method: stunBindingMethod,
      class: 'success',
      transactionId: message.transactionId,
      attributes: [{ type: stunAttribute.xorMappedAddress, value: encodeXorAddress(remote.address, remote.port, message.transactionId) }],
      fingerprint: true,
    });
    answered += 1;
    socket.send(response, remote.port, remote.address, (error) => {
      if (error === null) return;
      sendErrors += 1;
      logThrottled('send-error', { event: 'stun-send-error', ...errorCodeForLog(error), total: sendErrors });
    });
  }

  socket.on('message', (packet, remote) => {
    if (closing) return;
    received += 1;
    try {
      handle(packet, remote);
    } catch (error) {
      logThrottled('handler-error', { event: 'stun-handler-error', ...errorCodeForLog(error) });
    }
  });

  await bind(socket, options.port, host);
  socket.on('error', (error) => log({ event: 'stun-socket-error', ...errorCodeForLog(error) }));
  const bound = socket.address();
  const address = { host: bound.address, port: bound.port };
  log({ event: 'stun-listening', host: address.host, port: address.port });

  let closed: Promise<void> | undefined;
  return {
    address,
    stats: () => ({ received, answered, dropped: { ...dropped }, sendErrors }),
    close() {
      closing = true;
      closed ??= new Promise((resolve) => socket.close(() => resolve()));
      return closed;
    },
  };
}

/** Per-source then global token buckets; returns the refusal reason, or null when the answer may go out. */
function createSourceLimiter(limits: StunLimits, now: () => number): (source: string) => StunDropReason | null {
  const global = createTokenBucket({ capacity: limits.globalBurstPackets, refillPerSecond: limits.globalRefillPerSecond, now });
  // Map order is insertion order; re-inserting on each use keeps the least recently seen first.
  const sources = new Map<string, TokenBucket>();
  return (source) => {
    let bucket = sources.get(source);
    if (bucket === undefined) {
      if (sources.size >= limits.maxTrackedSources) {
        const oldest = sources.keys().next();
        if (oldest.done !== true) sources.delete(oldest.value);
      }
      bucket = createTokenBucket({ capacity: limits.perSourceBurstPackets, refillPerSecond: limits.perSourceRefillPerSecond, now });
    } else {
      sources.delete(source);
    }
    sources.set(source, bucket);
    // A refused source spends no global token, so one flooded victim cannot starve everyone else.
    if (!bucket.take()) return 'rate-limited-source';
    if (!global.take()) return 'rate-limited-global';
    return null;
  };
}

/** Logs at most once per key per interval; the entry carries running totals, so nothing is lost. */
function createThrottledLog(log: Log, now: () => number, intervalMs: number): (key: string, entry: Record<string, unknown>) => void {
  const lastLoggedMs = new Map<string, number>();
  return (key, entry) => {
    const current = now();
    const last = lastLoggedMs.get(key);
    if (last !== undefined && current - last < intervalMs) return;
    lastLoggedMs.set(key, current);
    log(entry);
  };
}

/** The rate-limit key: the source IP (not port, which a spoofer varies freely); IPv4-mapped IPv6 counts as IPv4. */
function sourceKey(address: string): string {
  return /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address)?.[1] ?? address;
}

/** Only the code and syscall of an error: node's dgram messages embed the peer's address and port. */
function errorCodeForLog(error: unknown): Record<string, unknown> {
  const { code, syscall } = error instanceof Error ? (error as NodeJS.ErrnoException) : {};
  return { code: code ?? 'unknown', ...(syscall === undefined ? {} : { syscall }) };
}

function bind(socket: Socket, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      socket.close();
      reject(new Error(`STUN server cannot bind UDP port ${port} on ${host}: ${error.code ?? error.message}`, { cause: error }));
    };
    socket.once('error', onError);
    socket.bind(port, host, () => {
      socket.off('error', onError);
      resolve();
    });
  });
}
