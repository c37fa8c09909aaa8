import { describe, expect, it } from 'vitest';
import { readDropped } from './dropped-files';

/** A fake file-system tree, shaped like the entries a browser hands out for a drop. */
type Tree = { [name: string]: string | Error | Tree };

/** Entries of `tree` under `parent` (a folder's path, '' at the top); readEntries answers in batches of `batch`. */
function entriesOf(tree: Tree, parent = '', batch = 2): FileSystemEntry[] {
  return Object.entries(tree).map(([name, value]) => {
    const fullPath = `${parent}/${name}`;
    if (typeof value === 'string' || value instanceof Error) {
      const file = (ok: (file: File) => void, fail?: (error: Error) => void) =>
        value instanceof Error ? fail?.(value) : ok(new File([value], name));
      return { name, fullPath, isFile: true, isDirectory: false, file } as unknown as FileSystemFileEntry;
    }
    const children = entriesOf(value, fullPath, batch);
    const createReader = () => {
      let at = 0;
      return {
        readEntries(ok: (entries: FileSystemEntry[]) => void) {
          const next = children.slice(at, at + batch);
          at += next.length;
          setTimeout(() => ok(next), 0);
        },
      };
    };
    return { name, fullPath, isFile: false, isDirectory: true, createReader } as unknown as FileSystemDirectoryEntry;
  });
}

const summary = async (tree: Tree) => {
  const { files, problems } = await readDropped(entriesOf(tree));
  return { files: files.map((f) => `${f.webkitRelativePath || '(loose)'} ${f.name} ${f.size}`).sort(), problems };
};

describe('readDropped', () => {
  it('walks a dropped folder through every batch and gives each file its path in the drop', async () => {
    const tree: Tree = {
      'loose.txt': 'x',
      trip: { 'notes.txt': 'abc', photos: { 'a b.bin': '12345', 'ü.txt': '', '2024': { 'deep.txt': 'd' } }, 'z.txt': 'zz' },
    };
    expect(await summary(tree)).toEqual({
      files: [
        '(loose) loose.txt 1',
        'trip/notes.txt notes.txt 3',
        'trip/photos/2024/deep.txt deep.txt 1',
        'trip/photos/a b.bin a b.bin 5',
        'trip/photos/ü.txt ü.txt 0',
        'trip/z.txt z.txt 2',
      ],
      problems: [],
    });
  });

  it('reports unreadable files and empty folders, and keeps the rest', async () => {
    const tree: Tree = { gone: new Error('NotFoundError'), trip: { ok: 'ok', bad: new Error('NotReadableError') }, empty: { nothing: {} } };
    expect(await summary(tree)).toEqual({
      files: ['trip/ok ok 2'],
      problems: ['Could not read gone: NotFoundError', 'Could not read trip/bad: NotReadableError', 'The folder empty has no files to share.'],
    });
  });

  it('leaves out a folder of more than 10,000 files once its listing passes that, without opening a file', async () => {
    const folderOf = (count: number): Tree => Object.fromEntries(Array.from({ length: count }, (_, i) => [`f${i}.txt`, 'x']));
    const huge: Tree = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`part ${i}`, folderOf(500)]));
    const entries = entriesOf({ huge, 'small.txt': 'ok', fine: folderOf(3) }, '', 100);
    const hugeEntry = entries[0] as FileSystemDirectoryEntry;
    let listed = 0;
    const createReader = hugeEntry.createReader.bind(hugeEntry);
    // Count the listings of the huge folder's subfolders: the walk stops soon after passing 10,000 files.
    Object.defineProperty(hugeEntry, 'createReader', {
      value: () => {
        const reader = createReader();
        return {
          readEntries: (ok: (e: FileSystemEntry[]) => void, fail: (e: Error) => void) =>
            reader.readEntries((children: FileSystemEntry[]) => {
              for (const child of children) {
                const sub = child as FileSystemDirectoryEntry;
                const inner = sub.createReader.bind(sub);
                Object.defineProperty(sub, 'createReader', { value: () => ((listed += 1), inner()) });
              }
              ok(children);
            }, fail),
        };
      },
    });
    const { files, problems } = await readDropped(entries);
    expect(files.map((f) => f.webkitRelativePath || f.name).sort()).toEqual(['fine/f0.txt', 'fine/f1.txt', 'fine/f2.txt', 'small.txt']);
    expect(problems).toEqual([
      'Left out the folder huge: it has more than 10,000 files, and one shared folder holds at most 10,000. Share it in parts (for example, its subfolders).',
    ]);
    expect(listed).toBe(21); // 21 × 500 files passes 10,000; the other 9 subfolders are never listed
  });
});
