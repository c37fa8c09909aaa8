import { describe, expect, it } from 'vitest';
import { createAvailability } from './availability';

describe('distributed copies', () => {
  it('counts many copies of a few chunks as less than one copy', () => {
    const room = createAvailability(4);
    for (let i = 0; i < 10; i++) room.gained(0);
    expect(room.copies()).toBe(0.25);
    expect(room.covered()).toBe(1);
  });

  it('is 1.5 when every chunk is held once and half of them twice', () => {
    const room = createAvailability(4);
    for (const index of [0, 1, 2, 3, 0, 1]) room.gained(index);
    expect(room.copies()).toBe(1.5);
    expect(room.covered()).toBe(4);
  });

  it('drops what a leaving downloader held', () => {
    const room = createAvailability(2);
    for (const index of [0, 1, 0, 1]) room.gained(index);
    expect(room.copies()).toBe(2);
    room.lost([0, 1]);
    expect(room.copies()).toBe(1);
    room.lost([1]);
    expect(room.copies()).toBe(0.5);
    expect(room.covered()).toBe(1);
  });
});
