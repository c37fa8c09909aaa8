import { describe, expect, it } from 'vitest';
import { createIceProvider, hostnameOf } from './ice-servers.js';
import { mintTurnCredential, turnPassword } from './turn-credentials.js';

describe('TURN REST credentials (coturn use-auth-secret)', () => {
  it('matches a vector computed independently with openssl', () => {
    // printf '%s' '1700003600:0011223344556677' | openssl dgst -sha1 -hmac 'north-wind-secret' -binary | base64
    expect(turnPassword('north-wind-secret', '1700003600:0011223344556677')).toBe('G52I+z7+OvXiXRy3vxLF4jdplFE=');
  });

  it('puts the expiry in the username and varies the random part', () => {
    const fixed = () => Buffer.from('0011223344556677', 'hex');
    expect(mintTurnCredential('north-wind-secret', 3600, 1_700_000_000_500, fixed)).toEqual({
      username: '1700003600:0011223344556677',
      credential: 'G52I+z7+OvXiXRy3vxLF4jdplFE=',
      expiresAtMs: 1_700_003_600_000,
    });
    const a = mintTurnCredential('s', 60, 0);
    const b = mintTurnCredential('s', 60, 0);
    expect(a.username).not.toBe(b.username);
    expect(a.username).toMatch(/^60:[0-9a-f]{16}$/);
  });
});

describe('ICE servers handed to a page', () => {
  it('points the built-in STUN entry at the name the page used to reach us', () => {
    const provide = createIceProvider({ stunPort: 3478, turn: null, staticServers: [] });
    expect(provide('relay.example.org:8443')).toEqual({ iceServers: [{ urls: 'stun:relay.example.org:3478' }], validForMs: null });
    expect(provide('[2001:db8::1]:8443').iceServers).toEqual([{ urls: 'stun:[2001:db8::1]:3478' }]);
    // A Host header that is missing or odd gets no STUN entry rather than a broken one.
    expect(provide(undefined).iceServers).toEqual([]);
    expect(provide('evil.example\r\nx:1').iceServers).toEqual([]);
  });

  it('mints fresh TURN credentials for each client and says how long they last', () => {
    let nowMs = 1_700_000_000_000;
    const provide = createIceProvider({ stunPort: null, turn: { urls: ['turn:t.example:3478'], secret: 'k', ttlS: 600 }, staticServers: [{ urls: 'stun:s.example' }] }, () => nowMs);
    const first = provide('x.example');
    nowMs += 1000;
    const second = provide('x.example');
    expect(first.validForMs).toBe(600_000);
    expect(first.iceServers).toHaveLength(2);
    expect(first.iceServers[1]).toEqual({ urls: 'stun:s.example' });
    const [turnA, turnB] = [first.iceServers[0], second.iceServers[0]];
    expect(turnA?.urls).toEqual(['turn:t.example:3478']);
    expect(turnA?.username).not.toBe(turnB?.username);
    expect(turnA?.credential).toBe(turnPassword('k', turnA?.username ?? ''));
  });

  it.each([
    ['a.example:80', 'a.example'],
    ['A.Example', 'A.Example'],
    ['[::1]:8080', '[::1]'],
    ['', null],
    ['bad_host:1', null],
    ['x y', null],
  ])('host of %j is %j', (header, expected) => {
    expect(hostnameOf(header)).toBe(expected);
  });
});
