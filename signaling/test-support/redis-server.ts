// Test-only: a real redis-server (Debian's package) on a free loopback port, started and stopped by
// its own pid. Without the binary, tests that need it skip with one line, except under CI=true.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** What to write when redis-server is missing: null when it is there. */
export function redisUnavailableReason(): string | null {
  const found = spawnSync('redis-server', ['--version'], { stdio: 'ignore', timeout: 5_000 });
  return found.error === undefined && found.status === 0 ? null : 'redis-server is not installed (apt-get install redis-server)';
}

/** The reason to skip, or null to run; under CI=true a missing redis-server is an error, not a skip. */
export function redisSkipReason(): string | null {
  const reason = redisUnavailableReason();
  if (reason !== null && process.env['CI'] === 'true') throw new Error(`Redis tests must run in CI: ${reason}`);
  if (reason !== null) process.stderr.write(`skipping Redis tests: ${reason}\n`);
  return reason;
}

/** A running redis-server. */
export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** Stops it (SIGKILL: an outage, not a shutdown); resolves once it has exited. */
  stop(): Promise<void>;
  /** Starts it again on the same port (empty: nothing is persisted). */
  restart(): Promise<void>;
}

/** How long redis-server gets to say it is ready: it starts in milliseconds. */
const readyTimeoutMs = 10_000;

/** Starts redis-server on a free loopback port; reject if it does not become ready. */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  let child = await launch(port);
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop: () => kill(child),
    async restart() {
      await kill(child);
      child = await launch(port);
    },
  };
}

async function launch(port: number): Promise<ChildProcess> {
  // No persistence, loopback only, no protected-mode surprises: a throwaway server for one test file.
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no'];
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`redis-server not ready within ${readyTimeoutMs} ms:\n${output.slice(-1000)}`)), readyTimeoutMs);
    const fail = (error: Error): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', fail);
    child.once('exit', (code) => fail(new Error(`redis-server exited (${String(code)}):\n${output.slice(-1000)}`)));
  });
  // Keep draining, so a chatty server never blocks on a full pipe.
  child.stdout?.resume();
  child.stderr?.resume();
  return child;
}

function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** A TCP port free on loopback right now (for servers that cannot be told to pick one, like redis-server). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
