import { describe, expect, it } from 'vitest';
import { noticeText } from './messages';

describe('the sentences made from item notices', () => {
  it.each([
    [{ code: 'storage-full' } as const, /^Storage is full: the download is paused\. Free some space/],
    [{ code: 'not-enough-storage', neededBytes: 1_000_001, freeBytes: -5 } as const, /^Not enough storage: big\.bin needs 2 MB more, 0 MB is free\./],
    [{ code: 'store-failed', detail: 'disk on fire' } as const, /^Could not store a chunk: disk on fire$/],
  ])('%o', (notice, sentence) => {
    expect(noticeText(notice, 'big.bin')).toMatch(sentence);
  });
});
