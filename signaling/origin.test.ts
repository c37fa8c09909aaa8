import { describe, expect, it } from 'vitest';
import { isOriginAllowed } from './origin.js';

const cases: readonly {
  readonly name: string;
  readonly origin: string | undefined;
  readonly host: string | undefined;
  readonly allowlist?: readonly string[];
  readonly allowed: boolean;
}[] = [
  { name: 'no Origin (non-browser client)', origin: undefined, host: 'relay:8080', allowed: true },
  { name: 'same origin', origin: 'http://relay:8080', host: 'relay:8080', allowed: true },
  { name: 'same origin behind TLS', origin: 'https://swarm.example', host: 'swarm.example', allowed: true },
  { name: 'Host header in other case', origin: 'http://relay:8080', host: 'RELAY:8080', allowed: true },
  { name: 'foreign origin', origin: 'https://evil.example', host: 'relay:8080', allowed: false },
  { name: 'same host, other port', origin: 'http://relay:8081', host: 'relay:8080', allowed: false },
  { name: 'opaque origin', origin: 'null', host: 'relay:8080', allowed: false },
  { name: 'Origin without Host', origin: 'http://relay:8080', host: undefined, allowed: false },
  { name: 'listed origin', origin: 'https://a.example', host: 'relay', allowlist: ['https://a.example'], allowed: true },
  { name: 'listed with trailing slash', origin: 'https://A.example', host: 'relay', allowlist: ['https://a.example/'], allowed: true },
  { name: 'unlisted origin', origin: 'https://b.example', host: 'relay', allowlist: ['https://a.example'], allowed: false },
  { name: 'same origin but unlisted', origin: 'http://relay', host: 'relay', allowlist: ['https://a.example'], allowed: false },
  { name: 'no Origin with an allowlist', origin: undefined, host: 'relay', allowlist: ['https://a.example'], allowed: false },
];

describe('isOriginAllowed', () => {
  it.each(cases)('$name -> $allowed', ({ origin, host, allowlist, allowed }) => {
    expect(isOriginAllowed({ origin, host }, allowlist)).toBe(allowed);
  });
});
