import { describe, expect, it } from 'vitest';
import type { Report } from '../core/reports';
import { startUrlRouting, type AddressBar, type RoutedSession } from './url-routing';

const secretA = 'AAAAAAAAAAAAAAAAAAAAAA';
const secretB = 'BBBBBBBBBBBBBBBBBBBBBB';

function fakes(initialHash: string) {
  let hash = initialHash;
  let roomLink: string | null = null;
  const joined: string[] = [];
  const errors: Report[] = [];
  let reloads = 0;
  const listeners = new Set<() => void>();
  const session: RoutedSession = {
    async joinRoom(secret) {
      joined.push(secret);
      roomLink = `https://drop.example/#${secret}`;
    },
    reportError: (report) => errors.push(report),
    getSnapshot: () => ({ roomLink, relayStatus: 'offline', preparing: [], errors: [], saves: [] }),
  };
  const address: AddressBar = {
    hash: () => hash,
    reload: () => reloads++,
    onHashChange: (listener) => (listeners.add(listener), () => listeners.delete(listener)),
  };
  const navigate = (next: string) => {
    hash = next;
    for (const listener of listeners) listener();
  };
  return { session, address, navigate, joined, errors, reloads: () => reloads };
}

describe('joining from the address', () => {
  it('joins the room the fragment names on load', () => {
    const f = fakes(`#${secretA}`);
    startUrlRouting(f.session, f.address);
    expect(f.joined).toEqual([secretA]);
    expect(f.errors).toEqual([]);
  });

  it('says a damaged link is damaged, and joins nothing', () => {
    const f = fakes('#short');
    startUrlRouting(f.session, f.address);
    expect(f.joined).toEqual([]);
    expect(f.errors).toEqual([{ code: 'link-damaged' }]);
  });

  it('joins a link pasted into a tab in no room; reloads into a pasted link of another room; ignores the same room', async () => {
    const f = fakes('');
    startUrlRouting(f.session, f.address);
    expect(f.joined).toEqual([]);
    f.navigate(`#${secretA}`);
    expect(f.joined).toEqual([secretA]);
    await Promise.resolve();
    f.navigate(`#${secretA}`);
    expect(f.reloads()).toBe(0);
    f.navigate(`#${secretB}`);
    expect(f.reloads()).toBe(1);
    expect(f.joined).toEqual([secretA]);
  });
});
