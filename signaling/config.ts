// The relay's settings, read from the environment once at startup. A bad value stops startup with
// a message that names the variable (and never echoes a secret).
import { readFileSync } from 'node:fs';
import type { IceServer, IceSettings } from './ice-servers.js';
import { maxConnections, maxConnectionsPerIp, maxSocketsPerTopic, type RelayLimits } from './limits.js';

/** Everything `main.ts` needs to start the server. */
export interface ServerConfig {
  readonly port: number;
  readonly host: string;
  readonly tls: { readonly cert: Buffer; readonly key: Buffer } | null;
  /** `'same-as-port'` until the HTTP port is known (PORT=0 picks one at random). */
  readonly stunPort: number | 'same-as-port' | null;
  readonly ice: Omit<IceSettings, 'stunPort'>;
  readonly allowedOrigins: readonly string[] | undefined;
  readonly trustProxy: boolean;
  /** The caps the environment may set (MAX_CONNECTIONS, MAX_CONNECTIONS_PER_IP, MAX_SOCKETS_PER_ROOM). */
  readonly limits: Pick<RelayLimits, 'maxConnections' | 'maxConnectionsPerIp' | 'maxSocketsPerTopic'>;
  /** REDIS_URL: share rooms with the other relays of a pool; undefined: embedded, alone. */
  readonly redisUrl: string | undefined;
  /** RELAY_URLS: the other relays of the pool (WebSocket URLs), for pages to fail over to. */
  readonly relayUrls: readonly string[];
}

/** A setting that cannot be used; `variable` names it. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable} ${message}`);
    this.name = 'ConfigError';
  }
}

/** Port when PORT is unset: the conventional unprivileged HTTP port. */
const defaultPort = 8080;

/** Bind address when HOST is unset: all interfaces, since this entry is what gets deployed. */
const defaultHost = '0.0.0.0';

/** TURN credential lifetime when TURN_TTL_S is unset: an hour, refreshed before it ends. */
export const defaultTurnTtlS = 3600;

/** Shortest TURN lifetime: a credential must outlive the refresh round trip by a wide margin. */
const minTurnTtlS = 60;

/** Longest TURN lifetime: a leaked credential should not work for more than a week. */
const maxTurnTtlS = 7 * 24 * 3600;

/** ICE servers a page is given at most: each costs every connection attempt a gathering round. */
const maxIceServers = 16;

/** Largest cap the environment may set: far past what one process holds (the file limit bounds sockets first). */
const maxCapValue = 10_000_000;

/** Other relays a page is told at most: the page keeps this many (src/discovery/relay-urls.ts) and a pool rarely needs more. */
const maxPoolRelays = 15;

/** Longest relay URL: the page refuses longer ones, so the relay refuses to hand them out. */
const maxRelayUrlChars = 2048;

/** Boolean spellings that turn a flag on; anything else leaves it off. */
const trueValues = new Set(['1', 'true', 'yes']);

/** A TURN URI: `turn:`/`turns:`, a host and port, optionally `?transport=udp|tcp`. */
const turnUriPattern = /^turns?:[^\s,?]+(?:\?transport=(?:udp|tcp))?$/;

/** Any ICE server URI the browsers accept. */
const iceUriPattern = /^(?:stuns?|turns?):[^\s,]+$/;

type Env = Readonly<Record<string, string | undefined>>;
type FileReader = (path: string) => Buffer;

/** Reads and checks every setting; throws `ConfigError` on the first bad one. */
export function parseConfig(env: Env, readFile: FileReader = (path) => readFileSync(path)): ServerConfig {
  const port = parsePort(env, 'PORT', defaultPort);
  const stunPort = env['STUN_PORT'] === undefined || env['STUN_PORT'].trim() === '' ? 'same-as-port' : parsePort(env, 'STUN_PORT', 0);
  const host = (env['HOST'] ?? '').trim() || defaultHost;
  if (!/^[A-Za-z0-9.:_-]+$/.test(host)) throw new ConfigError('HOST', `must be an IP address or host name (got ${JSON.stringify(host)})`);
  const allowedOrigins = (env['ALLOWED_ORIGINS'] ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '');
  return {
    port,
    host,
    tls: parseTls(env, readFile),
    stunPort: stunPort === 0 ? null : stunPort,
    ice: { turn: parseTurn(env), staticServers: parseIceServers(env) },
    allowedOrigins: allowedOrigins.length === 0 ? undefined : allowedOrigins,
    trustProxy: trueValues.has((env['TRUST_PROXY'] ?? '').trim().toLowerCase()),
    limits: parseCaps(env),
    redisUrl: parseRedisUrl(env),
    relayUrls: parseRelayUrls(env),
  };
}

function parseRedisUrl(env: Env): string | undefined {
  const raw = env['REDIS_URL']?.trim();
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('REDIS_URL', 'is not a URL (expected redis://HOST:PORT or rediss://HOST:PORT)');
  }
  // Never echo the URL: it may carry a password.
  if ((url.protocol !== 'redis:' && url.protocol !== 'rediss:') || url.hostname === '') {
    throw new ConfigError('REDIS_URL', 'must be a redis:// or rediss:// URL with a host');
  }
  return raw;
}

function parseRelayUrls(env: Env): readonly string[] {
  const urls = (env['RELAY_URLS'] ?? '')
    .split(',')
    .map((url) => url.trim())
    .filter((url) => url !== '');
  if (urls.length > maxPoolRelays) throw new ConfigError('RELAY_URLS', `lists more than ${maxPoolRelays} relays`);
  for (const url of urls) {
    let parsed: URL | null = null;
    try {
      parsed = new URL(url);
    } catch {
      // reported below
    }
    if (parsed === null || (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') || parsed.hostname === '' || url.length > maxRelayUrlChars) {
      throw new ConfigError('RELAY_URLS', `holds ${JSON.stringify(url.slice(0, 80))}, not a ws:// or wss:// URL (e.g. wss://relay2.example.org/signal)`);
    }
  }
  return urls;
}

function parseCaps(env: Env): ServerConfig['limits'] {
  const caps = {
    maxConnections: parseCount(env, 'MAX_CONNECTIONS', maxConnections),
    maxConnectionsPerIp: parseCount(env, 'MAX_CONNECTIONS_PER_IP', maxConnectionsPerIp),
    maxSocketsPerTopic: parseCount(env, 'MAX_SOCKETS_PER_ROOM', maxSocketsPerTopic),
  };
  if (caps.maxConnectionsPerIp > caps.maxConnections) {
    throw new ConfigError('MAX_CONNECTIONS_PER_IP', `(${caps.maxConnectionsPerIp}) must not exceed MAX_CONNECTIONS (${caps.maxConnections})`);
  }
  return caps;
}

/** A whole number from 1 to `maxCapValue`, or `fallback` when unset. */
function parseCount(env: Env, variable: string, fallback: number): number {
  const raw = env[variable]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1 || value > maxCapValue) {
    throw new ConfigError(variable, `must be a whole number from 1 to ${maxCapValue} (got ${JSON.stringify(raw)})`);
  }
  return value;
}

function parsePort(env: Env, variable: string, fallback: number): number {
  const raw = env[variable]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port > 65_535) throw new ConfigError(variable, `must be a port number 0-65535 (got ${JSON.stringify(raw)})`);
  return port;
}

function parseTls(env: Env, readFile: FileReader): ServerConfig['tls'] {
  const certPath = env['TLS_CERT']?.trim() || undefined;
  const keyPath = env['TLS_KEY']?.trim() || undefined;
  if (certPath === undefined && keyPath === undefined) return null;
  if (certPath === undefined) throw new ConfigError('TLS_CERT', 'must be set too when TLS_KEY is (both are PEM file paths)');
  if (keyPath === undefined) throw new ConfigError('TLS_KEY', 'must be set too when TLS_CERT is (both are PEM file paths)');
  return { cert: readPem(readFile, 'TLS_CERT', certPath, 'CERTIFICATE'), key: readPem(readFile, 'TLS_KEY', keyPath, 'PRIVATE KEY') };
}

function readPem(readFile: FileReader, variable: string, path: string, label: string): Buffer {
  let contents: Buffer;
  try {
    contents = readFile(path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
    throw new ConfigError(variable, `cannot be read from ${path} (${reason})`);
  }
  if (!contents.toString('latin1').includes(`-----BEGIN `) || !contents.toString('latin1').includes(label)) {
    throw new ConfigError(variable, `file ${path} holds no PEM ${label}`);
  }
  return contents;
}

function parseTurn(env: Env): IceSettings['turn'] {
  const urls = (env['TURN_URLS'] ?? '')
    .split(',')
    .map((url) => url.trim())
    .filter((url) => url !== '');
  const secret = env['TURN_SECRET'] ?? '';
  const ttlRaw = env['TURN_TTL_S']?.trim();
  if (urls.length === 0) {
    if (secret !== '') throw new ConfigError('TURN_URLS', 'must be set when TURN_SECRET is (comma-separated turn: or turns: URIs)');
    if (ttlRaw) throw new ConfigError('TURN_TTL_S', 'has no effect without TURN_URLS and TURN_SECRET');
    return null;
  }
  const bad = urls.find((url) => !turnUriPattern.test(url));
  if (bad !== undefined) throw new ConfigError('TURN_URLS', `holds ${JSON.stringify(bad)}, not a turn: or turns: URI (e.g. turn:turn.example.org:3478)`);
  if (urls.length > maxIceServers) throw new ConfigError('TURN_URLS', `lists more than ${maxIceServers} URIs`);
  // Never echo the secret, even in an error.
  if (secret.trim() === '') throw new ConfigError('TURN_SECRET', "must be set when TURN_URLS is (coturn's static-auth-secret)");
  if (env['ICE_SERVERS']?.trim()) throw new ConfigError('ICE_SERVERS', 'cannot be combined with TURN_URLS: set one or the other');
  let ttlS = defaultTurnTtlS;
  if (ttlRaw) {
    ttlS = Number(ttlRaw);
    if (!/^\d+$/.test(ttlRaw) || ttlS < minTurnTtlS || ttlS > maxTurnTtlS) {
      throw new ConfigError('TURN_TTL_S', `must be whole seconds from ${minTurnTtlS} to ${maxTurnTtlS} (got ${JSON.stringify(ttlRaw)})`);
    }
  }
  return { urls, secret, ttlS };
}

function parseIceServers(env: Env): readonly IceServer[] {
  const raw = env['ICE_SERVERS']?.trim();
  if (!raw) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError('ICE_SERVERS', 'is not valid JSON (expected an array of RTCIceServer objects)');
  }
  if (!Array.isArray(parsed)) throw new ConfigError('ICE_SERVERS', 'must be a JSON array of RTCIceServer objects');
  if (parsed.length > maxIceServers) throw new ConfigError('ICE_SERVERS', `lists more than ${maxIceServers} servers`);
  return parsed.map((entry: unknown, index) => parseIceServer(entry, index));
}

function parseIceServer(entry: unknown, index: number): IceServer {
  const where = `entry ${index}`;
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new ConfigError('ICE_SERVERS', `${where} is not an object`);
  const { urls, username, credential, ...rest } = entry as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) throw new ConfigError('ICE_SERVERS', `${where} has unknown field ${JSON.stringify(unknown[0])}`);
  const list = typeof urls === 'string' ? [urls] : urls;
  if (!Array.isArray(list) || list.length === 0 || !list.every((url): url is string => typeof url === 'string' && iceUriPattern.test(url))) {
    throw new ConfigError('ICE_SERVERS', `${where} needs "urls": a stun:, stuns:, turn: or turns: URI or a list of them`);
  }
  if (username !== undefined && typeof username !== 'string') throw new ConfigError('ICE_SERVERS', `${where} has a non-string username`);
  if (credential !== undefined && typeof credential !== 'string') throw new ConfigError('ICE_SERVERS', `${where} has a non-string credential`);
  // Browsers throw on a TURN server without both, which would break every connection attempt.
  if (list.some((url) => url.startsWith('turn')) && (username === undefined || credential === undefined)) {
    throw new ConfigError('ICE_SERVERS', `${where} is a TURN server without "username" and "credential"`);
  }
  return { urls: list, ...(username === undefined ? {} : { username }), ...(credential === undefined ? {} : { credential }) };
}
