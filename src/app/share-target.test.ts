import { describe, expect, it } from 'vitest';
import type { Report } from '../core/reports';
import { sharedFilesId, takeSharedFiles, withoutSharedFilesId, type SharedFilesSource, type SharingSession } from './share-target';

const id = '0b7e4c1a-1d2f-4e5a-9b6c-7d8e9f0a1b2c';
const photo = new File(['pixels'], 'photo.jpg', { type: 'image/jpeg' });

function fakes(href: string, source: SharedFilesSource) {
  const address = { current: href, replaced: [] as string[] };
  const shared: (readonly File[])[] = [];
  const errors: Report[] = [];
  let shareFails = false;
  const session: SharingSession = {
    async shareFiles(files) {
      if (shareFails) throw new Error('joining failed');
      shared.push(files);
    },
    reportError: (report) => errors.push(report),
  };
  const run = () =>
    takeSharedFiles(
      {
        href: () => address.current,
        replace: (path) => {
          address.replaced.push(path);
          address.current = new URL(path, address.current).href;
        },
      },
      source,
      session,
    );
  return { address, shared, errors, run, failShare: () => (shareFails = true) };
}

const holding = (files: File[] | null): SharedFilesSource & { asked: string[] } => {
  const asked: string[] = [];
  return { asked, take: async (asking) => (asked.push(asking), files) };
};

describe('reading the share id from the address', () => {
  it.each([
    ['https://drop.example/', null],
    [`https://drop.example/?share=${id}`, id],
    [`https://drop.example/?a=1&share=${id}#frag`, id],
    ['https://drop.example/?share=', ''],
  ])('%s carries %j', (href, expected) => {
    expect(sharedFilesId(href)).toBe(expected);
  });

  it('removes only the share id, keeping the path, other parameters and the fragment', () => {
    expect(withoutSharedFilesId(`https://drop.example/?share=${id}`)).toBe('/');
    expect(withoutSharedFilesId(`https://drop.example/x?a=1&share=${id}#frag`)).toBe('/x?a=1#frag');
  });
});

describe('taking shared files on load', () => {
  it('does nothing on an ordinary load', async () => {
    const source = holding([photo]);
    const f = fakes('https://drop.example/#AAAAAAAAAAAAAAAAAAAAAA', source);
    await f.run();
    expect(source.asked).toEqual([]);
    expect(f.address.replaced).toEqual([]);
    expect(f.shared).toEqual([]);
  });

  it('clears the id from the address, then shares the files as a drop would', async () => {
    const source = holding([photo]);
    const f = fakes(`https://drop.example/?share=${id}`, source);
    await f.run();
    expect(f.address.replaced).toEqual(['/']);
    expect(source.asked).toEqual([id]);
    expect(f.shared).toEqual([[photo]]);
    expect(f.errors).toEqual([]);
  });

  it('says so in a sentence when the files are no longer waiting', async () => {
    const f = fakes('https://drop.example/?share=none', holding(null));
    await f.run();
    expect(f.address.replaced).toEqual(['/']);
    expect(f.shared).toEqual([]);
    expect(f.errors).toEqual([{ code: 'shared-files-missing' }]);
  });

  it('reports a storage failure instead of rejecting', async () => {
    const f = fakes(`https://drop.example/?share=${id}`, { take: () => Promise.reject(new Error('storage unavailable')) });
    await expect(f.run()).resolves.toBeUndefined();
    expect(f.errors).toEqual([{ code: 'share-failed', name: 'the shared files', detail: 'storage unavailable' }]);
  });

  it('reports a share that fails instead of rejecting', async () => {
    const f = fakes(`https://drop.example/?share=${id}`, holding([photo]));
    f.failShare();
    await expect(f.run()).resolves.toBeUndefined();
    expect(f.errors).toEqual([{ code: 'share-failed', name: 'the shared files', detail: 'joining failed' }]);
  });
});
