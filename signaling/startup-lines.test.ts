import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { startupLines } from './startup-lines.js';

const iface = (address: string, family: 'IPv4' | 'IPv6', internal = false) => ({ address, family, internal }) as NetworkInterfaceInfo;
const interfaces = {
  lo: [iface('127.0.0.1', 'IPv4', true), iface('::1', 'IPv6', true)],
  eth0: [iface('192.0.2.7', 'IPv4'), iface('fe80::1', 'IPv6'), iface('2001:db8::7', 'IPv6')],
};
const address = (stunPort: number | null) => ({ host: '0.0.0.0', port: 8080, url: 'http://0.0.0.0:8080', stunPort });

describe('what npm start prints', () => {
  it('lists every interface and says that other machines need HTTPS when serving plain HTTP on all interfaces', () => {
    expect(startupLines(address(8080), '0.0.0.0', false, interfaces)).toEqual([
      'Swarmdrop is running at http://localhost:8080',
      '  also at http://192.0.2.7:8080',
      '  also at http://[2001:db8::7]:8080',
      'Other machines need HTTPS: browsers allow the page only on https:// or localhost. Put a reverse proxy with TLS in front (README: Deploy), or set TLS_CERT and TLS_KEY.',
      'STUN: answering on UDP port 8080',
    ]);
  });

  it('prints no HTTPS warning with TLS, nor on loopback', () => {
    expect(startupLines(address(null), '0.0.0.0', true, interfaces)).toEqual([
      'Swarmdrop is running at https://localhost:8080',
      '  also at https://192.0.2.7:8080',
      '  also at https://[2001:db8::7]:8080',
      'STUN: off (STUN_PORT=0)',
    ]);
    expect(startupLines(address(8080), '127.0.0.1', false, interfaces)).toEqual(['Swarmdrop is running at http://localhost:8080', 'STUN: answering on UDP port 8080']);
  });

  it('names the one address a specific HOST binds', () => {
    const lines = startupLines(address(8080), '192.0.2.7', false, interfaces);
    expect(lines[0]).toBe('Swarmdrop is running at http://192.0.2.7:8080');
    expect(lines[1]).toMatch(/^Other machines need HTTPS/);
  });
});
