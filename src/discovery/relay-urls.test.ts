// The `relays` frame's URL list, checked at the boundary, and the rotation built from it.
import { describe, expect, it } from 'vitest';
import { maxRelayUrlChars, maxRelayUrls, parseRelayUrls, relayHost, relayRotation } from './relay-urls';

/** A wss URL of exactly `chars` characters. */
const urlOfLength = (chars: number): string => {
  const head = 'wss://b.example/';
  return head + 'x'.repeat(chars - head.length);
};

describe('relay URL list', () => {
  it('takes ws and wss URLs, up to the count and length limits, in normalised form', () => {
    const full = Array.from({ length: maxRelayUrls }, (_, i) => `wss://r${i}.example/signal`);
    expect(parseRelayUrls(full)).toEqual(full);
    expect(parseRelayUrls([urlOfLength(maxRelayUrlChars)])).toEqual([urlOfLength(maxRelayUrlChars)]);
    expect(parseRelayUrls(['WS://Relay-B.Example:8080/signal'])).toEqual(['ws://relay-b.example:8080/signal']);
    expect(parseRelayUrls([])).toEqual([]);
  });

  it.each([
    ['a string instead of a list', 'wss://b.example/signal'],
    ['a missing list', undefined],
    ['an object', { 0: 'wss://b.example/signal' }],
    ['a non-string entry', ['wss://b.example/signal', 7]],
    ['a relative path', ['/signal']],
    ['an http URL', ['http://b.example/signal']],
    ['a javascript: URL', ['javascript:alert(1)']],
    ['a data: URL', ['data:text/plain,hi']],
    ['one URL too many', Array.from({ length: maxRelayUrls + 1 }, (_, i) => `wss://r${i}.example/signal`)],
    ['a URL one character too long', [urlOfLength(maxRelayUrlChars + 1)]],
  ])('refuses %s', (_label, value) => {
    expect(parseRelayUrls(value)).toBeNull();
  });

  it('puts the own relay first, drops duplicates, and keeps the sender in the rotation', () => {
    const own = 'wss://a.example/signal';
    expect(relayRotation(own, ['wss://b.example/signal', 'wss://A.example/signal', 'wss://b.example/signal'], own)).toEqual({
      urls: [own, 'wss://b.example/signal'],
      senderAt: 0,
    });
    // Relay B lists only the others; B itself is appended so the rotation comes back to it.
    expect(relayRotation(own, ['wss://a.example/signal', 'wss://c.example/signal'], 'wss://b.example/signal')).toEqual({
      urls: [own, 'wss://c.example/signal', 'wss://b.example/signal'],
      senderAt: 2,
    });
  });

  it('names a relay by host and port only', () => {
    expect(relayHost('wss://b.example:8443/signal?x=1')).toBe('b.example:8443');
    expect(relayHost('not a url')).toBe('the relay');
  });
});
