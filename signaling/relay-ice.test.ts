// The relay as a deployment: ICE servers told to each page (with TURN credentials refreshed before they
// expire), HTTPS/WSS, and the built-in STUN responder on the HTTP port's number.
import { createSocket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { get } from 'node:https';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { decodeXorAddress, encodeStunMessage, parseStunMessage, stunAttribute, stunBindingMethod } from './stun-codec.js';
import { turnPassword } from './turn-credentials.js';
import { createHarness } from './test-support/relay-harness.js';
import { createTestCertificate } from './test-support/test-cert.js';
import { ofType } from './test-support/ws-client.js';

const harness = createHarness();
afterEach(() => harness.closeAll());
const certificate = createTestCertificate(['127.0.0.1']);
afterAll(() => certificate.remove());

const turn = { urls: ['turn:turn.example.org:3478?transport=udp'], secret: 'coturn-shared-secret', ttlS: 600 };

describe('ICE servers told to each page', () => {
  it('sends the built-in STUN entry and minted TURN credentials first thing on a socket', async () => {
    const relay = await harness.start({ host: '127.0.0.1', stunPort: 'same-as-port', ice: { turn, staticServers: [] } });
    const { port, stunPort } = relay.relay.address;
    expect(stunPort).toBe(port);
    const client = await relay.client();
    const frame = await client.next(ofType('ice-servers'));
    const [stun, turnServer, ...rest] = frame['iceServers'] as { urls: unknown; username?: string; credential?: string }[];
    expect(rest).toEqual([]);
    expect(stun).toEqual({ urls: `stun:127.0.0.1:${port}` });
    expect(turnServer?.urls).toEqual(turn.urls);
    expect(turnServer?.credential).toBe(turnPassword(turn.secret, turnServer?.username ?? ''));
    const expiry = Number(turnServer?.username?.split(':')[0]) * 1000;
    expect(expiry - Date.now()).toBeGreaterThan(turn.ttlS * 1000 - 5_000);
    expect(frame['validForMs']).toBeGreaterThan(turn.ttlS * 1000 - 5_000);
    // The secret itself goes nowhere: not to the page, not to the log.
    expect(JSON.stringify(frame)).not.toContain(turn.secret);
    expect(JSON.stringify(relay.logs)).not.toContain(turn.secret);
  });

  it('sends fresh credentials before the old ones expire, on a long-lived socket', async () => {
    let nowMs = Date.now();
    const relay = await harness.start({ ice: { turn, staticServers: [] }, now: () => nowMs, limits: { pingIntervalMs: 20 } });
    const client = await relay.client();
    const first = await client.next(ofType('ice-servers'));
    nowMs += turn.ttlS * 1000 * 0.8; // past the refresh point, before expiry
    const second = await client.next(ofType('ice-servers'));
    const username = (frame: typeof first) => (frame['iceServers'] as { username?: string }[])[0]?.username;
    expect(username(second)).not.toBe(username(first));
    expect(Number(username(second)?.split(':')[0])).toBeGreaterThan(Number(username(first)?.split(':')[0]));
  });

  it('tells a page of a relay without ICE settings an empty list, so it uses host candidates', async () => {
    const relay = await harness.start();
    const client = await relay.client();
    expect(await client.next(ofType('ice-servers'))).toEqual({ type: 'ice-servers', iceServers: [], validForMs: null });
  });
});

describe('HTTPS and WSS', () => {
  it('serves the page and the relay over TLS with TLS_CERT/TLS_KEY', async () => {
    const relay = await harness.start({ host: '127.0.0.1', tls: { cert: certificate.cert, key: certificate.key } });
    expect(relay.relay.address.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const status = await new Promise<number>((resolve, reject) => {
      get(`${relay.relay.address.url}/`, { ca: certificate.cert }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on('error', reject);
    });
    expect(status).toBe(503); // no page built for this relay; the point is the TLS handshake and a response
    const client = await relay.client({ ca: certificate.cert });
    expect(relay.signalUrl.startsWith('wss://')).toBe(true);
    expect(await client.subscribe('room')).toEqual({ type: 'subscribed', topic: 'room', peers: 0 });
  });
});

describe('built-in STUN', () => {
  it('answers a Binding request on the HTTP port number with the sender’s address', async () => {
    const relay = await harness.start({ host: '127.0.0.1', stunPort: 'same-as-port' });
    const socket = createSocket('udp4');
    try {
      await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
      const transactionId = randomBytes(12);
      const answer = new Promise<Buffer>((resolve) => socket.once('message', resolve));
      socket.send(encodeStunMessage({ method: stunBindingMethod, class: 'request', transactionId }), relay.relay.address.port, '127.0.0.1');
      const parsed = parseStunMessage(await answer);
      if (!parsed.ok) throw new Error(`bad STUN answer: ${parsed.reason}`);
      expect(parsed.message.class).toBe('success');
      const mapped = parsed.message.attributes.find((a) => a.type === stunAttribute.xorMappedAddress);
      expect(mapped && decodeXorAddress(mapped.value, transactionId)).toEqual({ family: 'IPv4', address: '127.0.0.1', port: socket.address().port });
    } finally {
      socket.close();
    }
  });

  it('fails to start, naming the port, when the STUN port is taken', async () => {
    const blocker = createSocket('udp4');
    await new Promise<void>((resolve) => blocker.bind(0, '127.0.0.1', resolve));
    try {
      await expect(harness.start({ host: '127.0.0.1', stunPort: blocker.address().port })).rejects.toThrow(String(blocker.address().port));
    } finally {
      blocker.close();
    }
  });
});
