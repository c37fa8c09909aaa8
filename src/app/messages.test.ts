import { describe, expect, it } from 'vitest';
import { dropReadFailedText, noticeText, reportText, skippedFilesText, skipText } from './messages';

describe('the sentences made from item notices', () => {
  it.each([
    [{ code: 'storage-full' } as const, /^Storage is full: the download is paused\. Free some space/],
    [{ code: 'not-enough-storage', neededBytes: 1_000_001, freeBytes: -5 } as const, /^Not enough storage: big\.bin needs 2 MB more, 0 MB is free\./],
    [{ code: 'store-failed', detail: 'disk on fire' } as const, /^Could not store a piece of big\.bin in this browser \(disk on fire\)\. Press Resume to try again/],
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
    [{ reason: 'too-many-files', folder: true, fileCount: 12_345 }, 'it has 12,345 files, and one shared folder holds at most 10,000: share it in parts (for example, its subfolders)'],
  ] as const)('%o', (skipped, clause) => {
    expect(skipText(skipped)).toBe(clause);
  });

  it('lists five and counts the rest', () => {
    const skipped = Array.from({ length: 7 }, (_, i) => ({ path: `f${i}\\x`, reason: 'backslash' as const, folder: false }));
    expect(skippedFilesText(skipped)).toBe(
      `Left out, because a shared name cannot hold them: ${skipped.slice(0, 5).map((s) => `${s.path} (the name contains a backslash (\\))`).join('; ')}; and 2 more. Rename those and share them again.`,
    );
  });

  it('asks for a rename only when a name was the reason', () => {
    expect(skippedFilesText([{ path: 'a.txt', reason: 'picked-twice', folder: false }])).toBe('Left out, because a shared name cannot hold them: a.txt (it was picked twice).');
  });
});

describe('the sentences for reports', () => {
  it.each([
    [{ code: 'share-failed', name: 'c.txt', detail: 'unreadable' } as const, 'Could not share c.txt (unreadable). Check that the files are still on this device and readable, then choose them again.'],
    [{ code: 'save-failed', name: 'd.zip', detail: 'gone' } as const, /^Could not save d\.zip \(gone\)\. Press Save to try again/],
    [
      { code: 'save-chunks-faulty', name: 'Trip', missing: 3, damaged: 0, path: 'a/b.jpg' } as const,
      "Could not save Trip: 3 pieces are missing from this browser's storage (the first holds part of a/b.jpg). Swarmdrop is downloading them again from the room; save again once the item is complete.",
    ],
    [
      { code: 'save-chunks-faulty', name: 'x.bin', missing: 0, damaged: 1, path: 'x.bin' } as const,
      "Could not save x.bin: 1 piece is unreadable or damaged in this browser's storage (it holds part of x.bin). Swarmdrop is downloading it again from the room; save again once the item is complete.",
    ],
    [
      { code: 'save-chunks-faulty', name: 'T', missing: 1, damaged: 2, path: 'p' } as const,
      /^Could not save T: 1 piece is missing from this browser's storage and 2 are unreadable or damaged \(the first holds part of p\)/,
    ],
    [{ code: 'item-unknown' } as const, 'That item is no longer in this room. Reload the page to see what the room holds now.'],
    [{ code: 'join-failed', detail: 'no crypto' } as const, 'Could not join the room (no crypto). Reload the page to try again; if it keeps failing, ask for the link again.'],
    [{ code: 'link-damaged' } as const, 'This room link is incomplete or damaged. Ask for the link again.'],
    [{ code: 'keep-copy-failed', name: 'e', detail: 'x' } as const, /^Could not keep a copy of e in this browser \(x\), so it is shared only while this tab stays open\. Keep the tab open/],
    [{ code: 'room-data-deleted-elsewhere', items: 2 } as const, /^Another tab deleted this browser's copy of 2 items open here\. Swarmdrop is fetching them again/],
    [{ code: 'stored-data-missing', name: 'photos' } as const, /^Parts of photos are no longer in this browser's storage \(it may have been cleared\)\. Swarmdrop is fetching them again/],
    [{ code: 'signaling-member-forgery' } as const, /^Someone in this room sent connection messages in another member’s name\. They were refused/],
    [{ code: 'room-item-limit', limit: 10_000 } as const, /^This room has more than 10,000 items; this page shows and fetches the first 10,000\./],
    [{ code: 'connection-budget-spent', count: 400 } as const, /^This tab holds 400 peer connections, near the browser's limit per tab, so it connects to no new peers for now/],
    [{ code: 'signaling-tampered' } as const, /failed authentication: the relay \(or someone on the way\) is altering them/],
    [{ code: 'rooms-read-failed', detail: 'x' } as const, /^Could not read your rooms from this browser's storage \(x\)\. Reload the page to try again/],
    [{ code: 'room-delete-failed', what: 'this room', detail: 'x' } as const, 'Could not delete this room (x). Reload the page and try again.'],
  ])('%o', (report, sentence) => {
    if (typeof sentence === 'string') expect(reportText(report)).toBe(sentence);
    else expect(reportText(report)).toMatch(sentence);
  });
});

describe('the sentence for a drop the browser could not read', () => {
  it('says what happened and what to try instead', () => {
    expect(dropReadFailedText('NotReadableError')).toBe('Could not read what was dropped (NotReadableError). Try again with the Choose files or Choose a folder button.');
  });
});
