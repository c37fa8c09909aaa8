// The per-client connection cap: who is connecting, and how many sockets each client holds.
import { isIP } from 'node:net';

/** The request fields the key needs, so it is testable without a socket. */
export interface ClientAddressRequest {
  /** `req.socket.remoteAddress`: the TCP peer, which cannot be spoofed. */
  readonly remoteAddress: string | undefined;
  /** The `X-Forwarded-For` header as node hands it over. */
  readonly forwardedFor: string | readonly string[] | undefined;
}

/** Counts live sockets per client key; a key is forgotten when its count drops to zero. */
export interface ConnectionQuota {
  /** Takes a slot for `key`; false when it already holds the maximum. */
  tryAcquire(key: string): boolean;
  /** Gives one slot back; call exactly once per successful `tryAcquire`. */
  release(key: string): void;
  /** Keys currently holding at least one slot; for tests and logs. */
  readonly clientCount: number;
}

/** Key for a socket whose address node no longer knows (it closed during the upgrade). */
const unknownClient = 'unknown';

/** IPv6 hosts get a whole /64 (4 groups of 16 bits), so addresses are grouped by it; else one host has 2^64 quotas. */
const ipv6PrefixGroups = 4;

/** Groups in a full IPv6 address. */
const ipv6Groups = 8;

/** An IPv4 address in IPv6 form, as a dual-stack listener reports IPv4 peers. */
const ipv4MappedPattern = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/**
 * The key a socket is counted under. By default the TCP peer address: `X-Forwarded-For` is
 * written by the client and would let anyone pick a fresh "address" per socket. With
 * `trustProxy` (only when a reverse proxy that appends the header is the sole way in), the
 * rightmost entry is used: the one our proxy appended, not the ones the client sent it.
 */
export function clientKey({ remoteAddress, forwardedFor }: ClientAddressRequest, trustProxy: boolean): string {
  const forwarded = trustProxy ? lastForwardedAddress(forwardedFor) : null;
  const address = forwarded ?? remoteAddress;
  return address === undefined || isIP(address) === 0 ? unknownClient : normalizeAddress(address);
}

/** Builds an empty quota of `maxPerClient` sockets per key. */
export function createConnectionQuota(maxPerClient: number): ConnectionQuota {
  const counts = new Map<string, number>();
  return {
    tryAcquire(key) {
      const count = counts.get(key) ?? 0;
      if (count >= maxPerClient) return false;
      counts.set(key, count + 1);
      return true;
    },
    release(key) {
      const count = counts.get(key) ?? 0;
      if (count <= 1) counts.delete(key);
      else counts.set(key, count - 1);
    },
    get clientCount() {
      return counts.size;
    },
  };
}

function lastForwardedAddress(header: string | readonly string[] | undefined): string | null {
  const joined = typeof header === 'string' ? header : header?.join(',');
  const last = joined?.split(',').pop()?.trim();
  return last !== undefined && isIP(last) !== 0 ? last : null;
}

function normalizeAddress(address: string): string {
  const mapped = ipv4MappedPattern.exec(address)?.[1];
  if (mapped !== undefined) return mapped;
  return isIP(address) === 6 ? ipv6Prefix(address) : address;
}

/** `2001:DB8:0:1:a::1` -> `2001:db8:0:1::/64`; assumes `isIP(address) === 6`. */
function ipv6Prefix(address: string): string {
  const [head = '', tail] = address.replace(/%.*$/, '').split('::', 2);
  const headGroups = groupsOf(head);
  const tailGroups = tail === undefined ? [] : groupsOf(tail);
  const zeros = tail === undefined ? [] : new Array<string>(ipv6Groups - headGroups.length - tailGroups.length).fill('0');
  const groups = [...headGroups, ...zeros, ...tailGroups].slice(0, ipv6PrefixGroups);
  return `${groups.map((group) => Number.parseInt(group, 16).toString(16)).join(':')}::/64`;
}

/** Splits colon-separated groups; a trailing dotted IPv4 part counts as the two groups it fills. */
function groupsOf(part: string): string[] {
  if (part === '') return [];
  return part.split(':').flatMap((group) => (group.includes('.') ? ['0', '0'] : [group]));
}
