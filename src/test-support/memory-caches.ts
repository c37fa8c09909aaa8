// An in-memory Cache API (CacheStorage and Cache) for unit tests of the service worker's parts, which
// Node does not have. Keys are request URLs without their fragment; only GET entries, as in browsers.
const keyOf = (request: RequestInfo | URL): string => {
  const url = new URL(request instanceof Request ? request.url : String(request));
  url.hash = '';
  return url.href;
};

/** One named cache. */
class MemoryCache implements Cache {
  readonly #entries = new Map<string, { request: Request; response: Response }>();

  async add(request: RequestInfo | URL): Promise<void> {
    await this.put(request, await fetch(request));
  }
  async addAll(requests: Iterable<RequestInfo>): Promise<void> {
    for (const request of requests) await this.add(request);
  }
  async delete(request: RequestInfo | URL): Promise<boolean> {
    return this.#entries.delete(keyOf(request));
  }
  async keys(): Promise<readonly Request[]> {
    return [...this.#entries.values()].map((entry) => entry.request);
  }
  async match(request: RequestInfo | URL): Promise<Response | undefined> {
    return this.#entries.get(keyOf(request))?.response.clone();
  }
  async matchAll(request?: RequestInfo | URL): Promise<readonly Response[]> {
    const all = [...this.#entries.values()].map((entry) => entry.response.clone());
    if (request === undefined) return all;
    const found = await this.match(request);
    return found ? [found] : [];
  }
  async put(request: RequestInfo | URL, response: Response): Promise<void> {
    const key = keyOf(request);
    // The body is read now, as a browser stores it: the caller may not read it again.
    const stored = new Response(await response.blob(), { status: response.status, headers: response.headers });
    this.#entries.set(key, { request: new Request(key), response: stored });
  }
}

/** The named caches of one origin. */
export class MemoryCacheStorage implements CacheStorage {
  readonly #caches = new Map<string, MemoryCache>();

  async delete(name: string): Promise<boolean> {
    return this.#caches.delete(name);
  }
  async has(name: string): Promise<boolean> {
    return this.#caches.has(name);
  }
  async keys(): Promise<string[]> {
    return [...this.#caches.keys()];
  }
  async match(request: RequestInfo | URL, options?: MultiCacheQueryOptions): Promise<Response | undefined> {
    const names = options?.cacheName === undefined ? [...this.#caches.keys()] : [options.cacheName];
    for (const name of names) {
      const found = await this.#caches.get(name)?.match(request);
      if (found) return found;
    }
    return undefined;
  }
  async open(name: string): Promise<Cache> {
    const cache = this.#caches.get(name) ?? new MemoryCache();
    this.#caches.set(name, cache);
    return cache;
  }
}
