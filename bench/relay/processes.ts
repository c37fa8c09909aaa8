// The bench's child processes (relays, redis-server, client workers): started, tracked by pid, and
// stopped by their own pid on every way out, including failure and Ctrl-C.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { connect as connectTcp } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../signaling/test-support/redis-server.js';
import type { WorkerKind, WorkerParams, WorkerReply, WorkerResults } from './worker-protocol.js';

/** The built relay entry: build/bench-relay/bench/relay/processes.js -> build/signaling/main.js. */
export const relayEntryPath = fileURLToPath(new URL('../../../signaling/main.js', import.meta.url));

/** The compiled worker next to this module. */
const workerPath = fileURLToPath(new URL('./client-worker.js', import.meta.url));

/** Debian's Redis server. */
const redisServerPath = '/usr/bin/redis-server';

/** Poll period while waiting for a process to answer: short against startup times of ~0.3 s. */
const pollIntervalMs = 50;

/** Time a relay or redis-server gets to start answering: far above the ~0.5 s they take. */
const startupTimeoutMs = 15_000;

/** Grace after SIGTERM before SIGKILL when stopping a process at the end. */
const stopGraceMs = 3_000;

const running = new Set<ChildProcess>();

/** Every relay's JSON log lines on stderr, counted by `event` over the whole run. */
const relayLogEvents = new Map<string, number>();

/** The log tally of all relays started so far, for the results file. */
export function relayLogTally(): Record<string, number> {
  return Object.fromEntries(relayLogEvents);
}

function track(child: ChildProcess): ChildProcess {
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** SIGKILLs every child still running, each by its pid; synchronous, so usable in 'exit' handlers. */
export function killAllChildren(): void {
  for (const child of running) {
    if (child.pid !== undefined && isRunning(child)) {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        // already gone between the check and the kill
      }
    }
  }
}

/** Sends `signal` to the child's pid and resolves once it exited (SIGKILL after a grace period). */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.pid === undefined || !isRunning(child)) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(child.pid, signal);
  const timer = setTimeout(() => {
    if (child.pid !== undefined && isRunning(child)) process.kill(child.pid, 'SIGKILL');
  }, stopGraceMs);
  await exited;
  clearTimeout(timer);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every `pollMs` until it returns a value other than undefined; throws after `timeoutMs`. */
export async function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>, pollMs = pollIntervalMs): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(pollMs);
  }
}

/** VmRSS of a process in KiB, from /proc/PID/status. */
export function rssKiB(pid: number): number {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match?.[1]) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]);
}

/** CPU time (user + system) a process has used so far, in ms, from /proc/PID/stat (clock ticks of 10 ms). */
export function cpuMs(pid: number): number {
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticksPerSecond = 100; // USER_HZ: 100 on every Linux architecture Node runs on
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
}

/** The soft open-files limit of a process, from /proc/PID/limits. */
export function openFilesLimit(pid: number): number {
  const match = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'));
  return match?.[1] === undefined || match[1] === 'unlimited' ? Infinity : Number(match[1]);
}

/** File descriptors a process holds open right now. */
export function openFiles(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

/** The relay's caps, passed as its environment variables. */
export interface RelayCaps {
  readonly maxConnections: number;
  readonly maxConnectionsPerIp: number;
  readonly maxSocketsPerRoom: number;
}

/** What GET /healthz answers. */
export interface RelayHealth {
  readonly up: boolean;
  readonly redis: unknown;
  readonly sockets: number;
  readonly rooms: number;
}

/** A relay child process. */
export interface RelayProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly port: number;
  readonly url: string;
  /** Where clients connect (the /signal path is added by the worker). */
  readonly wsUrl: string;
  health(): Promise<RelayHealth | undefined>;
  /** The sum over all label sets of one counter of GET /metrics (0 when absent). */
  metric(name: string): Promise<number>;
}

/** Starts `node build/signaling/main.js` on `port` and resolves once /healthz answers. */
export async function startRelay(port: number, caps: RelayCaps, redisUrl?: string): Promise<RelayProcess> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    STUN_PORT: '0',
    MAX_CONNECTIONS: String(caps.maxConnections),
    MAX_CONNECTIONS_PER_IP: String(caps.maxConnectionsPerIp),
    MAX_SOCKETS_PER_ROOM: String(caps.maxSocketsPerRoom),
  };
  delete env['REDIS_URL'];
  if (redisUrl !== undefined) env['REDIS_URL'] = redisUrl;
  const child = track(spawn(process.execPath, [relayEntryPath], { env, stdio: ['ignore', 'pipe', 'pipe'] }));
  if (child.pid === undefined) throw new Error('relay did not start');
  child.stdout?.resume(); // the startup lines: drained, not needed
  // Drained line by line (a full pipe would block the relay's synchronous stderr writes) and counted.
  if (child.stderr) {
    createInterface({ input: child.stderr }).on('line', (line) => {
      const event = /"event":"([^"]+)"/.exec(line)?.[1] ?? 'other';
      relayLogEvents.set(event, (relayLogEvents.get(event) ?? 0) + 1);
    });
  }
  const url = `http://127.0.0.1:${port}`;
  const health = async (): Promise<RelayHealth | undefined> => {
    try {
      const response = await fetch(`${url}/healthz`);
      return response.ok ? ((await response.json()) as RelayHealth) : undefined;
    } catch {
      return undefined;
    }
  };
  const metric = async (name: string): Promise<number> => {
    const text = await (await fetch(`${url}/metrics`)).text();
    let sum = 0;
    for (const line of text.split('\n')) if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) sum += Number(line.split(' ').pop());
    return sum;
  };
  await waitFor(`relay on port ${port}`, startupTimeoutMs, async () => {
    if (!isRunning(child)) throw new Error(`relay exited at startup (code ${child.exitCode}, signal ${child.signalCode})`);
    return health();
  });
  return { child, pid: child.pid, port, url, wsUrl: `ws://127.0.0.1:${port}`, health, metric };
}

/** Starts redis-server on a free loopback port without persistence; resolves once it answers PING. */
export async function startRedis(): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const child = track(spawn(redisServerPath, args, { stdio: ['ignore', 'pipe', 'pipe'] }));
  child.stdout?.resume();
  child.stderr?.resume();
  await waitFor(`redis-server on port ${port}`, startupTimeoutMs, async () => {
    if (!isRunning(child)) throw new Error(`redis-server exited at startup (code ${child.exitCode})`);
    return (await redisAnswersPing(port)) ? true : undefined;
  });
  return { child, url: `redis://127.0.0.1:${port}` };
}

function redisAnswersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connectTcp(port, '127.0.0.1', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
  });
}

/** A client worker child process and its request/reply channel. */
export interface WorkerHandle {
  readonly child: ChildProcess;
  call<K extends WorkerKind>(kind: K, params: WorkerParams[K], timeoutMs: number): Promise<WorkerResults[K]>;
}

export function startWorker(): WorkerHandle {
  const child = track(fork(workerPath, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  const waiting = new Map<number, (reply: WorkerReply) => void>();
  let nextId = 1;
  child.on('message', (message) => {
    const reply = message as WorkerReply;
    waiting.get(reply.id)?.(reply);
    waiting.delete(reply.id);
  });
  child.once('exit', (code, signal) => {
    for (const answer of waiting.values()) answer({ id: 0, error: `worker exited (code ${code}, signal ${signal})` });
    waiting.clear();
  });
  return {
    child,
    call<K extends WorkerKind>(kind: K, params: WorkerParams[K], timeoutMs: number): Promise<WorkerResults[K]> {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(new Error(`worker ${kind} timed out after ${timeoutMs} ms`));
        }, timeoutMs);
        waiting.set(id, (reply) => {
          clearTimeout(timer);
          if (reply.error !== undefined) reject(new Error(`worker ${kind}: ${reply.error}`));
          else resolve(reply.result as WorkerResults[K]);
        });
        child.send({ id, kind, params });
      });
    },
  };
}
