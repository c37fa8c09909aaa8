import { describe, expect, it } from 'vitest';
import { fileWindow } from './file-list-window';

describe('fileWindow', () => {
  const paths = Array.from({ length: 10_000 }, (_, i) => `${2020 + (i % 5)}/Día ${i % 7}/photo ${i}.jpg`);

  it('renders at most the limit, and counts the rest', () => {
    expect(fileWindow(paths, '', 10)).toEqual({ indexes: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], matching: 10_000, hidden: 9_990 });
  });

  it('keeps each row’s index in the item, and matches the path case-insensitively', () => {
    const found = fileWindow(paths, ' día 2/PHOTO 1234', 500);
    expect(found).toEqual({ indexes: [1234], matching: 1, hidden: 0 });
    expect(fileWindow(paths, 'no such file', 500)).toEqual({ indexes: [], matching: 0, hidden: 0 });
  });
});
