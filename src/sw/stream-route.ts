// Media played while it downloads: the worker answers a media element's range requests for
// /stream/ITEM/FILE by asking the page, which reads the bytes from the stored chunks (waiting for the
// engine to fetch them first; app/media-bridge.ts). A service worker rather than MediaSource: any
// format the browser plays works, and seeking is plain range requests. No worker globals here.
import type { StreamAnswer, StreamQuestion } from '../app/media-bridge';
import type { Route } from './routes';

/** `/stream/<64 hex item id>/<file index>` */
const streamPath = /^\/stream\/([0-9a-f]{64})\/(\d{1,6})$/;

/** A byte range asked for: [start, end) with end possibly Infinity ("to the end"). */
export interface AskedRange {
  readonly start: number;
  readonly end: number;
}

/** The range of a `Range` header (one range; `bytes=N-` and `bytes=N-M`); none asked: from 0; null: unusable. */
export function parseRangeHeader(header: string | null): AskedRange | null {
  if (header === null) return { start: 0, end: Infinity };
  const match = /^bytes=(\d+)-(\d*)$/.exec(header.trim());
  if (!match) return null; // suffix ranges and several ranges: media elements never send them
  const start = Number(match[1]);
  const end = match[2] === '' || match[2] === undefined ? Infinity : Number(match[2]) + 1;
  return Number.isSafeInteger(start) && end > start ? { start, end } : null;
}

/** The HTTP answer to a stream question's answer: 206 with the bytes, or a status saying why not. */
export function responseFor(answer: StreamAnswer, asked: AskedRange): Response {
  if (!answer.ok) {
    const status = answer.reason === 'out-of-range' ? 416 : answer.reason === 'unknown-item' || answer.reason === 'no-such-file' ? 404 : answer.reason === 'timed-out' ? 504 : 500;
    return new Response(answer.message, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } });
  }
  const whole = asked.start === 0 && answer.end === answer.fileBytes;
  return new Response(answer.blob, {
    status: whole ? 200 : 206,
    headers: {
      'Content-Type': answer.mimeType,
      'Content-Length': String(answer.end - answer.start),
      'Accept-Ranges': 'bytes',
      'Cache-Control': 'no-store',
      ...(whole ? {} : { 'Content-Range': `bytes ${answer.start}-${answer.end - 1}/${answer.fileBytes}` }),
    },
  });
}

/** How the route reaches the page: asks the windows of this origin, and takes the first that can answer. */
export type AskPages = (question: StreamQuestion) => Promise<StreamAnswer>;

/** The route for /stream/…: GET only, answered by the pages through `ask`. */
export function streamRoute(ask: AskPages): Route {
  return {
    name: 'stream',
    matches: (request, url) => request.method === 'GET' && streamPath.test(url.pathname),
    async handle(request, url) {
      const [, itemId = '', fileIndex = '0'] = streamPath.exec(url.pathname) ?? [];
      const asked = parseRangeHeader(request.headers.get('Range'));
      if (!asked) return new Response('unusable Range header', { status: 416 });
      const answer = await ask({ type: 'swarmdrop-stream', itemId, fileIndex: Number(fileIndex), start: asked.start, end: asked.end });
      return responseFor(answer, asked);
    },
  };
}
