import { describe, expect, it } from 'vitest';
import { FileRangeError, type FileRange } from './file-ranges';
import { answerStreamQuestion, maxStreamAnswerBytes, parseStreamQuestion, startMediaBridge, type RangeReader, type StreamAnswer } from './media-bridge';

const itemId = 'ab'.repeat(32);
const question = { type: 'swarmdrop-stream', itemId, fileIndex: 0, start: 100, end: Infinity } as const;

describe('the page’s half of streaming', () => {
  it('takes only well-formed questions', () => {
    expect(parseStreamQuestion(question)).toEqual(question);
    for (const bad of [null, 'x', { ...question, type: 'other' }, { ...question, itemId: 'short' }, { ...question, fileIndex: 1.5 }, { ...question, start: '0' }]) {
      expect(parseStreamQuestion(bad)).toBeNull();
    }
  });

  it('answers with the bytes read, at most a few MiB, or with why not', async () => {
    const asked: { start: number; end: number; maxBytes: number; partial: boolean | undefined }[] = [];
    const read: RangeReader = async (_item, _file, start, end, options) => {
      asked.push({ start, end, maxBytes: options.maxBytes, partial: options.partial });
      return { blob: new Blob(['hello']), start, end: start + 5, fileBytes: 1000, mimeType: 'video/webm' } satisfies FileRange;
    };
    expect(await answerStreamQuestion(read, question)).toMatchObject({ ok: true, start: 100, end: 105, fileBytes: 1000, mimeType: 'video/webm' });
    expect(asked).toEqual([{ start: 100, end: Infinity, maxBytes: maxStreamAnswerBytes, partial: true }]);
    const failing: RangeReader = async () => {
      throw new FileRangeError('timed-out', 'the pieces did not arrive in time');
    };
    expect(await answerStreamQuestion(failing, question)).toEqual({ ok: false, reason: 'timed-out', message: 'the pieces did not arrive in time' });
  });

  it('answers a message from the worker through the port it came with', async () => {
    const listeners = new Set<(event: MessageEvent) => void>();
    const source = { addEventListener: (_: 'message', l: (event: MessageEvent) => void) => listeners.add(l), removeEventListener: (_: 'message', l: (event: MessageEvent) => void) => listeners.delete(l) };
    const stop = startMediaBridge(source, async (_item, _file, start) => ({ blob: new Blob(['abc']), start, end: start + 3, fileBytes: 3, mimeType: 'audio/wav' }));
    const channel = new MessageChannel();
    const answered = new Promise<StreamAnswer>((resolve) => {
      channel.port1.onmessage = (event: MessageEvent<StreamAnswer>) => resolve(event.data);
    });
    for (const listener of listeners) listener(new MessageEvent('message', { data: { ...question, start: 0 }, ports: [channel.port2] }));
    const answer = await answered;
    expect(answer).toMatchObject({ ok: true, start: 0, end: 3, mimeType: 'audio/wav' });
    if (answer.ok) expect(await answer.blob.text()).toBe('abc');
    channel.port1.close();
    stop();
    expect(listeners.size).toBe(0);
  });
});
