// A test-only hostile relay: serves the page like the real one, runs the same topic pub/sub on
// /signal, but passes every published envelope through `tamper` first (rewrite, forge, replay, drop).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { createStaticHandler } from '../signaling/static-files.js';

/** What the relay does to an envelope in transit: the texts to deliver instead (none drops it). */
export type EnvelopeTamper = (data: string, history: readonly string[]) => string[];

/** A running hostile relay. */
export interface HostileRelay {
  readonly url: string;
  readonly delivered: () => number;
  close(): Promise<void>;
}

/** Starts a hostile relay on a random loopback port. */
export async function startHostileRelay(staticDir: string, tamper: EnvelopeTamper): Promise<HostileRelay> {
  const serveStatic = createStaticHandler(staticDir, () => undefined);
  const server: Server = createServer((req, res) => void serveStatic(req, res));
  const wss = new WebSocketServer({ server, path: '/signal' });
  const topics = new Map<string, Set<WebSocket>>();
  const history: string[] = [];
  let delivered = 0;
  wss.on('connection', (socket) => {
    socket.on('message', (raw) => {
      const frame = JSON.parse(String(raw)) as { type?: string; topic?: string; data?: string };
      if (!frame.topic) return;
      const members = topics.get(frame.topic) ?? new Set<WebSocket>();
      topics.set(frame.topic, members);
      if (frame.type === 'subscribe') {
        members.add(socket);
        socket.send(JSON.stringify({ type: 'subscribed', topic: frame.topic, peers: members.size - 1 }));
      } else if (frame.type === 'publish' && typeof frame.data === 'string') {
        const outgoing = tamper(frame.data, history);
        history.push(frame.data);
        for (const other of members) {
          if (other === socket) continue;
          for (const data of outgoing) {
            other.send(JSON.stringify({ type: 'message', topic: frame.topic, data }));
            delivered++;
          }
        }
      }
    });
    socket.on('close', () => topics.forEach((members) => members.delete(socket)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}/`,
    delivered: () => delivered,
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Flips one character of the ciphertext: what a relay rewriting the SDP inside would have to do. */
export function alterCiphertext(data: string): string[] {
  const envelope = JSON.parse(data) as Record<string, unknown>;
  const ct = String(envelope.ct);
  const middle = Math.floor(ct.length / 2);
  const flipped = ct.slice(0, middle) + (ct[middle] === 'A' ? 'B' : 'A') + ct.slice(middle + 1);
  return [JSON.stringify({ ...envelope, ct: flipped })];
}

/** Swaps in its own sender id and keeps the ciphertext: impersonation. */
export function impersonate(data: string): string[] {
  const envelope = JSON.parse(data) as Record<string, unknown>;
  return [JSON.stringify({ ...envelope, from: 'f'.repeat(32) })];
}

/** Delivers each envelope twice and replays the last few earlier ones after it (including the sender's own). */
export function replayEverything(data: string, history: readonly string[]): string[] {
  return [data, data, ...history.slice(-3)];
}
