// A seeder's first copies, as a pure record: what was given, what downloaders hold, and when a chunk
// counts as fresh again.
import { describe, expect, it } from 'vitest';
import { createBitfield } from './bitfield';
import { createFirstCopies } from './first-copies';
import type { ItemRecord } from './types';

/** An item of `chunkCount` chunks whose availability the test sets (the seeder's own view). */
function itemOf(chunkCount: number): ItemRecord {
  const have = createBitfield(chunkCount);
  for (let i = 0; i < chunkCount; i++) have.set(i);
  const signed = { itemId: 'x', manifest: { chunkCount } } as unknown as ItemRecord['signed']; // only these fields are read
  return {
    signed, have, status: 'complete', verifiedBytes: 0, notice: null, local: true,
    availability: new Uint16Array(chunkCount), availabilityRevision: 0, availabilityDrops: 0, focus: null,
  };
}

describe('first copies', () => {
  it('serves a fresh chunk, holds back one given to another peer while a fresh one remains, then serves it', () => {
    const copies = createFirstCopies();
    const item = itemOf(2);
    expect(copies.holdBack(item, 0, 0, 'A')).toBe(false);
    copies.give(item, 0, 'A');
    expect(copies.holdBack(item, 0, 0, 'A')).toBe(false); // asking again for what it was given is not a second copy
    expect(copies.holdBack(item, 0, 0, 'B')).toBe(true);
    copies.give(item, 1, 'B');
    expect(copies.holdBack(item, 0, 0, 'B')).toBe(false); // every chunk is out: the seeder serves anything
  });

  it('counts a chunk a downloader holds as out, and as fresh again once that downloader leaves', () => {
    const copies = createFirstCopies();
    const item = itemOf(3);
    item.availability[1] = 1; // a downloader announced chunk 1
    expect(copies.holdBack(item, 0, 1, 'B')).toBe(true);
    // A second seeder joins: chunks held only by seeders are fresh from the room's view.
    item.availability.fill(1);
    expect(copies.holdBack(item, 1, 1, 'B')).toBe(false);
    // Back to one downloader holding chunk 1, and it leaves: availability drops.
    item.availability.fill(0);
    item.availability[1] = 1;
    expect(copies.holdBack(item, 0, 1, 'B')).toBe(true);
    item.availability[1] = 0;
    item.availabilityDrops++;
    expect(copies.holdBack(item, 0, 1, 'B')).toBe(false);
  });

  it('a withdrawn serve and a departed peer give their chunks back', () => {
    const copies = createFirstCopies();
    const item = itemOf(3);
    copies.give(item, 0, 'A');
    copies.give(item, 1, 'A');
    expect(copies.holdBack(item, 0, 0, 'B')).toBe(true);
    copies.withdraw('x', 0, 'A');
    expect(copies.holdBack(item, 0, 0, 'B')).toBe(false);
    expect(copies.holdBack(item, 0, 1, 'B')).toBe(true);
    copies.releasePeer('A');
    expect(copies.holdBack(item, 0, 1, 'B')).toBe(false);
  });
});
