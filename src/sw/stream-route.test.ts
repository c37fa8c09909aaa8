import { describe, expect, it } from 'vitest';
import type { StreamQuestion } from '../app/media-bridge';
import { parseRangeHeader, responseFor, streamRoute } from './stream-route';

const itemId = 'cd'.repeat(32);
const url = `https://drop.example/stream/${itemId}/0`;

describe('the worker’s stream route', () => {
  it('reads the ranges media elements send, and refuses the others', () => {
    expect(parseRangeHeader(null)).toEqual({ start: 0, end: Infinity });
    expect(parseRangeHeader('bytes=0-')).toEqual({ start: 0, end: Infinity });
    expect(parseRangeHeader('bytes=100-199')).toEqual({ start: 100, end: 200 });
    for (const bad of ['bytes=-500', 'bytes=0-1,5-9', 'items=0-1', 'bytes=9-3', 'bytes=x-']) expect(parseRangeHeader(bad)).toBeNull();
  });

  it('answers 206 with Content-Range, or 200 for the whole file, and a status that says why not', async () => {
    const blob = new Blob(['0123456789']);
    const part = responseFor({ ok: true, blob, start: 100, end: 110, fileBytes: 1000, mimeType: 'video/webm' }, { start: 100, end: Infinity });
    expect(part.status).toBe(206);
    expect(Object.fromEntries(part.headers)).toMatchObject({ 'content-range': 'bytes 100-109/1000', 'content-length': '10', 'content-type': 'video/webm', 'accept-ranges': 'bytes' });
    expect(await part.text()).toBe('0123456789');
    expect(responseFor({ ok: true, blob, start: 0, end: 10, fileBytes: 10, mimeType: 'audio/wav' }, { start: 0, end: Infinity }).status).toBe(200);
    const statuses = (['out-of-range', 'unknown-item', 'no-such-file', 'timed-out', 'failed'] as const).map(
      (reason) => responseFor({ ok: false, reason, message: 'm' }, { start: 0, end: 1 }).status,
    );
    expect(statuses).toEqual([416, 404, 404, 504, 500]);
  });

  it('takes GETs of /stream/ITEM/FILE only, and asks the pages for the range', async () => {
    const asked: StreamQuestion[] = [];
    const route = streamRoute(async (question) => {
      asked.push(question);
      return { ok: true, blob: new Blob(['ab']), start: question.start, end: question.start + 2, fileBytes: 50, mimeType: 'video/mp4' };
    });
    const get = new Request(url, { headers: { Range: 'bytes=20-' } });
    expect(route.matches(get, new URL(url))).toBe(true);
    expect(route.matches(new Request(url, { method: 'POST' }), new URL(url))).toBe(false);
    expect(route.matches(get, new URL(`https://drop.example/stream/${itemId}/x`))).toBe(false);
    const response = await route.handle?.(get, new URL(url));
    expect(response?.status).toBe(206);
    expect(asked).toEqual([{ type: 'swarmdrop-stream', itemId, fileIndex: 0, start: 20, end: Infinity }]);
    expect((await route.handle?.(new Request(url, { headers: { Range: 'bytes=-5' } }), new URL(url)))?.status).toBe(416);
  });
});
