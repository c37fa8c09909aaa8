// The service worker's entry (built to /sw.js, scope /): keeps this build's app shell on install,
// drops older shells on activate, and hands each fetch to the first route that takes it.
import { createAskPages } from './ask-pages';
import { pickRoute } from './routes';
import { createRouteTable } from './route-table';
import { createShareInbox } from './share-inbox';
import { dropOldShells, keepShell, shellCachePrefix, type ShellDeps } from './shell';

/** Written in by the build (vite.config.ts): the shell's files and a hash of their contents. */
declare const __SWARMDROP_SHELL__: { readonly version: string; readonly files: readonly string[] };

const worker = self as unknown as ServiceWorkerGlobalScope;

/** Structured logs, as the page's; never a URL (a room link's fragment must not be written anywhere). */
const log = (event: string, fields?: Record<string, unknown>): void => console.debug('swarmdrop-sw', event, fields ?? {});

const shell: ShellDeps = {
  caches,
  fetch: (request) => fetch(request),
  origin: worker.location.origin,
  cacheName: `${shellCachePrefix}${__SWARMDROP_SHELL__.version}`,
  files: __SWARMDROP_SHELL__.files,
};
const inbox = createShareInbox({ caches, origin: shell.origin, now: () => Date.now(), newId: () => crypto.randomUUID() });
const routes = createRouteTable({ shell, inbox, log, askPages: createAskPages(worker.clients) });

// A new build takes over at once: its shell is complete before it activates, and the page it serves
// loads only hashed assets it keeps.
worker.addEventListener('install', (event) => event.waitUntil(keepShell(shell).then(() => worker.skipWaiting())));
worker.addEventListener('activate', (event) => event.waitUntil(dropOldShells(caches, shell.cacheName).then(() => worker.clients.claim())));
worker.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  const route = pickRoute(routes, event.request, url);
  if (route?.handle) event.respondWith(route.handle(event.request, url));
});
