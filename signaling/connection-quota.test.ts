import { describe, expect, it } from 'vitest';
import { clientKey, createConnectionQuota } from './connection-quota.js';

const keys: readonly {
  readonly name: string;
  readonly remote: string | undefined;
  readonly forwarded?: string | readonly string[];
  readonly trustProxy?: boolean;
  readonly key: string;
}[] = [
  { name: 'IPv4 peer', remote: '127.0.0.1', key: '127.0.0.1' },
  { name: 'IPv4-mapped IPv6 peer (dual-stack listener)', remote: '::ffff:10.0.0.1', key: '10.0.0.1' },
  { name: 'IPv6 loopback', remote: '::1', key: '0:0:0:0::/64' },
  { name: 'full IPv6: grouped by /64', remote: '2001:db8:0:1:a:b:c:d', key: '2001:db8:0:1::/64' },
  { name: 'same /64, other host', remote: '2001:db8:0:1:ffff::9', key: '2001:db8:0:1::/64' },
  { name: 'upper case and compressed', remote: '2001:DB8::1', key: '2001:db8:0:0::/64' },
  { name: 'leading zeros', remote: '2001:0db8:0000:0001::1', key: '2001:db8:0:1::/64' },
  { name: 'embedded IPv4 tail', remote: '2001:db8:1:2::ffff:1.2.3.4', key: '2001:db8:1:2::/64' },
  { name: 'zone id', remote: 'fe80::1%eth0', key: 'fe80:0:0:0::/64' },
  { name: 'trailing ::', remote: '1::', key: '1:0:0:0::/64' },
  { name: 'no address (socket already gone)', remote: undefined, key: 'unknown' },
  { name: 'X-Forwarded-For ignored by default', remote: '127.0.0.1', forwarded: '203.0.113.7', key: '127.0.0.1' },
  { name: 'trustProxy: the proxy-appended entry', remote: '127.0.0.1', forwarded: '203.0.113.7', trustProxy: true, key: '203.0.113.7' },
  {
    name: 'trustProxy: the rightmost entry, not the client-written ones',
    remote: '127.0.0.1',
    forwarded: '198.51.100.1, 10.9.9.9, 203.0.113.7',
    trustProxy: true,
    key: '203.0.113.7',
  },
  { name: 'trustProxy: repeated headers', remote: '127.0.0.1', forwarded: ['198.51.100.1', '203.0.113.7'], trustProxy: true, key: '203.0.113.7' },
  { name: 'trustProxy: IPv6 entry grouped', remote: '127.0.0.1', forwarded: '2001:db8:5:6::7', trustProxy: true, key: '2001:db8:5:6::/64' },
  { name: 'trustProxy: garbage falls back to the peer', remote: '127.0.0.1', forwarded: '203.0.113.7, evil', trustProxy: true, key: '127.0.0.1' },
  { name: 'trustProxy: empty header falls back', remote: '127.0.0.1', forwarded: '', trustProxy: true, key: '127.0.0.1' },
  { name: 'trustProxy: no header falls back', remote: '127.0.0.1', trustProxy: true, key: '127.0.0.1' },
];

describe('clientKey', () => {
  it.each(keys)('$name', ({ remote, forwarded, trustProxy = false, key }) => {
    expect(clientKey({ remoteAddress: remote, forwardedFor: forwarded }, trustProxy)).toBe(key);
  });
});

describe('createConnectionQuota', () => {
  it('refuses beyond the cap per key, frees on release, and forgets empty keys', () => {
    const quota = createConnectionQuota(2);
    expect([quota.tryAcquire('a'), quota.tryAcquire('a'), quota.tryAcquire('a')]).toEqual([true, true, false]);
    expect(quota.tryAcquire('b')).toBe(true);
    expect(quota.clientCount).toBe(2);

    quota.release('a');
    expect(quota.tryAcquire('a')).toBe(true);
    expect(quota.tryAcquire('a')).toBe(false);

    quota.release('a');
    quota.release('a');
    quota.release('b');
    expect(quota.clientCount).toBe(0);
    quota.release('never-seen');
    expect(quota.clientCount).toBe(0);
  });
});
