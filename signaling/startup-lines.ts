// The lines `npm start` prints for a person: where to open the page, and what other machines need.
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import type { RelayAddress } from './relay.js';

/** Addresses the wildcard binds stand for. */
const wildcardHosts = new Set(['0.0.0.0', '::', '']);

/** True for addresses only this machine can reach. */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

/** Bracketed when IPv6, for use in a URL. */
function urlHost(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}

/** The machine's non-loopback addresses (IPv4, and IPv6 that is not link-local). */
function interfaceAddresses(interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>): string[] {
  const found: string[] = [];
  for (const entries of Object.values(interfaces)) {
    for (const entry of entries ?? []) {
      if (entry.internal) continue;
      if (entry.family === 'IPv6' && entry.address.toLowerCase().startsWith('fe80')) continue;
      found.push(entry.address);
    }
  }
  return found;
}

/**
 * The URLs to open, one per reachable address, and, when other machines would get plain HTTP, the
 * sentence that says they need HTTPS (browsers give WebCrypto only to secure contexts).
 */
export function startupLines(
  address: RelayAddress,
  bindHost: string,
  tls: boolean,
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces(),
): string[] {
  const scheme = tls ? 'https' : 'http';
  const remote = wildcardHosts.has(bindHost) ? interfaceAddresses(interfaces) : isLoopback(bindHost) ? [] : [bindHost];
  const localHost = wildcardHosts.has(bindHost) || isLoopback(bindHost) ? 'localhost' : null;
  const lines = [];
  if (localHost !== null) lines.push(`Swarmdrop is running at ${scheme}://${localHost}:${address.port}`);
  for (const host of remote) lines.push(`${localHost === null && lines.length === 0 ? 'Swarmdrop is running at' : '  also at'} ${scheme}://${urlHost(host)}:${address.port}`);
  if (!tls && remote.length > 0) {
    lines.push(
      'Other machines need HTTPS: browsers allow the page only on https:// or localhost. Put a reverse proxy with TLS in front (README: Deploy), or set TLS_CERT and TLS_KEY.',
    );
  }
  lines.push(address.stunPort === null ? 'STUN: off (STUN_PORT=0)' : `STUN: answering on UDP port ${address.stunPort}`);
  return lines;
}
