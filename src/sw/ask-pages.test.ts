import { describe, expect, it } from 'vitest';
import type { StreamAnswer, StreamQuestion } from '../app/media-bridge';
import { createAskPages, type PageClient } from './ask-pages';

const question: StreamQuestion = { type: 'swarmdrop-stream', itemId: 'ef'.repeat(32), fileIndex: 0, start: 0, end: Infinity };

/** A window answering every question with `answer` through the port it is given (or never, with null). */
function page(answer: StreamAnswer | null, asked: StreamQuestion[]): PageClient {
  return {
    postMessage(message, transfer) {
      asked.push(message as StreamQuestion);
      const [port] = transfer as MessagePort[];
      if (answer && port) {
        port.postMessage(answer);
        port.close();
      }
    },
  };
}

describe('asking the pages for stream bytes', () => {
  it('asks each window in turn until one has the bytes', async () => {
    const asked: StreamQuestion[] = [];
    const bytes: StreamAnswer = { ok: true, blob: new Blob(['x']), start: 0, end: 1, fileBytes: 1, mimeType: 'video/webm' };
    const refusal: StreamAnswer = { ok: false, reason: 'unknown-item', message: 'not here' };
    const ask = createAskPages({ matchAll: async () => [page(refusal, asked), page(bytes, asked), page(refusal, asked)] });
    expect(await ask(question)).toMatchObject({ ok: true, end: 1 });
    expect(asked).toHaveLength(2);
  });

  it('says why when no window can answer: none open, all refusing, or one silent past the wait', async () => {
    expect(await createAskPages({ matchAll: async () => [] })(question)).toMatchObject({ ok: false, reason: 'unknown-item' });
    const refusal: StreamAnswer = { ok: false, reason: 'out-of-range', message: 'past the end' };
    expect(await createAskPages({ matchAll: async () => [page(refusal, [])] })(question)).toEqual(refusal);
    expect(await createAskPages({ matchAll: async () => [page(null, [])] }, 10)(question)).toMatchObject({ ok: false, reason: 'timed-out' });
  });
});
