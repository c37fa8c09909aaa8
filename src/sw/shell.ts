// The app shell: index.html, the build's hashed assets and the public files, kept in one cache per
// build so the page loads with no network. Page loads go to the network first (a deploy is seen at
// once) and fall back to the kept shell; hashed assets come from the cache first.
import { hashedAssetsPrefix, isPageNavigation, type Route } from './routes';

/** What the shell routes use: the worker's caches and fetch, and this build's file list. */
export interface ShellDeps {
  readonly caches: CacheStorage;
  readonly fetch: (request: Request) => Promise<Response>;
  /** The worker's origin, e.g. https://drop.example (files are listed as absolute paths). */
  readonly origin: string;
  /** This build's cache: the prefix and a hash of every kept file, so each build has its own. */
  readonly cacheName: string;
  /** Absolute paths of the files to keep, index.html among them. */
  readonly files: readonly string[];
}

/** Every shell cache starts so; other caches (the share inbox) are left alone on cleanup. */
export const shellCachePrefix = 'swarmdrop-shell-';

/** The page every navigation falls back to offline (the app routes itself from the address). */
export const shellPagePath = '/index.html';

/** Fetches every shell file past the HTTP cache and keeps it; rejects (the install fails) if one is missing. */
export async function keepShell(deps: ShellDeps): Promise<void> {
  const responses = await Promise.all(
    deps.files.map(async (path) => {
      const request = new Request(new URL(path, deps.origin), { cache: 'reload' });
      const response = await deps.fetch(request);
      if (!response.ok) throw new Error(`${path} answered ${response.status}`);
      return [request, response] as const;
    }),
  );
  const cache = await deps.caches.open(deps.cacheName);
  await Promise.all(responses.map(([request, response]) => cache.put(request, response)));
}

/** Deletes the shells of earlier builds. */
export async function dropOldShells(caches: CacheStorage, current: string): Promise<void> {
  const names = await caches.keys();
  await Promise.all(names.filter((name) => name.startsWith(shellCachePrefix) && name !== current).map((name) => caches.delete(name)));
}

/** The network's answer; when the network is gone, the kept copy under `keptKey`, if there is one. */
async function networkThenKept(deps: ShellDeps, request: Request, keptKey: Request | string): Promise<Response> {
  try {
    return await deps.fetch(request);
  } catch (error) {
    const kept = await deps.caches.match(keptKey, { cacheName: deps.cacheName });
    if (kept) return kept;
    throw error;
  }
}

/** Page loads: the network's answer, or the kept page when the network is gone. */
export function pageRoute(deps: ShellDeps): Route {
  return {
    name: 'page',
    matches: (request) => isPageNavigation(request),
    handle: (request) => networkThenKept(deps, request, new URL(shellPagePath, deps.origin).href),
  };
}

/** Hashed assets: the kept copy, else the network (an asset this build did not list). */
export function hashedAssetRoute(deps: ShellDeps): Route {
  return {
    name: 'hashed-asset',
    matches: (request, url) => request.method === 'GET' && url.pathname.startsWith(hashedAssetsPrefix),
    handle: async (request) => (await deps.caches.match(request, { cacheName: deps.cacheName })) ?? deps.fetch(request),
  };
}

/** The other kept files (manifest, icons, favicon): the network first, as their names do not change. */
export function shellFileRoute(deps: ShellDeps): Route {
  const paths = new Set(deps.files);
  return {
    name: 'shell-file',
    matches: (request, url) => request.method === 'GET' && paths.has(url.pathname),
    handle: (request) => networkThenKept(deps, request, request),
  };
}
