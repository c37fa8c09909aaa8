// A child process of the relay bench holding client sockets, so the relay's own process holds only
// its ends of them (both sides in one process would halve the sockets the file limit allows).
import { performance } from 'node:perf_hooks';
import { WebSocket, type RawData } from 'ws';
import type {
  BlastResult,
  GroupCounters,
  OpenResult,
  ProbeResult,
  SocketSpec,
  WorkerParams,
  WorkerReply,
  WorkerRequest,
} from './worker-protocol.js';

// The page's reconnect policy, mirrored from src/discovery/relay-client.ts (`baseBackoffMs`,
// `maxBackoffMs`, the attempt cap of 16): that module imports extensionless paths Node cannot load.
/** First reconnect delay cap: the page's `baseBackoffMs`. */
const baseBackoffMs = 500;
/** Longest reconnect delay cap: the page's `maxBackoffMs`. */
const maxBackoffMs = 30_000;
/** Highest doubling exponent the page uses, so the cap never overflows. */
const maxBackoffAttempt = 16;

/** Handshakes in flight per worker: two workers stay under Node's listen backlog of 511. */
const maxOpeningSockets = 200;
/** One socket's time to connect and subscribe before it counts as failed: generous on a loaded 2-core box. */
const subscribeTimeoutMs = 30_000;
/** Wait for the last probes' answers after sending: far above any round trip seen. */
const probeAnswerWaitMs = 5_000;
/** Pacing tick of probes and blasts: fine enough to spread sends, coarse enough to cost nothing. */
const pacingTickMs = 10;

interface Client {
  readonly spec: SocketSpec;
  ws: WebSocket | null;
  subscribed: boolean;
  everSubscribed: boolean;
  attempt: number;
  timer: NodeJS.Timeout | null;
}

interface Group {
  readonly url: string;
  readonly reconnect: boolean;
  readonly clients: Client[];
  closing: boolean;
  received: number;
  receivedChars: number;
  firstReceiveAtMs: number;
  lastReceiveAtMs: number;
  errorFrames: number;
  closes: number;
  readonly reconnectAttemptsAtMs: number[];
  readonly resubscribedAtMs: number[];
  /** Probes awaiting their answer: data → performance.now() at send. */
  readonly pendingProbes: Map<string, number>;
  readonly latenciesMs: number[];
}

const groups = new Map<string, Group>();

function groupNamed(name: string): Group {
  const group = groups.get(name);
  if (!group) throw new Error(`no group ${name}`);
  return group;
}

function parseFrame(data: RawData): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(data.toString());
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function publishFrame(spec: SocketSpec, data: string): string {
  return JSON.stringify({ type: 'publish', topic: spec.room, data, ...(spec.to === undefined ? {} : { to: spec.to }) });
}

/** Bytes of a received frame (text frames of ASCII JSON: one byte per character). */
function rawLength(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((sum, part) => sum + part.length, 0);
  return data instanceof ArrayBuffer ? data.byteLength : data.length;
}

/** A room-wide hello of `chars` characters (the relay treats it as opaque data). */
function helloFrame(spec: SocketSpec, chars: number): string {
  return JSON.stringify({ type: 'publish', topic: spec.room, data: `hello-${spec.peer}-`.padEnd(chars, 'x') });
}

/** Connects one client; `settle` hears once whether it got subscribed. */
function connect(group: Group, client: Client, settle?: (ok: boolean) => void): void {
  let settled = settle;
  const finish = (ok: boolean): void => {
    settled?.(ok);
    settled = undefined;
  };
  const ws = new WebSocket(`${group.url}/signal`, { perMessageDeflate: false });
  client.ws = ws;
  const timeout = setTimeout(() => {
    finish(false);
    if (!client.subscribed) ws.terminate();
  }, subscribeTimeoutMs);
  ws.on('open', () => ws.send(JSON.stringify({ type: 'subscribe', topic: client.spec.room, peer: client.spec.peer })));
  ws.on('error', () => undefined); // a 'close' always follows
  ws.on('message', (data) => onFrame(group, client, ws, data, () => {
    clearTimeout(timeout);
    finish(true);
  }));
  ws.on('close', () => {
    clearTimeout(timeout);
    if (client.ws !== ws) return;
    group.closes++;
    client.subscribed = false;
    client.ws = null;
    finish(false);
    if (group.reconnect && client.everSubscribed && !group.closing) scheduleReconnect(group, client);
  });
}

function onFrame(group: Group, client: Client, ws: WebSocket, data: RawData, onSubscribed: () => void): void {
  const frame = parseFrame(data);
  if (frame === null) return;
  if (frame['type'] === 'message' && typeof frame['data'] === 'string') {
    const now = Date.now();
    if (group.received === 0) group.firstReceiveAtMs = now;
    group.received++;
    group.receivedChars += rawLength(data);
    group.lastReceiveAtMs = now;
    const sentAt = group.pendingProbes.get(frame['data']);
    if (sentAt !== undefined) {
      group.latenciesMs.push(performance.now() - sentAt);
      group.pendingProbes.delete(frame['data']);
    }
    if (client.spec.echo === true) ws.send(publishFrame(client.spec, frame['data']));
  } else if (frame['type'] === 'subscribed') {
    if (client.everSubscribed) group.resubscribedAtMs.push(Date.now());
    client.subscribed = true;
    client.everSubscribed = true;
    client.attempt = 0; // the page resets its backoff on a subscription
    if (client.spec.helloChars !== undefined) ws.send(helloFrame(client.spec, client.spec.helloChars));
    onSubscribed();
  } else if (frame['type'] === 'error') {
    group.errorFrames++;
  }
}

/** The page's full-jitter backoff: random() * min(max, base * 2^attempt), attempt growing per try. */
function scheduleReconnect(group: Group, client: Client): void {
  if (client.timer !== null) return;
  const capMs = Math.min(maxBackoffMs, baseBackoffMs * 2 ** client.attempt);
  client.attempt = Math.min(client.attempt + 1, maxBackoffAttempt);
  client.timer = setTimeout(() => {
    client.timer = null;
    if (group.closing) return;
    group.reconnectAttemptsAtMs.push(Date.now());
    connect(group, client);
  }, Math.random() * capMs);
}

async function open(params: WorkerParams['open']): Promise<OpenResult> {
  if (groups.has(params.group)) throw new Error(`group ${params.group} exists`);
  const group: Group = {
    url: params.url,
    reconnect: params.reconnect,
    clients: [],
    closing: false,
    received: 0,
    receivedChars: 0,
    firstReceiveAtMs: 0,
    lastReceiveAtMs: 0,
    errorFrames: 0,
    closes: 0,
    reconnectAttemptsAtMs: [],
    resubscribedAtMs: [],
    pendingProbes: new Map(),
    latenciesMs: [],
  };
  groups.set(params.group, group);
  const startedAt = performance.now();
  let next = 0;
  let subscribed = 0;
  let failed = 0;
  const lane = async (): Promise<void> => {
    for (let spec = params.specs[next++]; spec !== undefined; spec = params.specs[next++]) {
      const client: Client = { spec, ws: null, subscribed: false, everSubscribed: false, attempt: 0, timer: null };
      group.clients.push(client);
      const ok = await new Promise<boolean>((resolve) => connect(group, client, resolve));
      if (ok) subscribed++;
      else failed++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(maxOpeningSockets, params.specs.length) }, lane));
  return { subscribed, failed, elapsedMs: performance.now() - startedAt };
}

function senders(group: Group): Client[] {
  return group.clients.filter((client) => client.spec.to !== undefined && client.spec.echo !== true);
}

/** Calls `tick(elapsedSeconds)` every pacing tick until it returns true. */
function paced(tick: (elapsedSeconds: number) => boolean): Promise<void> {
  const startedAt = performance.now();
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (!tick((performance.now() - startedAt) / 1000)) return;
      clearInterval(timer);
      resolve();
    }, pacingTickMs);
  });
}

async function probe(params: WorkerParams['probe']): Promise<ProbeResult> {
  const group = groupNamed(params.group);
  const from = senders(group);
  if (from.length === 0) throw new Error(`group ${params.group} has no senders`);
  group.latenciesMs.length = 0;
  group.pendingProbes.clear();
  let sent = 0;
  await paced((elapsedSeconds) => {
    const due = Math.min(params.samples, Math.floor(elapsedSeconds * params.ratePerSecond));
    for (; sent < due; sent++) {
      const client = from[sent % from.length];
      if (client?.ws?.readyState !== WebSocket.OPEN) continue;
      const data = `probe-${sent}`;
      group.pendingProbes.set(data, performance.now());
      client.ws.send(publishFrame(client.spec, data));
    }
    return sent >= params.samples;
  });
  const waitStartedAt = performance.now();
  await paced(() => group.pendingProbes.size === 0 || performance.now() - waitStartedAt > probeAnswerWaitMs);
  return { latenciesMs: [...group.latenciesMs], lost: params.samples - group.latenciesMs.length };
}

async function blast(params: WorkerParams['blast']): Promise<BlastResult> {
  const from = senders(groupNamed(params.group)).map((client) => ({ client, frame: Buffer.from(publishFrame(client.spec, 'blast')) }));
  let perSocket = 0;
  let sent = 0;
  let firstSendAtMs = 0;
  await paced((elapsedSeconds) => {
    const due = Math.min(params.messagesPerSocket, Math.ceil(elapsedSeconds * params.ratePerSocketPerSecond));
    if (firstSendAtMs === 0 && due > perSocket) firstSendAtMs = Date.now();
    for (; perSocket < due; perSocket++) {
      for (const { client, frame } of from) {
        if (client.ws?.readyState !== WebSocket.OPEN) continue;
        client.ws.send(frame, { binary: false });
        sent++;
      }
    }
    return perSocket >= params.messagesPerSocket;
  });
  return { sent, firstSendAtMs, lastSendAtMs: Date.now() };
}

async function announce(params: WorkerParams['announce']): Promise<BlastResult> {
  const clients = groupNamed(params.group).clients;
  let sent = 0;
  let firstSendAtMs = 0;
  await paced((elapsedSeconds) => {
    const due = Math.min(params.count, Math.ceil(elapsedSeconds * params.ratePerSecond));
    if (firstSendAtMs === 0 && due > sent) firstSendAtMs = Date.now();
    for (; sent < due; sent++) {
      const client = clients[sent % clients.length];
      if (client?.ws?.readyState === WebSocket.OPEN) client.ws.send(helloFrame(client.spec, params.dataChars));
    }
    return sent >= params.count;
  });
  return { sent, firstSendAtMs, lastSendAtMs: Date.now() };
}

function counters(params: WorkerParams['counters']): GroupCounters {
  const group = groupNamed(params.group);
  const result: GroupCounters = {
    sockets: group.clients.length,
    subscribed: group.clients.filter((client) => client.subscribed).length,
    received: group.received,
    receivedChars: group.receivedChars,
    firstReceiveAtMs: group.firstReceiveAtMs,
    lastReceiveAtMs: group.lastReceiveAtMs,
    errorFrames: group.errorFrames,
    closes: group.closes,
    reconnectAttemptsAtMs: [...group.reconnectAttemptsAtMs],
    resubscribedAtMs: [...group.resubscribedAtMs],
  };
  if (params.reset) {
    group.received = 0;
    group.receivedChars = 0;
    group.firstReceiveAtMs = 0;
    group.lastReceiveAtMs = 0;
  }
  return result;
}

function close(params: WorkerParams['close']): { closed: number } {
  const group = groupNamed(params.group);
  group.closing = true;
  for (const client of group.clients) {
    if (client.timer !== null) clearTimeout(client.timer);
    client.ws?.terminate();
  }
  groups.delete(params.group);
  return { closed: group.clients.length };
}

async function handle(request: WorkerRequest): Promise<unknown> {
  switch (request.kind) {
    case 'open':
      return open(request.params);
    case 'probe':
      return probe(request.params);
    case 'blast':
      return blast(request.params);
    case 'announce':
      return announce(request.params);
    case 'counters':
      return counters(request.params);
    case 'close':
      return close(request.params);
  }
}

process.on('message', (message) => {
  const request = message as WorkerRequest;
  const reply = (answer: WorkerReply): void => void process.send?.(answer);
  handle(request).then(
    (result) => reply({ id: request.id, result }),
    (error: unknown) => reply({ id: request.id, error: error instanceof Error ? error.message : String(error) }),
  );
});
// The parent is gone (finished, failed or killed): nothing left to measure.
process.on('disconnect', () => process.exit(0));
