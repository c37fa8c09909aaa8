// Test-only: starts relays on port 0, records their logs, and closes everything a test opened.
import type { ClientOptions } from 'ws';
import { createRelay, signalPath, type Relay, type RelayOptions } from '../relay.js';
import { defaultWaitMs, openClient, type TestClient } from './ws-client.js';

/** A started relay with the log entries it wrote so far. */
export interface StartedRelay {
  readonly relay: Relay;
  readonly logs: Record<string, unknown>[];
  /** ws://host:port/signal */
  readonly signalUrl: string;
  client(options?: ClientOptions): Promise<TestClient>;
  /** Resolves with the first log entry matching `predicate`; rejects after `timeoutMs`. */
  waitForLog(predicate: (entry: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
}

/** Tracks what a test file opened so `closeAll` in `afterEach` leaves nothing running. */
export interface Harness {
  start(options?: RelayOptions): Promise<StartedRelay>;
  closeAll(): Promise<void>;
}

/** How often `waitForLog` looks again; logs are in-process, so polling is cheap. */
const logPollMs = 10;

/** Builds a harness; call `closeAll` in `afterEach`. */
export function createHarness(): Harness {
  const relays: Relay[] = [];
  const clients: TestClient[] = [];

  async function start(options: RelayOptions = {}): Promise<StartedRelay> {
    const logs: Record<string, unknown>[] = [];
    const relay = await createRelay({ port: 0, log: (entry) => logs.push(entry), ...options });
    relays.push(relay);
    const signalUrl = `${relay.address.url.replace(/^http/, 'ws')}${signalPath}`;
    return {
      relay,
      logs,
      signalUrl,
      async client(clientOptions) {
        const client = await openClient(signalUrl, clientOptions);
        clients.push(client);
        return client;
      },
      waitForLog: (predicate, timeoutMs = defaultWaitMs) => waitForLog(logs, predicate, timeoutMs),
    };
  }

  return {
    start,
    async closeAll() {
      await Promise.all(clients.splice(0).map((client) => client.close()));
      await Promise.all(relays.splice(0).map((relay) => relay.close()));
    },
  };
}

async function waitForLog(
  logs: readonly Record<string, unknown>[],
  predicate: (entry: Record<string, unknown>) => boolean,
  timeoutMs: number,
): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = logs.find(predicate);
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`no matching log entry within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, logPollMs));
  }
}
