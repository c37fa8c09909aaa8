// The worker's fetch handling as an ordered list of routes: the first whose `matches` says yes takes
// the request. A route without `handle` leaves the request to the network untouched (no cache, no
// worker in the way). New routes (say, media answered from stored chunks) live in files of their own
// and are listed in src/sw/route-table.ts. No worker globals here, so the list is tested in Node.
/** One kind of request the worker knows. */
export interface Route {
  /** For logs and tests: which route answered. */
  readonly name: string;
  readonly matches: (request: Request, url: URL) => boolean;
  /** The answer; absent: the browser fetches as if there were no worker. */
  readonly handle?: (request: Request, url: URL) => Promise<Response>;
}

/** The first route that matches, or undefined when none does (the network answers). */
export function pickRoute(routes: readonly Route[], request: Request, url = new URL(request.url)): Route | undefined {
  return routes.find((route) => route.matches(request, url));
}

/** Server endpoints that must always reach the relay: live state, never an old copy. */
const liveEndpointPaths: ReadonlySet<string> = new Set(['/signal', '/healthz', '/metrics']);

/** Requests the worker never answers and never caches: other origins, writes, and the relay's endpoints. */
export function isLeftToNetwork(request: Request, url: URL, ownOrigin: string): boolean {
  return url.origin !== ownOrigin || (request.method !== 'GET' && request.method !== 'HEAD') || liveEndpointPaths.has(url.pathname);
}

/** A page load of this origin (address bar, link, reload, a redirect after the share target). */
export function isPageNavigation(request: Request): boolean {
  return request.mode === 'navigate' && request.method === 'GET';
}

/** Vite's content-hashed output: a name changes with its content, so a cached copy is never stale. */
export const hashedAssetsPrefix = '/assets/';
