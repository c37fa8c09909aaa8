// Files shared to Swarmdrop from another app wait here between the worker, which receives the POST,
// and the page it redirects to, which takes them once. Kept in the Cache API (both the worker and the
// page have it, and it holds Blobs on disk), under a one-time random id.

/** Where the manifest's share target posts (manifest.webmanifest says the same). */
export const shareTargetPath = '/share-target';

/** The form field holding the files (the manifest's `share_target.params.files[].name`). */
export const shareFilesField = 'files';

/** The address parameter the worker's redirect carries the id in: `/?share=<id>`. */
export const shareIdParam = 'share';

/** The cache holding waiting files; not a shell cache, so a new build leaves it alone. */
export const shareInboxCacheName = 'swarmdrop-share-inbox';

/** How long shared files wait to be taken (ms): the redirect is followed at once; this outlasts a slow phone. */
export const shareWaitMs = 15 * 60_000;

/** The inbox, as the worker (put) and the page (take) use it. */
export interface ShareInbox {
  /** Keeps the files; returns their one-time id. */
  put(files: readonly File[]): Promise<string>;
  /** The files kept under `id`, removed from the inbox; null when there are none (unknown, taken, or expired). */
  take(id: string): Promise<File[] | null>;
}

/** What the inbox is built on. */
export interface ShareInboxDeps {
  readonly caches: CacheStorage;
  /** This origin: entries are keyed by URLs under it. */
  readonly origin: string;
  /** Wall-clock time in ms. */
  readonly now: () => number;
  /** A fresh unguessable id (crypto.randomUUID in the browser). */
  readonly newId: () => string;
}

/** Ids the inbox hands out: UUIDs (anything else in the address is refused before storage is read). */
const shareIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Headers an entry carries besides its type: the file's name (URI-encoded), its date, and when it was kept. */
const nameHeader = 'X-Swarmdrop-Name';
const modifiedHeader = 'X-Swarmdrop-Last-Modified';
const keptAtHeader = 'X-Swarmdrop-Kept-At';

/** A kept file's name; a stand-in when the header is missing or not valid URI encoding. */
function decodedName(header: string | null): string {
  try {
    return header ? decodeURIComponent(header) : unnamedFile;
  } catch {
    return unnamedFile;
  }
}

/** The name given to a shared file whose name was lost. */
const unnamedFile = 'shared file';

/** The inbox over the Cache API. */
export function createShareInbox(deps: ShareInboxDeps): ShareInbox {
  const entryUrl = (id: string, index: number): string => new URL(`/share-inbox/${id}/${index}`, deps.origin).href;
  const prefixOf = (id: string): string => new URL(`/share-inbox/${id}/`, deps.origin).href;
  const indexIn = (url: string, prefix: string): number => Number(url.slice(prefix.length));
  const isExpired = (response: Response): boolean => !(deps.now() - Number(response.headers.get(keptAtHeader)) < shareWaitMs);

  /** Deletes entries left over past their time (a share whose page never loaded). */
  const dropExpired = async (cache: Cache): Promise<void> => {
    const requests = await cache.keys();
    await Promise.all(
      requests.map(async (request) => {
        const response = await cache.match(request);
        if (!response || isExpired(response)) await cache.delete(request);
      }),
    );
  };

  return {
    async put(files) {
      const cache = await deps.caches.open(shareInboxCacheName);
      await dropExpired(cache);
      const id = deps.newId();
      const keptAt = String(deps.now());
      await Promise.all(
        files.map((file, index) =>
          cache.put(
            entryUrl(id, index),
            new Response(file, {
              headers: {
                'Content-Type': file.type || 'application/octet-stream',
                [nameHeader]: encodeURIComponent(file.name),
                [modifiedHeader]: String(file.lastModified),
                [keptAtHeader]: keptAt,
              },
            }),
          ),
        ),
      );
      return id;
    },

    async take(id) {
      if (!shareIdPattern.test(id)) return null;
      const cache = await deps.caches.open(shareInboxCacheName);
      const prefix = prefixOf(id);
      const requests = (await cache.keys()).filter((request) => request.url.startsWith(prefix));
      requests.sort((a, b) => indexIn(a.url, prefix) - indexIn(b.url, prefix));
      const files: File[] = [];
      let expired = false;
      for (const request of requests) {
        const response = await cache.match(request);
        if (!response) continue;
        expired ||= isExpired(response);
        const type = response.headers.get('Content-Type') ?? '';
        const name = decodedName(response.headers.get(nameHeader));
        const lastModified = Number(response.headers.get(modifiedHeader)) || deps.now();
        files.push(new File([await response.blob()], name, { type, lastModified }));
      }
      await Promise.all(requests.map((request) => cache.delete(request)));
      return files.length > 0 && !expired ? files : null;
    },
  };
}
