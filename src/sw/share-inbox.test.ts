import { describe, expect, it } from 'vitest';
import { MemoryCacheStorage } from '../test-support/memory-caches';
import { createShareInbox, shareInboxCacheName, shareWaitMs } from './share-inbox';
import { nothingSharedId, shareTargetRoute } from './share-target-route';

const origin = 'https://drop.example';

function inboxAt(start = 1_000_000) {
  const clock = { now: start };
  const caches = new MemoryCacheStorage();
  const inbox = createShareInbox({ caches, origin, now: () => clock.now, newId: () => crypto.randomUUID() });
  const entries = async (): Promise<number> => (await (await caches.open(shareInboxCacheName)).keys()).length;
  return { clock, inbox, entries };
}

const photo = new File([new Uint8Array([1, 2, 3])], 'holiday photo é.jpg', { type: 'image/jpeg', lastModified: 42 });
const notes = new File(['some notes'], 'notes.txt', { type: 'text/plain' });

describe('the share inbox', () => {
  it('gives back the files kept under an id: names, types, dates and bytes, in order', async () => {
    const { inbox } = inboxAt();
    const id = await inbox.put([photo, notes]);
    const files = await inbox.take(id);
    expect(files?.map((f) => [f.name, f.type])).toEqual([
      ['holiday photo é.jpg', 'image/jpeg'],
      ['notes.txt', 'text/plain'],
    ]);
    expect(files?.[0]?.lastModified).toBe(42);
    expect(new Uint8Array(await (files?.[0] ?? new Blob()).arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
    expect(await files?.[1]?.text()).toBe('some notes');
  });

  it('gives them once', async () => {
    const { inbox, entries } = inboxAt();
    const id = await inbox.put([photo]);
    expect(await inbox.take(id)).not.toBeNull();
    expect(await inbox.take(id)).toBeNull();
    expect(await entries()).toBe(0);
  });

  it('keeps two shares apart', async () => {
    const { inbox } = inboxAt();
    const first = await inbox.put([photo]);
    const second = await inbox.put([notes]);
    expect((await inbox.take(second))?.map((f) => f.name)).toEqual(['notes.txt']);
    expect((await inbox.take(first))?.map((f) => f.name)).toEqual(['holiday photo é.jpg']);
  });

  it('lets files expire, and deletes them when taken too late', async () => {
    const { clock, inbox, entries } = inboxAt();
    const id = await inbox.put([photo, notes]);
    clock.now += shareWaitMs;
    expect(await inbox.take(id)).toBeNull();
    expect(await entries()).toBe(0);
  });

  it('clears expired leftovers when new files arrive', async () => {
    const { clock, inbox, entries } = inboxAt();
    await inbox.put([photo, notes]);
    clock.now += shareWaitMs;
    await inbox.put([notes]);
    expect(await entries()).toBe(1);
  });

  it.each(['', 'none', '../../x', 'ABCDEF', `${crypto.randomUUID()}/0`])('refuses the id %j without reading storage', async (id) => {
    const { inbox } = inboxAt();
    expect(await inbox.take(id)).toBeNull();
  });
});

describe('the share target route', () => {
  const post = (body: BodyInit): Request => new Request(`${origin}/share-target`, { method: 'POST', body });

  it('keeps posted files and redirects the page load to them (303)', async () => {
    const { inbox } = inboxAt();
    const form = new FormData();
    form.append('files', photo);
    form.append('files', notes);
    form.append('title', 'ignored text field');
    const request = post(form);
    const response = await shareTargetRoute(inbox, () => undefined).handle?.(request, new URL(request.url));
    expect(response?.status).toBe(303);
    const target = new URL(response?.headers.get('Location') ?? '');
    expect(target.origin + target.pathname).toBe(`${origin}/`);
    const files = await inbox.take(target.searchParams.get('share') ?? '');
    expect(files?.map((f) => f.name)).toEqual(['holiday photo é.jpg', 'notes.txt']);
  });

  it.each([
    ['a form without files', (() => {
      const form = new FormData();
      form.append('text', 'hello');
      return form;
    })()],
    ['a body that is not a form', 'garbage'],
  ])('redirects %s to the page with no files', async (_what, body) => {
    const { inbox } = inboxAt();
    const request = post(body);
    const response = await shareTargetRoute(inbox, () => undefined).handle?.(request, new URL(request.url));
    expect(response?.status).toBe(303);
    expect(new URL(response?.headers.get('Location') ?? '').searchParams.get('share')).toBe(nothingSharedId);
  });

  it('redirects with no files, and logs, when they cannot be kept', async () => {
    const logged: string[] = [];
    const full = { put: () => Promise.reject(new DOMException('quota', 'QuotaExceededError')), take: () => Promise.resolve(null) };
    const form = new FormData();
    form.append('files', photo);
    const request = post(form);
    const response = await shareTargetRoute(full, (event) => logged.push(event)).handle?.(request, new URL(request.url));
    expect(new URL(response?.headers.get('Location') ?? '').searchParams.get('share')).toBe(nothingSharedId);
    expect(logged).toEqual(['share-inbox-put-failed']);
  });
});
