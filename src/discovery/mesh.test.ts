// The mesh cap: pure rules (table-driven), then whole rooms of connectors over the in-memory relay,
// on a manual clock: time moves from timer to timer, and the room settles in between.
import { afterEach, describe, expect, it } from 'vitest';
import { deriveRoomKeys } from '../core/room-keys';
import type { TestRoomPeer } from '../test-support/memory-relay';
import { createMeshRoom, smallMesh } from '../test-support/mesh-room';
import { createConnectionBudget } from '../transport/connection-budget';
import { maxBroadcastRecipients } from '../../signaling/limits';
import { createMeshLimits, linkKindFor, meshCapBaseLinks, meshCapJitterLinks, parseHello, rescueChance, rescuersPerNeedyPeer, type LinkKind, type MeshLimits } from './mesh';
import { createPeerBook } from './peer-book';

const keys = await deriveRoomKeys('AAECAwQFBgcICQoLDA0ODw');
const small = smallMesh;

const joined: TestRoomPeer[] = [];
afterEach(() => {
  for (const peer of joined.splice(0)) peer.connector.close();
});

const room = (mesh: Partial<MeshLimits> = small) => createMeshRoom(keys, joined, mesh);

/** Long enough for every invite out to be taken up or lapse, and a few refill rounds to run. */
const quietMs = small.inviteTimeoutMs;
const ids = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(2, '0')}`);

describe('mesh rules', () => {
  it('draws the cap once per tab: the base plus 0..jitter, and the hard cap above it', () => {
    expect(createMeshLimits(() => 0).capLinks).toBe(meshCapBaseLinks);
    expect(createMeshLimits(() => 0.9999).capLinks).toBe(meshCapBaseLinks + meshCapJitterLinks);
    const limits = createMeshLimits(() => 0.5);
    expect(limits.hardCapLinks).toBeGreaterThan(limits.capLinks);
  });

  it('expects a hello to reach as many members as the relay samples, well above the hard link cap', () => {
    const limits = createMeshLimits(() => 0.9999);
    expect(limits.helloRecipients).toBe(maxBroadcastRecipients);
    expect(limits.helloRecipients).toBeGreaterThan(limits.hardCapLinks);
  });

  it('shares a needy hello’s rescuers among the members it reached, never more than the relay’s sample', () => {
    expect(rescueChance(3, 64)).toBe(1);
    expect(rescueChance(40, 64)).toBeCloseTo(rescuersPerNeedyPeer / 40);
    expect(rescueChance(999, 64)).toBeCloseTo(rescuersPerNeedyPeer / 64);
    expect(rescueChance(0, 64)).toBe(1);
  });

  // small: cap 5 of which 2 kept for random links (so 3 ordinary), hard cap 8, needy below 3.
  it.each([
    [0, 0, 9, 'ordinary', 'an empty peer answers anyone with room'],
    [4, 2, 9, 'ordinary', 'two random links leave ordinary room'],
    [3, 3, 9, null, 'ordinary room used up: not for a well-linked peer'],
    [3, 3, 2, 'rescue', 'ordinary room used up: a needy peer is rescued'],
    [5, 2, 9, null, 'at the cap: not for a well-linked peer'],
    [7, 3, 0, 'rescue', 'past the cap, below the hard cap: a needy peer'],
    [8, 3, 0, null, 'at the hard cap: nobody'],
    [0, 0, 10, 'ordinary', 'a needy peer takes a full one up on its rescue'],
    [3, 1, 10, null, 'a full peer keeps its spare room for needy ones'],
  ] satisfies [number, number, number, LinkKind | null, string][])('with %i links (%i ordinary), a peer with 10 as its cap and %i links gets %s: %s', (total, ordinary, theirs, expected, _why) => {
    expect(linkKindFor(small, { total, ordinary }, { links: theirs, cap: 10 })).toBe(expected);
  });

  it.each([[{ links: 0, cap: 24 }], [{ links: 12, cap: 30 }], [{ links: 30, cap: 30, busy: true }]])('parses hello %j', (payload) => {
    expect(parseHello(payload)).toEqual(payload);
  });

  it.each([
    [{ links: 1, cap: 24, name: 'Ada' }, { links: 1, cap: 24, name: 'Ada' }],
    [{ links: 1, cap: 24, name: '  Ada\u0000 ' }, { links: 1, cap: 24, name: 'Ada' }],
    [{ links: 1, cap: 24, busy: true, name: 'Ada' }, { links: 1, cap: 24, busy: true, name: 'Ada' }],
    [{ links: 1, cap: 24, name: 'a'.repeat(41) }, { links: 1, cap: 24 }],
    [{ links: 1, cap: 24, name: 'x'.repeat(1_000) }, { links: 1, cap: 24 }],
    [{ links: 1, cap: 24, name: { length: 3 } }, { links: 1, cap: 24 }],
    [{ links: 1, cap: 24, name: '' }, { links: 1, cap: 24 }],
  ])('parses hello %j as %j: a name that does not fit is dropped, the hello kept', (payload, parsed) => {
    expect(parseHello(payload)).toEqual(parsed);
  });

  it.each([[null], [{}], [{ links: 3 }], [{ links: -1, cap: 5 }], [{ links: 1.5, cap: 5 }], [{ links: '3', cap: 5 }], [{ links: 1e9, cap: 5 }], [{ links: 1, cap: 0 }], [{ links: 1, cap: 5, busy: false }]])(
    'rejects hello %j',
    (payload) => {
      expect(parseHello(payload)).toBeNull();
    },
  );

  it('picks needy peers first, skips linked and snoozed ones, and forgets peers that let an invite lapse', () => {
    let now = 0;
    const book = createPeerBook(small, () => 0.3, () => now);
    book.heard('full', { links: 9, cap: 5 });
    book.heard('linked', { links: 4, cap: 5 });
    book.heard('needy', { links: 0, cap: 5 });
    book.heard('busy', { links: 8, cap: 5 });
    book.snooze('busy');
    expect(book.pick(1, (id) => id === 'linked')).toEqual(['needy']);
    expect(book.pick(5, (id) => id === 'linked')).toEqual(['needy', 'full']);
    book.forget('needy');
    book.heard('full'); // any envelope: still here, and keeps the count it reported
    expect(book.helloOf('full')).toEqual({ links: 9, cap: 5 });
    expect(book.helloOf('needy')).toEqual({ links: small.minLinks, cap: small.capLinks });
    now = small.declinedSnoozeMs;
    expect(book.pick(5, (id) => id !== 'busy')).toEqual(['busy']);
    expect(book.size).toBe(3);
  });
});

describe('mesh cap in a room', () => {
  it('12 peers with a cap of 5: nobody past the hard cap, everyone at least the minimum, one connected mesh', async () => {
    const { sim, join, webrtc, degree, connected } = room();
    const everyone = ids(12, 'p');
    // Half join at once, the rest one by one into a room that is already full.
    for (const id of everyone.slice(0, 6)) await join(id);
    for (const id of everyone.slice(6)) {
      await sim.runFor(30);
      await join(id);
    }
    await sim.runUntil(() => everyone.every((id) => degree(id) >= small.minLinks), 5000, 'minimum links');
    await sim.runUntil(() => connected(everyone), 5000, 'one connected mesh');
    await sim.runFor(quietMs);
    const degrees = everyone.map(degree);
    expect(Math.max(...degrees)).toBeLessThanOrEqual(small.hardCapLinks);
    expect(Math.min(...degrees)).toBeGreaterThanOrEqual(small.minLinks);
    expect(connected(everyone)).toBe(true);
    expect(webrtc.openPairs().length).toBeLessThan((12 * 11) / 2); // a partial mesh, not a full one
  });

  it('a crowd of 30 joining at once: one connected mesh, not islands of those who heard each other first', async () => {
    const { sim, join, degree, connected } = room();
    const everyone = ids(30, 'c');
    for (const id of everyone) await join(id);
    await sim.runUntil(() => everyone.every((id) => degree(id) >= small.minLinks), 10_000, 'minimum links');
    await sim.runUntil(() => connected(everyone), 10_000, 'one connected mesh');
    expect(Math.max(...everyone.map(degree))).toBeLessThanOrEqual(small.hardCapLinks);
  });

  it('a newcomer to a full room gets links', async () => {
    const { sim, join, degree } = room({ ...small, randomLinks: 0 }); // so that 6 peers fill up as a full mesh
    const old = ids(6, 'f');
    for (const id of old) await join(id);
    await sim.runUntil(() => old.every((id) => degree(id) === 5), 5000, 'a full room (everyone at the cap)');
    await join('f99');
    await sim.runUntil(() => degree('f99') >= small.minLinks, 5000, 'newcomer links');
    await sim.runFor(quietMs);
    expect([...old, 'f99'].map(degree).filter((n) => n > small.hardCapLinks)).toEqual([]);
    expect(degree('f99')).toBeGreaterThanOrEqual(small.minLinks);
  });

  it('refills after a link closes, greeting first a peer that a full room had left out', async () => {
    // Cap 2 and no room past it: d finds the room full and stays alone until a link closes.
    const { sim, join, webrtc, degree } = room({ ...small, capLinks: 2, hardCapLinks: 2, minLinks: 1, randomLinks: 0 });
    const full: TestRoomPeer[] = [];
    for (const id of ['a', 'b', 'c']) {
      full.push(await join(id));
      await sim.runFor(30);
    }
    await sim.runUntil(() => webrtc.openPairs().length === 3, 5000, 'triangle');
    const d = await join('d');
    await sim.runFor(quietMs);
    // Each of the full three heard d's hello and declined it, at its cap; so d stayed alone.
    for (const peer of full) expect(peer.entries).toContainEqual({ event: 'hello-declined', fields: { peerId: d.id, links: 2 } });
    expect(degree('d')).toBe(0);
    expect(d.events).not.toContain('link-open');
    webrtc.cut('a', 'c');
    await sim.runUntil(() => degree('d') === 2, 5000, 'd linked by the refills of a and c');
    expect(webrtc.openPairs()).toEqual(['a|b', 'a|d', 'b|c', 'c|d']);
  });

  it('stops connecting when the connection budget is spent, and says so once', async () => {
    const { sim, join, webrtc, degree } = room({ ...small, capLinks: 10, hardCapLinks: 10 });
    const reports: number[] = [];
    const budget = createConnectionBudget({ limit: 2, onExhausted: (count) => reports.push(count) });
    const a = await join('a', { budget });
    for (const id of ['b', 'c', 'd', 'e']) await join(id);
    await sim.runUntil(() => reports.length === 1, 5000, 'the report');
    await sim.runFor(quietMs);
    await join('f');
    await sim.runUntil(() => degree('f') === 4, 5000, 'f linked to the others'); // the others still link up
    await sim.runFor(quietMs);
    expect(budget.count).toBe(2);
    expect(webrtc.attempts.filter((x) => x.startsWith('a->'))).toHaveLength(2);
    expect(degree('a')).toBe(2);
    expect(a.connector.linkCount).toBe(2);
    expect(a.events.filter((e) => e === 'connect-refused')).toHaveLength(1);
    expect(reports).toEqual([2]);
    expect(degree('f')).toBe(4);
  });
});
