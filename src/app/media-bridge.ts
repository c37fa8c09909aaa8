// The page's half of streaming: the service worker turns a media element's range request for
// /stream/ITEM/FILE into a message to the page, which reads those bytes from the stored chunks
// (waiting for the engine to fetch them first) and answers through the port that came with it.
import { FileRangeError, type FileRange, type ReadOptions } from './file-ranges';

/** The worker's question: bytes [start, end) of file `fileIndex` of item `itemId` (end may be Infinity). */
export interface StreamQuestion {
  readonly type: 'swarmdrop-stream';
  readonly itemId: string;
  readonly fileIndex: number;
  readonly start: number;
  readonly end: number;
}

/** The page's answer: the bytes and what a 206 response says about them, or why there are none. */
export type StreamAnswer =
  | { readonly ok: true; readonly blob: Blob; readonly start: number; readonly end: number; readonly fileBytes: number; readonly mimeType: string }
  | { readonly ok: false; readonly reason: string; readonly message: string };

/** Bytes per answer at most: a media element asking "from here to the end" gets this much and asks again. */
export const maxStreamAnswerBytes = 4 * 1024 * 1024;

/** How long an answer may wait for its pieces to arrive: playback shows its own spinner meanwhile. */
export const streamWaitMs = 60_000;

/** The question, if `data` is one (a worker of another version, or anything else, is ignored). */
export function parseStreamQuestion(data: unknown): StreamQuestion | null {
  if (typeof data !== 'object' || data === null) return null;
  const { type, itemId, fileIndex, start, end } = data as Record<string, unknown>;
  if (type !== 'swarmdrop-stream' || typeof itemId !== 'string' || !/^[0-9a-f]{64}$/.test(itemId)) return null;
  if (!Number.isSafeInteger(fileIndex) || !Number.isSafeInteger(start) || typeof end !== 'number') return null;
  return { type, itemId, fileIndex: fileIndex as number, start: start as number, end };
}

/** Reads a range (app/file-ranges.ts's readFileRange, bound to the engine and store). */
export type RangeReader = (itemId: string, fileIndex: number, start: number, end: number, options: ReadOptions) => Promise<FileRange>;

/** Answers one question. Never rejects: a failure is an answer the worker turns into an HTTP status. */
export async function answerStreamQuestion(read: RangeReader, question: StreamQuestion, waitMs = streamWaitMs): Promise<StreamAnswer> {
  const signal = AbortSignal.timeout(waitMs);
  try {
    const range = await read(question.itemId, question.fileIndex, question.start, question.end, { maxBytes: maxStreamAnswerBytes, signal, partial: true });
    return { ok: true, ...range };
  } catch (error) {
    if (error instanceof FileRangeError) return { ok: false, reason: error.reason, message: error.message };
    return { ok: false, reason: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
}

/** Where the worker's messages arrive: `navigator.serviceWorker` in the page. */
export interface MessageSource {
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

/** Answers the worker's stream questions until the returned function is called. */
export function startMediaBridge(source: MessageSource, read: RangeReader): () => void {
  const onMessage = (event: MessageEvent): void => {
    const question = parseStreamQuestion(event.data);
    const [port] = event.ports;
    if (!question || !port) return;
    void answerStreamQuestion(read, question).then((answer) => {
      port.postMessage(answer);
      port.close();
    });
  };
  source.addEventListener('message', onMessage);
  return () => source.removeEventListener('message', onMessage);
}
