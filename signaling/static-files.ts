// Serves the built page (dist/) over node:http: GET/HEAD only, no path traversal, strict headers.
import { createReadStream, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream';
import { createCompressedFiles, isCompressible, minCompressBytes, pickEncoding, type CompressedFiles } from './compressed-files.js';
import { errorForLog, type Log } from './log.js';

/** Answers one HTTP request from the static directory; never rejects. */
export type StaticHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * The page's policy: no third-party anything, no framing, no referrer leaking the room link. The page
 * may connect to its own origin, and to the other relays of its pool (`connectSources`) to fail over.
 */
export function policyWith(connectSources: readonly string[]): string {
  const connect = ["'self'", ...connectSources].join(' ');
  return (
    `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src ${connect}; ` +
    "media-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
  );
}

/** The policy of a relay alone (no pool). */
export const contentSecurityPolicy = policyWith([]);

/**
 * Sent on every response, errors included. No Permissions-Policy on purpose: e2e tests grant
 * camera/microphone so Chromium gathers loopback ICE candidates.
 */
export const securityHeaders: Readonly<Record<string, string>> = {
  'Content-Security-Policy': contentSecurityPolicy,
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

/** Content types by extension; anything unlisted is served as opaque bytes (and nosniff keeps it so). */
const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/** Vite's content-hashed output lives here, so it may be cached for a year. */
const hashedAssetsPrefix = '/assets/';

/** Cache for hashed assets: their name changes with their content. */
const immutableCacheControl = 'public, max-age=31536000, immutable';

/** Cache for everything else (index.html above all): always revalidate so a deploy is seen at once. */
const revalidateCacheControl = 'no-cache';

/** The file the SPA fallback and `/` serve. */
const indexFile = 'index.html';

/** Builds the handler; `staticDir` may be absent or not yet built, which yields 503s, not crashes. */
export function createStaticHandler(staticDir: string | undefined, log: Log, connectSources: readonly string[] = []): StaticHandler {
  const root = staticDir === undefined ? undefined : resolve(staticDir);
  const headers = { ...securityHeaders, 'Content-Security-Policy': policyWith(connectSources) };
  const compressed = createCompressedFiles();
  return async (req, res) => {
    try {
      await serve({ root, log, headers, compressed }, req, res);
    } catch (error) {
      log({ event: 'static-error', ...errorForLog(error) });
      if (!res.headersSent) sendText(res, 500, 'internal error');
      else res.destroy();
    }
  };
}

/** Writes a small plain-text response carrying the security headers. */
export function sendText(res: ServerResponse, status: number, body: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, {
    ...securityHeaders,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-store',
    ...extra,
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

/** A JSON response with the same headers as every other (not cached). */
export function sendJson(res: ServerResponse, body: unknown): void {
  sendText(res, 200, JSON.stringify(body), { 'Content-Type': 'application/json' });
}

/** What every file response needs: where the files are, where to log, and the headers pages carry. */
interface Site {
  readonly root: string | undefined;
  readonly log: Log;
  readonly headers: Readonly<Record<string, string>>;
  readonly compressed: CompressedFiles;
}

async function serve(site: Site, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { root } = site;
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'method not allowed', { Allow: 'GET, HEAD' });
  const pathname = decodePathname(req.url ?? '/');
  if (pathname === null) return sendText(res, 400, 'bad request');
  if (root === undefined || (await fileStats(resolve(root, indexFile))) === null) {
    return sendText(res, 503, 'page not built: run npm run build');
  }
  const target = resolve(root, `.${pathname}`);
  if (target !== root && !target.startsWith(root + sep)) return sendText(res, 404, 'not found');
  const stats = await fileStats(target);
  if (stats !== null) return sendFile(site, res, { path: target, stats, pathname });
  if (extname(pathname) === '') return sendIndex({ ...site, root }, res);
  return sendText(res, 404, 'not found');
}

/** The decoded path, or null when it is malformed or tries to leave the root (NUL, `\`, `..`). */
function decodePathname(url: string): string | null {
  const rawPath = url.split(/[?#]/, 1)[0] ?? '';
  if (!rawPath.startsWith('/')) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  if (decoded.split('/').some((segment) => segment === '..' || segment === '.')) return null;
  return decoded;
}

/** Stats of a regular file, or null when there is none (missing, a directory, unreadable). */
async function fileStats(path: string): Promise<Stats | null> {
  try {
    const stats = await stat(path);
    return stats.isFile() ? stats : null;
  } catch {
    return null;
  }
}

async function sendIndex(site: Site & { readonly root: string }, res: ServerResponse): Promise<void> {
  const path = resolve(site.root, indexFile);
  const stats = await fileStats(path);
  if (stats === null) return sendText(res, 503, 'page not built: run npm run build');
  sendFile(site, res, { path, stats, pathname: `/${indexFile}` });
}

/** A file found on disk, and the request path it answers (which decides its caching). */
interface FoundFile {
  readonly path: string;
  readonly stats: Stats;
  readonly pathname: string;
}

function sendFile(site: Site, res: ServerResponse, file: FoundFile): void {
  const { path, stats, pathname } = file;
  const contentType = contentTypes[extname(path).toLowerCase()] ?? 'application/octet-stream';
  const fileHeaders = {
    ...site.headers,
    'Content-Type': contentType,
    'Cache-Control': pathname.startsWith(hashedAssetsPrefix) ? immutableCacheControl : revalidateCacheControl,
    ...(isCompressible(contentType) ? { Vary: 'Accept-Encoding' } : {}),
  };
  const encoding = isCompressible(contentType) && stats.size >= minCompressBytes ? pickEncoding(res.req.headers['accept-encoding']) : null;
  if (encoding !== null) {
    site.compressed.get(path, stats.mtimeMs, encoding).then(
      (bytes) => {
        res.writeHead(200, { ...fileHeaders, 'Content-Encoding': encoding, 'Content-Length': String(bytes.length) });
        res.end(res.req.method === 'HEAD' ? undefined : bytes);
      },
      (error: unknown) => {
        site.log({ event: 'static-compress-error', ...errorForLog(error) });
        if (!res.headersSent) sendText(res, 500, 'internal error');
      },
    );
    return;
  }
  res.writeHead(200, { ...fileHeaders, 'Content-Length': String(stats.size) });
  if (res.req.method === 'HEAD') {
    res.end();
    return;
  }
  // pipeline destroys the file stream when the client goes away, so no descriptor leaks.
  pipeline(createReadStream(path), res, (error) => {
    if (error && (error as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') {
      site.log({ event: 'static-stream-error', ...errorForLog(error) });
    }
  });
}
