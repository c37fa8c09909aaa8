import { describe, expect, it } from 'vitest';
import { ConfigError, defaultTurnTtlS, parseConfig } from './config.js';

const pemCert = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
const pemKey = Buffer.from('-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n');
const files: Record<string, Buffer> = { '/tls/cert.pem': pemCert, '/tls/key.pem': pemKey, '/tls/empty': Buffer.alloc(0) };
const readFile = (path: string): Buffer => {
  const found = files[path];
  if (!found) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
  return found;
};
const parse = (env: Record<string, string>) => parseConfig(env, readFile);

/** The error parsing `env` throws: it must be a ConfigError naming `variable`. */
function errorOf(env: Record<string, string>): ConfigError {
  try {
    parse(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`no error for ${JSON.stringify(env)}`);
}

const turn = { TURN_URLS: 'turn:turn.example.org:3478?transport=udp, turns:turn.example.org:5349', TURN_SECRET: 's3cret-value' };

describe('server configuration from the environment', () => {
  it('has defaults that run with no external service: port 8080 on all interfaces, STUN on the same port, no TLS or TURN', () => {
    expect(parse({})).toEqual({
      port: 8080,
      host: '0.0.0.0',
      tls: null,
      stunPort: 'same-as-port',
      ice: { turn: null, staticServers: [] },
      allowedOrigins: undefined,
      trustProxy: false,
      limits: { maxConnections: 10_000, maxConnectionsPerIp: 32, maxSocketsPerTopic: 1_024 },
      redisUrl: undefined,
      relayUrls: [],
    });
  });

  it('takes a Redis to share rooms through, and the other relays of the pool', () => {
    const config = parse({ REDIS_URL: ' redis://:pw@10.0.0.5:6379/0 ', RELAY_URLS: 'wss://b.example/signal, ws://127.0.0.1:9000/signal' });
    expect(config.redisUrl).toBe('redis://:pw@10.0.0.5:6379/0');
    expect(config.relayUrls).toEqual(['wss://b.example/signal', 'ws://127.0.0.1:9000/signal']);
    expect(parse({ REDIS_URL: 'rediss://cache.example:6380' }).redisUrl).toBe('rediss://cache.example:6380');
  });

  it('never puts the Redis URL (and its password) in an error', () => {
    for (const REDIS_URL of ['http://:hunter2@x.example', 'redis://:hunter2@', ':hunter2']) {
      const error = errorOf({ REDIS_URL });
      expect(error.variable).toBe('REDIS_URL');
      expect(error.message).not.toContain('hunter2');
    }
  });

  it('takes the relay caps from the environment', () => {
    expect(parse({ MAX_CONNECTIONS: '20000', MAX_CONNECTIONS_PER_IP: '64', MAX_SOCKETS_PER_ROOM: '256' }).limits).toEqual({
      maxConnections: 20_000,
      maxConnectionsPerIp: 64,
      maxSocketsPerTopic: 256,
    });
  });

  it('reads every setting', () => {
    const config = parse({
      PORT: '8443',
      HOST: '127.0.0.1',
      TLS_CERT: '/tls/cert.pem',
      TLS_KEY: '/tls/key.pem',
      STUN_PORT: '3478',
      ...turn,
      TURN_TTL_S: '600',
      ALLOWED_ORIGINS: 'https://a.example, https://b.example',
      TRUST_PROXY: 'yes',
    });
    expect(config).toMatchObject({ port: 8443, host: '127.0.0.1', stunPort: 3478, allowedOrigins: ['https://a.example', 'https://b.example'], trustProxy: true });
    expect(config.tls).toEqual({ cert: pemCert, key: pemKey });
    expect(config.ice.turn).toEqual({ urls: ['turn:turn.example.org:3478?transport=udp', 'turns:turn.example.org:5349'], secret: 's3cret-value', ttlS: 600 });
    expect(parse(turn).ice.turn?.ttlS).toBe(defaultTurnTtlS);
  });

  it('turns the built-in STUN off with STUN_PORT=0', () => {
    expect(parse({ STUN_PORT: '0' }).stunPort).toBeNull();
  });

  it('takes a static list of ICE servers', () => {
    const servers = [{ urls: 'stun:stun.example.org:3478' }, { urls: ['turn:t.example.org:3478'], username: 'u', credential: 'p' }];
    expect(parse({ ICE_SERVERS: JSON.stringify(servers) }).ice.staticServers).toEqual([
      { urls: ['stun:stun.example.org:3478'] },
      { urls: ['turn:t.example.org:3478'], username: 'u', credential: 'p' },
    ]);
  });

  it.each([
    ['PORT', { PORT: 'eighty' }, /PORT must be a port number/],
    ['PORT', { PORT: '70000' }, /0-65535/],
    ['PORT', { PORT: '-1' }, /PORT must be/],
    ['STUN_PORT', { STUN_PORT: '1.5' }, /STUN_PORT must be a port number/],
    ['HOST', { HOST: 'bad host!' }, /HOST must be an IP address/],
    ['TLS_KEY', { TLS_CERT: '/tls/cert.pem' }, /TLS_KEY must be set too/],
    ['TLS_CERT', { TLS_KEY: '/tls/key.pem' }, /TLS_CERT must be set too/],
    ['TLS_CERT', { TLS_CERT: '/tls/missing.pem', TLS_KEY: '/tls/key.pem' }, /cannot be read from \/tls\/missing.pem \(ENOENT\)/],
    ['TLS_CERT', { TLS_CERT: '/tls/empty', TLS_KEY: '/tls/key.pem' }, /holds no PEM CERTIFICATE/],
    ['TLS_KEY', { TLS_CERT: '/tls/cert.pem', TLS_KEY: '/tls/cert.pem' }, /holds no PEM PRIVATE KEY/],
    ['TURN_URLS', { TURN_SECRET: 'x' }, /TURN_URLS must be set when TURN_SECRET is/],
    ['TURN_URLS', { TURN_URLS: 'stun:x.example:3478', TURN_SECRET: 'x' }, /not a turn: or turns: URI/],
    ['TURN_URLS', { TURN_URLS: 'http://x.example', TURN_SECRET: 'x' }, /not a turn: or turns: URI/],
    ['TURN_SECRET', { TURN_URLS: 'turn:x.example:3478' }, /TURN_SECRET must be set/],
    ['TURN_TTL_S', { ...turn, TURN_TTL_S: '10' }, /whole seconds from 60/],
    ['TURN_TTL_S', { ...turn, TURN_TTL_S: 'an hour' }, /whole seconds/],
    ['TURN_TTL_S', { TURN_TTL_S: '600' }, /no effect without TURN_URLS/],
    ['ICE_SERVERS', { ICE_SERVERS: '[{' }, /not valid JSON/],
    ['ICE_SERVERS', { ICE_SERVERS: '{"urls":"stun:x"}' }, /must be a JSON array/],
    ['ICE_SERVERS', { ICE_SERVERS: '[{"urls":"http://x"}]' }, /entry 0 needs "urls"/],
    ['ICE_SERVERS', { ICE_SERVERS: '[{"urls":[]}]' }, /entry 0 needs "urls"/],
    ['ICE_SERVERS', { ICE_SERVERS: '[{"urls":"stun:x"},{"urls":"turn:y"}]' }, /entry 1 is a TURN server without "username" and "credential"/],
    ['ICE_SERVERS', { ICE_SERVERS: '[{"urls":"stun:x","username":5}]' }, /non-string username/],
    ['ICE_SERVERS', { ICE_SERVERS: '[{"urls":"stun:x","extra":1}]' }, /unknown field "extra"/],
    ['ICE_SERVERS', { ICE_SERVERS: '[7]' }, /entry 0 is not an object/],
    ['ICE_SERVERS', { ...turn, ICE_SERVERS: '[{"urls":"stun:x"}]' }, /cannot be combined with TURN_URLS/],
    ['MAX_CONNECTIONS', { MAX_CONNECTIONS: '0' }, /whole number from 1 to 10000000 \(got "0"\)/],
    ['MAX_CONNECTIONS', { MAX_CONNECTIONS: 'lots' }, /whole number/],
    ['MAX_CONNECTIONS', { MAX_CONNECTIONS: '1e5' }, /whole number/],
    ['MAX_CONNECTIONS', { MAX_CONNECTIONS: '99999999' }, /whole number from 1 to 10000000/],
    ['MAX_CONNECTIONS_PER_IP', { MAX_CONNECTIONS_PER_IP: '-3' }, /whole number/],
    ['MAX_CONNECTIONS_PER_IP', { MAX_CONNECTIONS: '10', MAX_CONNECTIONS_PER_IP: '11' }, /must not exceed MAX_CONNECTIONS \(10\)/],
    ['MAX_SOCKETS_PER_ROOM', { MAX_SOCKETS_PER_ROOM: '2.5' }, /whole number/],
    ['REDIS_URL', { REDIS_URL: 'localhost:6379' }, /redis:\/\/ or rediss:\/\//],
    ['RELAY_URLS', { RELAY_URLS: 'https://b.example/signal' }, /not a ws:\/\/ or wss:\/\/ URL/],
    ['RELAY_URLS', { RELAY_URLS: 'b.example' }, /not a ws:\/\/ or wss:\/\/ URL/],
    ['RELAY_URLS', { RELAY_URLS: Array.from({ length: 16 }, (_, i) => `wss://r${i}.example/signal`).join(',') }, /more than 15 relays/],
  ] as const)('refuses a bad %s with a message naming it', (variable, env, message) => {
    const error = errorOf(env);
    expect(error.variable).toBe(variable);
    expect(error.message.startsWith(`${variable} `)).toBe(true);
    expect(error.message).toMatch(message);
  });

  it('never puts the TURN secret in an error', () => {
    const secret = 'do-not-print-me';
    for (const env of [
      { TURN_URLS: 'bogus', TURN_SECRET: secret },
      { TURN_URLS: 'turn:x.example:3478', TURN_SECRET: secret, TURN_TTL_S: 'x' },
      { TURN_URLS: 'turn:x.example:3478', TURN_SECRET: secret, ICE_SERVERS: '[]' },
    ]) {
      expect(errorOf(env).message).not.toContain(secret);
    }
  });
});
