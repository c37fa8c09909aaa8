// How the worker asks the pages for stream bytes: each open window of this origin in turn, over a
// MessageChannel, until one answers with the bytes (a tab without the item says so at once).
import { streamWaitMs, type StreamAnswer, type StreamQuestion } from '../app/media-bridge';
import type { AskPages } from './stream-route';

/** A window the worker can post to (a worker `Client`, or a fake in tests). */
export interface PageClient {
  postMessage(message: unknown, transfer: Transferable[]): void;
}

/** The worker's `clients`, as far as asking pages goes. */
export interface PageClients {
  matchAll(options: { readonly type: 'window' }): Promise<readonly PageClient[]>;
}

/** A page's answer may take its whole wait for pieces, and a moment more to send them. */
const answerGraceMs = 5_000;

/** What is said when no open page could answer. */
const noPage: StreamAnswer = { ok: false, reason: 'unknown-item', message: 'no open Swarmdrop page holds this item' };

function askOne(client: PageClient, question: StreamQuestion, timeoutMs: number): Promise<StreamAnswer> {
  const channel = new MessageChannel();
  return new Promise<StreamAnswer>((resolve) => {
    const timer = setTimeout(() => finish({ ok: false, reason: 'timed-out', message: 'the page did not answer in time' }), timeoutMs);
    const finish = (answer: StreamAnswer): void => {
      clearTimeout(timer);
      channel.port1.close();
      resolve(answer);
    };
    channel.port1.onmessage = (event: MessageEvent<StreamAnswer>) => finish(event.data);
    client.postMessage(question, [channel.port2]);
  });
}

/** Asks the windows in turn; the first answer with bytes wins, else the last refusal is returned. */
export function createAskPages(clients: PageClients, timeoutMs = streamWaitMs + answerGraceMs): AskPages {
  return async (question) => {
    let answer = noPage;
    for (const client of await clients.matchAll({ type: 'window' })) {
      answer = await askOne(client, question, timeoutMs);
      if (answer.ok) return answer;
    }
    return answer;
  };
}
