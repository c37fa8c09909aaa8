import { describe, expect, it } from 'vitest';
import { noticeText, skippedFilesText, skipText } from './messages';

describe('the sentences made from item notices', () => {
  it.each([
    [{ code: 'storage-full' } as const, /^Storage is full: the download is paused\. Free some space/],
    [{ code: 'not-enough-storage', neededBytes: 1_000_001, freeBytes: -5 } as const, /^Not enough storage: big\.bin needs 2 MB more, 0 MB is free\./],
    [{ code: 'store-failed', detail: 'disk on fire' } as const, /^Could not store a chunk: disk on fire$/],
  ])('%o', (notice, sentence) => {
    expect(noticeText(notice, 'big.bin')).toMatch(sentence);
  });
});

describe('the sentences for files a share left out', () => {
  it.each([
    [{ reason: 'empty', folder: false }, 'the name is empty'],
    [{ reason: 'backslash', folder: true }, "the folder's name contains a backslash (\\)"],
    [{ reason: 'nul', folder: false }, 'the name contains a NUL character'],
    [{ reason: 'bad-part', folder: false }, "the path has an empty, '.' or '..' part"],
    [{ reason: 'too-long', folder: false }, 'the path is longer than 4096 characters'],
    [{ reason: 'picked-twice', folder: false }, 'it was picked twice'],
  ] as const)('%o', (skipped, clause) => {
    expect(skipText(skipped)).toBe(clause);
  });

  it('lists five and counts the rest', () => {
    const skipped = Array.from({ length: 7 }, (_, i) => ({ path: `f${i}\\x`, reason: 'backslash' as const, folder: false }));
    expect(skippedFilesText(skipped)).toBe(
      `Left out, because a shared name cannot hold them: ${skipped.slice(0, 5).map((s) => `${s.path} (the name contains a backslash (\\))`).join('; ')}; and 2 more.`,
    );
  });
});
