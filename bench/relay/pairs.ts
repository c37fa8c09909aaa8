// Rooms of exactly two client sockets, side A and side B, and the waits the scenarios share.
import { waitFor, type RelayProcess, type WorkerHandle } from './processes.js';
import type { SocketSpec } from './worker-protocol.js';

/** What the sockets of a pair do: nothing, A probes and B echoes, or A blasts at B. */
export type PairRole = 'idle' | 'probe' | 'blast';

/** Both sides of `count` rooms named after `prefix`; with two members, addressed and broadcast delivery are the same. */
export function pairSpecs(prefix: string, count: number, role: PairRole): { a: SocketSpec[]; b: SocketSpec[] } {
  const a: SocketSpec[] = [];
  const b: SocketSpec[] = [];
  for (let i = 0; i < count; i++) {
    const room = `${prefix}-${i}`;
    const peerA = `${prefix}-a${i}`;
    const peerB = `${prefix}-b${i}`;
    a.push(role === 'idle' ? { room, peer: peerA } : { room, peer: peerA, to: peerB });
    b.push(role === 'probe' ? { room, peer: peerB, to: peerA, echo: true } : { room, peer: peerB });
  }
  return { a, b };
}

/** The two client workers; side A of each pair lives in `a`, side B in `b`. */
export interface Workers {
  readonly a: WorkerHandle;
  readonly b: WorkerHandle;
}

/** Time to open one group of sockets: 5,000 took ~10 s on a busy 2-core machine. */
export const openTimeoutMs = 90_000;

/** Opens both sides of `count` pairs (A on `urlA`, B on `urlB`) as group `prefix`; returns the failures. */
export async function openPairs(
  workers: Workers,
  prefix: string,
  count: number,
  role: PairRole,
  urls: { readonly a: string; readonly b: string },
  reconnect = false,
): Promise<number> {
  const specs = pairSpecs(prefix, count, role);
  const [openedA, openedB] = await Promise.all([
    workers.a.call('open', { group: prefix, url: urls.a, specs: specs.a, reconnect }, openTimeoutMs),
    workers.b.call('open', { group: prefix, url: urls.b, specs: specs.b, reconnect }, openTimeoutMs),
  ]);
  return openedA.failed + openedB.failed;
}

/** Closes group `prefix` on both workers. */
export async function closePairs(workers: Workers, prefix: string): Promise<void> {
  await Promise.all([workers.a.call('close', { group: prefix }, openTimeoutMs), workers.b.call('close', { group: prefix }, openTimeoutMs)]);
}

/** Time for the relay's count of sockets to settle after an open or close. */
const socketCountTimeoutMs = 30_000;

/** Resolves once the relay's /healthz counts exactly `sockets`. */
export async function waitForSocketCount(relay: RelayProcess, sockets: number): Promise<void> {
  await waitFor(`${sockets} sockets on the relay at port ${relay.port}`, socketCountTimeoutMs, async () =>
    (await relay.health())?.sockets === sockets ? true : undefined,
  );
}
