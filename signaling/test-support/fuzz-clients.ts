// Test-only: the clients of the relay fuzz test — abusers that reconnect when cut, a flooder,
// and two well-behaved peers that ping-pong and account for every message.
import { WebSocket } from 'ws';
import type { FuzzFrame, FuzzKind } from './fuzz-frames.js';

/** What the abusive clients did and how their sockets ended. */
export interface AbuseStats {
  readonly framesByKind: Map<FuzzKind | 'flood', number>;
  /** Close codes the relay ended abusive sockets with, as the clients saw them. */
  readonly closeCodes: Map<number, number>;
  /** Sockets still open when their client ran out of frames; the test ended them. */
  endedByTest: number;
  /** Upgrades refused (HTTP status, e.g. 429 from the per-IP cap) before a reconnect got through. */
  readonly refusedUpgrades: Map<number, number>;
}

/** Builds empty stats. */
export function createAbuseStats(): AbuseStats {
  return { framesByKind: new Map(), closeCodes: new Map(), endedByTest: 0, refusedUpgrades: new Map() };
}

/** Pause before retrying a refused upgrade: long enough for a just-cut socket to free its slot. */
const reconnectPauseMs = 20;

/** Frames an abuser writes between two barriers: a few in flight, yet few wasted once the relay cut it. */
const framesPerBarrier = 4;

/** Publishes per flood burst, written in one synchronous loop: as fast as this client can. */
export const floodBurstFrames = 2_000;

/** Pause between flood bursts, so they spread over the abusers' run instead of only its start. */
const floodPauseMs = 100;

/**
 * An abuser: sends `quota` frames from `nextFrame`, reconnecting whenever the relay cuts it. A
 * ws-level ping after every few frames is the barrier: its pong means the relay has handled them,
 * so at most a few of the frames counted as sent went to a socket the relay had already cut.
 */
export async function runAbuser(url: string, nextFrame: () => FuzzFrame, quota: number, stats: AbuseStats): Promise<void> {
  let sent = 0;
  while (sent < quota) {
    const ws = await connect(url, stats);
    const closed = closeCode(ws);
    while (sent < quota && ws.readyState === WebSocket.OPEN) {
      for (let i = 0; i < framesPerBarrier && sent < quota; i += 1) {
        const frame = nextFrame();
        ws.send(frame.payload, { binary: frame.binary });
        sent += 1;
        count(stats.framesByKind, frame.kind);
      }
      await barrier(ws, closed);
    }
    await finish(ws, closed, stats);
  }
}

/** A flooder: `bursts` bursts of small valid publishes, each on a new socket that the relay cuts. */
export async function runFlooder(url: string, bursts: number, stats: AbuseStats): Promise<void> {
  for (let round = 0; round < bursts; round += 1) {
    const ws = await connect(url, stats);
    const closed = closeCode(ws);
    const topic = `flood-${round}`;
    ws.send(JSON.stringify({ type: 'subscribe', topic }));
    for (let i = 0; i < floodBurstFrames; i += 1) ws.send(JSON.stringify({ type: 'publish', topic, data: `spam-${i}` }));
    stats.framesByKind.set('flood', (stats.framesByKind.get('flood') ?? 0) + floodBurstFrames + 1);
    await finish(ws, closed, stats);
    await sleep(floodPauseMs);
  }
}

/** What the well-behaved pair saw. */
export interface PingPongResult {
  readonly sent: number;
  /** `ping-N` frames y received, in order of arrival. */
  readonly pingsReceived: readonly number[];
  /** `pong-N` frames x received, in order of arrival. */
  readonly pongsReceived: readonly number[];
  /** Anything else either of them received (must stay empty). */
  readonly unexpected: readonly string[];
  readonly roundTripMs: readonly number[];
  /** Close codes if either socket ended during the run (must stay empty). */
  readonly closes: readonly number[];
}

/** Two clients in `topic`: x publishes `ping-N` every `intervalMs`, y answers each with `pong-N`. */
export async function startPingPong(url: string, topic: string, intervalMs: number): Promise<{ stop(): Promise<PingPongResult> }> {
  const [x, y] = await Promise.all([openPlain(url), openPlain(url)]);
  const pingsReceived: number[] = [];
  const pongsReceived: number[] = [];
  const unexpected: string[] = [];
  const roundTripMs: number[] = [];
  const closes: number[] = [];
  const sentAt: number[] = [];
  let stopping = false;
  for (const ws of [x, y]) ws.on('close', (code) => stopping || closes.push(code));
  await Promise.all([subscribe(x, topic), subscribe(y, topic)]);

  y.on('message', (raw) => {
    const seq = sequenceOf(raw.toString(), topic, 'ping');
    if (seq === null) return unexpected.push(raw.toString().slice(0, 80));
    pingsReceived.push(seq);
    y.send(JSON.stringify({ type: 'publish', topic, data: `pong-${seq}` }));
  });
  x.on('message', (raw) => {
    const seq = sequenceOf(raw.toString(), topic, 'pong');
    if (seq === null) return unexpected.push(raw.toString().slice(0, 80));
    pongsReceived.push(seq);
    roundTripMs.push(performance.now() - (sentAt[seq] ?? Number.NaN));
  });
  const timer = setInterval(() => {
    sentAt.push(performance.now());
    x.send(JSON.stringify({ type: 'publish', topic, data: `ping-${sentAt.length - 1}` }));
  }, intervalMs);

  return {
    async stop() {
      clearInterval(timer);
      stopping = true;
      const deadline = Date.now() + 5_000;
      while (pongsReceived.length < sentAt.length && Date.now() < deadline) await sleep(10);
      x.terminate();
      y.terminate();
      return { sent: sentAt.length, pingsReceived, pongsReceived, unexpected, roundTripMs, closes };
    },
  };
}

async function connect(url: string, stats: AbuseStats): Promise<WebSocket> {
  for (;;) {
    const status = await tryOpen(url);
    if (typeof status !== 'number') return status;
    count(stats.refusedUpgrades, status);
    await sleep(reconnectPauseMs);
  }
}

/** Resolves with the open socket, or the HTTP status that refused the upgrade. */
function tryOpen(url: string): Promise<WebSocket | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    // Before 'open' this refuses the connect; after it, an error also ends in 'close' with a code
    // (1006) that the test's close-code assertion catches, so nothing is lost here.
    ws.on('error', (error) => reject(error));
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (req, res) => {
      req.destroy();
      resolve(res.statusCode ?? 0);
    });
  });
}

function openPlain(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function subscribe(ws: WebSocket, topic: string): Promise<void> {
  return new Promise((resolve) => {
    ws.once('message', () => resolve());
    ws.send(JSON.stringify({ type: 'subscribe', topic }));
  });
}

/** Resolves when the relay answered a ws ping (it handled everything sent before) or closed us. */
function barrier(ws: WebSocket, closed: Promise<number>): Promise<void> {
  return new Promise((resolve) => {
    ws.once('pong', () => resolve());
    void closed.then(() => resolve());
    ws.ping();
  });
}

function closeCode(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => ws.once('close', (code) => resolve(code)));
}

/** Records how the socket ended; a socket the relay did not cut is ended here and counted apart. */
async function finish(ws: WebSocket, closed: Promise<number>, stats: AbuseStats): Promise<void> {
  await barrier(ws, closed);
  if (ws.readyState === WebSocket.OPEN) {
    stats.endedByTest += 1;
    ws.terminate();
    await closed;
    return;
  }
  count(stats.closeCodes, await closed);
}

function sequenceOf(raw: string, topic: string, prefix: string): number | null {
  const frame: unknown = JSON.parse(raw);
  if (typeof frame !== 'object' || frame === null) return null;
  const { type, topic: frameTopic, data } = frame as Record<string, unknown>;
  if (type !== 'message' || frameTopic !== topic || typeof data !== 'string' || !data.startsWith(`${prefix}-`)) return null;
  return Number(data.slice(prefix.length + 1));
}

function count<K>(map: Map<K, number>, key: K): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
