import { describe, expect, it } from 'vitest';
import { MemoryCacheStorage } from '../test-support/memory-caches';
import { createRouteTable } from './route-table';
import { isLeftToNetwork, pickRoute, type Route } from './routes';
import { createShareInbox } from './share-inbox';
import { dropOldShells, keepShell, shellCachePrefix, type ShellDeps } from './shell';

const origin = 'https://drop.example';
const files = ['/index.html', '/assets/index-abc.js', '/manifest.webmanifest'];

/** A page load, as the browser hands it to the worker (the constructor refuses mode 'navigate'). */
function navigation(path: string): Request {
  return Object.defineProperty(new Request(new URL(path, origin)), 'mode', { value: 'navigate' });
}

/** A site answering with the path as the body; `online` false makes every fetch fail. */
function fakeSite() {
  const site = { online: true, fetched: [] as string[] };
  const fetch = async (request: Request): Promise<Response> => {
    site.fetched.push(new URL(request.url).pathname);
    if (!site.online) throw new TypeError('Failed to fetch');
    const path = new URL(request.url).pathname;
    // Pages are answered at any path (the relay serves index.html there); unknown assets are not.
    return files.includes(path) || !path.startsWith('/assets/') ? new Response(`network ${path}`) : new Response('not found', { status: 404 });
  };
  return { site, fetch };
}

function shellOf(fetch: ShellDeps['fetch'], caches = new MemoryCacheStorage()): ShellDeps {
  return { caches, fetch, origin, cacheName: `${shellCachePrefix}v2`, files };
}

describe('picking a route', () => {
  const route = (name: string, matches: boolean): Route => ({ name, matches: () => matches });
  it('takes the first route that matches, in list order', () => {
    const routes = [route('a', false), route('b', true), route('c', true)];
    expect(pickRoute(routes, new Request(`${origin}/`))?.name).toBe('b');
  });
  it('leaves a request no route matches to the network', () => {
    expect(pickRoute([route('a', false)], new Request(`${origin}/`))).toBeUndefined();
  });
});

describe('requests the worker never answers', () => {
  it.each([
    ['the relay socket', new Request(`${origin}/signal`), true],
    ['health', new Request(`${origin}/healthz`), true],
    ['metrics', new Request(`${origin}/metrics`), true],
    ['a POST', new Request(`${origin}/`, { method: 'POST', body: 'x' }), true],
    ['another origin', new Request('https://elsewhere.example/assets/a.js'), true],
    ['the page', new Request(`${origin}/`), false],
    ['an asset', new Request(`${origin}/assets/index-abc.js`), false],
  ])('%s: left to the network is %s', (_what, request, left) => {
    expect(isLeftToNetwork(request, new URL(request.url), origin)).toBe(left);
  });
});

/** No page open to answer a stream question. */
const noPages = async () => ({ ok: false, reason: 'unknown-item', message: 'no page' }) as const;

describe('the route table', () => {
  const { fetch } = fakeSite();
  const caches = new MemoryCacheStorage();
  const routes = createRouteTable({
    shell: shellOf(fetch, caches),
    inbox: createShareInbox({ caches, origin, now: () => 0, newId: () => crypto.randomUUID() }),
    log: () => undefined,
    askPages: noPages,
  });
  it.each([
    ['media played while it downloads', new Request(`${origin}/stream/${'a'.repeat(64)}/0`, { headers: { Range: 'bytes=0-' } }), 'stream'],
    ['POST /share-target', new Request(`${origin}/share-target`, { method: 'POST', body: new FormData() }), 'share-target'],
    ['POST elsewhere', new Request(`${origin}/upload`, { method: 'POST', body: 'x' }), 'network'],
    ['the relay socket', new Request(`${origin}/signal`), 'network'],
    ['metrics', new Request(`${origin}/metrics`), 'network'],
    ['a page load', navigation('/'), 'page'],
    ['a page load of /signal', navigation('/signal'), 'network'],
    ['a hashed asset', new Request(`${origin}/assets/index-abc.js`), 'hashed-asset'],
    ['the manifest', new Request(`${origin}/manifest.webmanifest`), 'shell-file'],
  ])('%s goes to %s', (_what, request, name) => {
    expect(pickRoute(routes, request)?.name).toBe(name);
  });
  it('leaves a file outside the shell to the network', () => {
    expect(pickRoute(routes, new Request(`${origin}/robots.txt`))).toBeUndefined();
  });
});

describe('the app shell', () => {
  async function kept() {
    const { site, fetch } = fakeSite();
    const shell = shellOf(fetch);
    await keepShell(shell);
    const routes = createRouteTable({ shell, inbox: createShareInbox({ caches: shell.caches, origin, now: () => 0, newId: () => 'id' }), log: () => undefined, askPages: noPages });
    const answer = async (request: Request): Promise<string> => {
      const route = pickRoute(routes, request);
      if (!route?.handle) throw new Error('no route answers');
      return (await route.handle(request, new URL(request.url))).text();
    };
    return { site, shell, answer };
  }

  it('loads pages from the network while it is there', async () => {
    const { answer } = await kept();
    expect(await answer(navigation('/?x=1'))).toBe('network /');
  });

  it('answers a page load with the kept index.html when the network is gone', async () => {
    const { site, answer } = await kept();
    site.online = false;
    expect(await answer(navigation('/'))).toBe('network /index.html');
    expect(await answer(navigation('/anything?share=abc'))).toBe('network /index.html');
  });

  it('answers hashed assets from the cache without asking the network', async () => {
    const { site, answer } = await kept();
    site.fetched.length = 0;
    expect(await answer(new Request(`${origin}/assets/index-abc.js`))).toBe('network /assets/index-abc.js');
    expect(site.fetched).toEqual([]);
  });

  it('serves the other shell files from the network first, then from the cache', async () => {
    const { site, answer } = await kept();
    site.fetched.length = 0;
    await answer(new Request(`${origin}/manifest.webmanifest`));
    expect(site.fetched).toEqual(['/manifest.webmanifest']);
    site.online = false;
    expect(await answer(new Request(`${origin}/manifest.webmanifest`))).toBe('network /manifest.webmanifest');
  });

  it('fails to install when a shell file is missing', async () => {
    const { fetch } = fakeSite();
    await expect(keepShell({ ...shellOf(fetch), files: [...files, '/assets/gone.js'] })).rejects.toThrow('/assets/gone.js answered 404');
  });

  it('drops the shells of earlier builds and nothing else', async () => {
    const caches = new MemoryCacheStorage();
    for (const name of [`${shellCachePrefix}v1`, `${shellCachePrefix}v2`, 'swarmdrop-share-inbox']) await caches.open(name);
    await dropOldShells(caches, `${shellCachePrefix}v2`);
    expect((await caches.keys()).sort()).toEqual(['swarmdrop-share-inbox', `${shellCachePrefix}v2`]);
  });
});
