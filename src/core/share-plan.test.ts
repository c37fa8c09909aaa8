import { describe, expect, it } from 'vitest';
import { isFolderItem, planShares, type PickedFile } from './share-plan';

const picked = (relative: string, name = relative.split('/').pop() ?? relative): PickedFile => ({ name, webkitRelativePath: relative });
const loose = (name: string): PickedFile => ({ name, webkitRelativePath: '' });

/** A plan in a compact form: 'file:name' or 'folder:name[path, ...]'. */
function summary(files: readonly PickedFile[]) {
  const { shares, skipped } = planShares(files);
  return {
    shares: shares.map((s) => (s.kind === 'file' ? `file:${s.name}` : `folder:${s.name}[${s.files.map((f) => f.path).join(', ')}]`)),
    skipped: skipped.map((s) => `${s.path}: ${s.reason}${s.folder ? ' (folder name)' : ''}`),
  };
}

describe('planShares', () => {
  it('refuses a folder of more files than one item holds at once, with the count, and still shares the rest', () => {
    const huge = Array.from({ length: 10_001 }, (_, i) => picked(`huge/${i}.jpg`));
    const { shares, skipped } = planShares([...huge, loose('a.txt')]);
    expect(shares.map((s) => s.name)).toEqual(['a.txt']);
    expect(skipped).toEqual([{ path: 'huge/', reason: 'too-many-files', folder: true, fileCount: 10_001 }]);
  });

  it.each<[string, PickedFile[], string[], string[]]>([
    ['loose files stay separate items', [loose('a.txt'), loose('b.txt')], ['file:a.txt', 'file:b.txt'], []],
    [
      'a folder is one item, paths relative to it, sorted',
      [picked('trip/photos/2024/b.jpg'), picked('trip/notes.txt'), picked('trip/photos/2024/a.jpg')],
      ['folder:trip[notes.txt, photos/2024/a.jpg, photos/2024/b.jpg]'],
      [],
    ],
    [
      'names with spaces and non-ASCII pass as they are',
      [picked('Trip 2024 ✈/photos/a b.bin'), picked('Trip 2024 ✈/photos/ü.txt'), picked('Trip 2024 ✈/日本/ファイル.txt')],
      ['folder:Trip 2024 ✈[photos/a b.bin, photos/ü.txt, 日本/ファイル.txt]'],
      [],
    ],
    [
      'two folders and a loose file: three items',
      [picked('x/1'), loose('solo.bin'), picked('y/2'), picked('x/sub/3')],
      ['file:solo.bin', 'folder:x[1, sub/3]', 'folder:y[2]'],
      [],
    ],
    ['a dropped path with a leading slash', [picked('/trip/a.txt')], ['folder:trip[a.txt]'], []],
    [
      'a name with a backslash is left out, the rest is shared',
      [picked('trip/ok.txt'), picked('trip/sub/a\\b.txt'), loose('c\\d.txt')],
      ['folder:trip[ok.txt]'],
      ['c\\d.txt: backslash', 'trip/sub/a\\b.txt: backslash'],
    ],
    ['a folder whose name cannot be shared is left out', [picked('a\\b/x.txt')], [], ['a\\b/: backslash (folder name)']],
    ['a file picked twice is shared once', [picked('t/a'), picked('t/a')], ['folder:t[a]'], ['t/a: picked-twice']],
    ['a path past the length limit is left out', [picked(`t/${'x'.repeat(5000)}`), picked('t/y')], ['folder:t[y]'], [`t/${'x'.repeat(5000)}: too-long`]],
  ])('%s', (_label, files, shares, skipped) => {
    expect(summary(files)).toEqual({ shares, skipped });
  });

  it('gives the same plan whatever order the files came in', () => {
    const files = [picked('t/b'), picked('t/a/z'), picked('t/a b'), picked('t/A')];
    expect(summary(files)).toEqual(summary([...files].reverse()));
  });
});

describe('isFolderItem', () => {
  it.each([
    ['a loose file', 'a.txt', ['a.txt'], false],
    ['a folder of one file', 'trip', ['notes.txt'], true],
    ['a folder of one file of the same name', 'x', ['x/x'], true],
    ['several files', 'trip', ['a', 'b'], true],
  ])('%s: %s', (_label, name, paths, expected) => {
    expect(isFolderItem(name, paths.map((path) => ({ path })))).toBe(expected);
  });
});
