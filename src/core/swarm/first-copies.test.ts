// A seeder's first copies, as a pure record: what was given, what downloaders hold, and when a chunk
// counts as fresh again.
import { describe, expect, it } from 'vitest';
import { createBitfield } from './bitfield';
import { createFirstCopies, maxUnpassedBytes } from './first-copies';
import type { ItemRecord } from './types';

/** An item of `chunkCount` chunks whose availability the test sets (the seeder's own view). */
function itemOf(chunkCount: number): ItemRecord {
  const have = createBitfield(chunkCount);
  for (let i = 0; i < chunkCount; i++) have.set(i);
  // Chunks of a quarter of the share, so a downloader may hold 4 unpassed; only these fields are read.
  const chunkBytes = maxUnpassedBytes / 4;
  const signed = { itemId: 'x', manifest: { chunkCount, chunkBytes, totalBytes: chunkCount * chunkBytes } } as unknown as ItemRecord['signed'];
  return {
    signed, have, status: 'complete', verifiedBytes: 0, notice: null, local: true,
    availability: new Uint16Array(chunkCount), availabilityRevision: 0, availabilityDrops: 0, focus: null,
  };
}

/** A request as `holdBack` weighs it, with no other downloader (so no share rule) unless given. */
const ask = (item: ItemRecord, seeders: number, chunkIndex: number, peerId: string, otherDownloaders: readonly string[] = []) => ({
  item, seeders, chunkIndex, peerId, askerHolds: () => false, otherDownloaders,
});

describe('first copies', () => {
  it('serves a fresh chunk, holds back one given to another peer while a fresh one remains, then serves it', () => {
    const copies = createFirstCopies();
    const item = itemOf(2);
    expect(copies.holdBack(ask(item, 0, 0, 'A'))).toBe(false);
    copies.give(item, 0, 'A', 0);
    expect(copies.holdBack(ask(item, 0, 0, 'A'))).toBe(false); // asking again for what it was given is not a second copy
    expect(copies.holdBack(ask(item, 0, 0, 'B'))).toBe(true);
    copies.give(item, 1, 'B', 0);
    expect(copies.holdBack(ask(item, 0, 0, 'B'))).toBe(false); // every chunk is out: the seeder serves anything
  });

  it('counts a chunk a downloader holds as out, and as fresh again once that downloader leaves', () => {
    const copies = createFirstCopies();
    const item = itemOf(3);
    item.availability[1] = 1; // a downloader announced chunk 1
    expect(copies.holdBack(ask(item, 0, 1, 'B'))).toBe(true);
    // A second seeder joins: chunks held only by seeders are fresh from the room's view.
    item.availability.fill(1);
    expect(copies.holdBack(ask(item, 1, 1, 'B'))).toBe(false);
    // Back to one downloader holding chunk 1, and it leaves: availability drops.
    item.availability.fill(0);
    item.availability[1] = 1;
    expect(copies.holdBack(ask(item, 0, 1, 'B'))).toBe(true);
    item.availability[1] = 0;
    item.availabilityDrops++;
    expect(copies.holdBack(ask(item, 0, 1, 'B'))).toBe(false);
  });

  it('forgets an item whole: its record and what each peer was given of it, and the item starts fresh if learnt again', () => {
    const copies = createFirstCopies();
    const item = itemOf(2);
    copies.give(item, 0, 'A', 0);
    expect(copies.itemCount).toBe(1);
    copies.forgetItem('x');
    expect(copies.itemCount).toBe(0);
    // Shared again: nothing of the old record holds a request back, and A's old share does not count.
    expect(copies.holdBack(ask(item, 0, 0, 'B'))).toBe(false);
    copies.give(item, 0, 'B', 0);
    copies.releasePeer('A'); // must not lower B's count of the new record
    expect(copies.holdBack(ask(item, 0, 0, 'C'))).toBe(true);
  });

  it('a withdrawn serve and a departed peer give their chunks back', () => {
    const copies = createFirstCopies();
    const item = itemOf(3);
    copies.give(item, 0, 'A', 0);
    copies.give(item, 1, 'A', 0);
    expect(copies.holdBack(ask(item, 0, 0, 'B'))).toBe(true);
    copies.withdraw('x', 0, 'A');
    expect(copies.holdBack(ask(item, 0, 0, 'B'))).toBe(false);
    expect(copies.holdBack(ask(item, 0, 1, 'B'))).toBe(true);
    copies.releasePeer('A');
    expect(copies.holdBack(ask(item, 0, 1, 'B'))).toBe(false);
  });

  it('hands a downloader fresh chunks only as fast as it passes them on, while another downloader has room', () => {
    const copies = createFirstCopies();
    const item = itemOf(100);
    for (const chunk of [0, 1, 3, 4]) copies.give(item, chunk, 'A', 0);
    // A holds four fresh chunks nobody else has: its fifth waits while B has room…
    expect(copies.holdBack(ask(item, 0, 2, 'A', ['B']))).toBe(true);
    // …but not when A is the only downloader (nobody to pass them to), nor when B is over its share too.
    expect(copies.holdBack(ask(item, 0, 2, 'A'))).toBe(false);
    for (const chunk of [10, 11, 12, 13]) copies.give(item, chunk, 'B', 0);
    expect(copies.holdBack(ask(item, 0, 2, 'A', ['B']))).toBe(false);
    // A serve withdrawn before it went out is not A's to pass on: A has room again.
    const withdrawn = createFirstCopies();
    for (const chunk of [0, 1, 3, 4]) withdrawn.give(item, chunk, 'A', 0);
    withdrawn.withdraw('x', 4, 'A');
    expect(withdrawn.holdBack(ask(item, 0, 2, 'A', ['B']))).toBe(false);
    // Once a downloader holds chunk 0 (A passed it on), A has room again.
    const fresh = createFirstCopies();
    for (const chunk of [0, 1, 3, 4]) fresh.give(item, chunk, 'A', 0);
    item.availability[0] = 1;
    expect(fresh.holdBack(ask(item, 0, 2, 'A', ['B']))).toBe(false);
  });
});
