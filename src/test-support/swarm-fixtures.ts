// Helpers for engine tests: share bytes from one engine, run engines on a manual clock until a
// condition holds, random data.
import { createTimeRunner } from './fake-time';
import { vi } from 'vitest';
import { createManualClock, type ManualClock } from '../core/clock';
import { chunkContentStart, chunkSpans } from '../core/chunk-layout';
import { createManifest, readSpansByRange, type SignedManifest } from '../core/manifest';
import type { PeerLink, PieceStore } from '../core/ports';
import { createSwarm, type Swarm, type SwarmOptions } from '../core/swarm/engine';
import { createLinkPair, type FrameTamper } from './memory-link';
import { createMemoryStore } from './memory-store';
import { seededRandom } from './seeded-random';

/** Every swarm a test made, so `destroyAll` can stop their timers. */
const made: Swarm[] = [];
/** What `destroyAll` undoes besides the swarms (the hash counter of a simulation). */
const cleanups: (() => void)[] = [];

export { seededRandom } from './seeded-random';

/** A test peer: an engine over an in-memory store, with its own seeded randomness. */
export function testPeer(options: Partial<SwarmOptions> = {}) {
  const store = createMemoryStore();
  const swarm = createSwarm({ store, random: seededRandom(made.length + 1), ...options });
  made.push(swarm);
  return { store, swarm };
}

/** Destroys every engine made by `testPeer` (call in afterEach). */
export function destroyAll(): void {
  for (const swarm of made.splice(0)) swarm.destroy();
  for (const cleanup of cleanups.splice(0)) cleanup();
}

/** Links two engines; `tamperFromA` rewrites what `a` sends to `b`. */
export function connect(a: Swarm, aId: string, b: Swarm, bId: string) {
  const pair = createLinkPair(aId, bId);
  a.addLink(pair.a);
  b.addLink(pair.b);
  return pair;
}

/** An item's status in an engine's snapshot. */
export const statusOf = (swarm: Swarm, itemId: string) => swarm.getSnapshot().items.find((i) => i.itemId === itemId)?.status;

/** Deterministic pseudo-random bytes (xorshift), so failures reproduce. */
export function randomBytes(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** Hashes `data` as a one-file item, puts its chunks in `store` and shares it from `swarm`. */
export async function shareBytes(
  swarm: Swarm,
  store: PieceStore,
  name: string,
  data: Uint8Array,
  chunkBytes?: number,
): Promise<SignedManifest> {
  const files = [{ path: name, size: data.length, type: 'application/octet-stream' }];
  const read = async (_file: number, offset: number, length: number) => data.slice(offset, offset + length);
  const signed = await createManifest(name, files, readSpansByRange(read), chunkBytes);
  for (let i = 0; i < signed.manifest.chunkCount; i++) {
    const [span] = chunkSpans(signed.manifest.layout, i);
    if (span) await store.putChunk(signed.itemId, i, data.slice(span.offset, span.offset + span.length));
  }
  swarm.shareItem(signed);
  return signed;
}

/** Reassembles an item's bytes from a store (single-file items). */
export async function readItem(store: PieceStore, signed: SignedManifest): Promise<Uint8Array> {
  const out = new Uint8Array(signed.manifest.totalBytes);
  for (let i = 0; i < signed.manifest.chunkCount; i++) {
    const chunk = await store.readChunk(signed.itemId, i);
    if (!chunk) throw new Error(`chunk ${i} missing`);
    out.set(chunk, chunkContentStart(signed.manifest.layout, i));
  }
  return out;
}

/** Polls `condition` until it holds, or fails after `timeoutMs`. */
export async function waitFor(condition: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** SHA-256 digests under way, once counted (a simulation must know when hashing is done). */
let hashesInFlight: (() => number) | null = null;

/** Counts WebCrypto digests in flight until `destroyAll`; returns the count's reader. */
function countHashes(): () => number {
  if (hashesInFlight) return hashesInFlight;
  let hashing = 0;
  const digest = crypto.subtle.digest.bind(crypto.subtle);
  const spy = vi.spyOn(crypto.subtle, 'digest').mockImplementation(async (...args: Parameters<typeof digest>) => {
    hashing++;
    try {
      return await digest(...args);
    } finally {
      hashing--;
    }
  });
  hashesInFlight = () => hashing;
  cleanups.push(() => {
    spy.mockRestore();
    hashesInFlight = null;
  });
  return hashesInFlight;
}

/** One turn of the host's event loop: in-memory links deliver and hashes finish (never fake time). */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Consecutive host turns with no progress before a simulation counts as settled. One was enough on a
 * quiet machine; under load (CI) a chunk sometimes landed after it, so fake time moved on and a request
 * timed out and was asked again (a test saw 3 writes of a 2-chunk item).
 */
const quietTurnsToSettle = 5;

/** Host turns a simulation may spin while settling before it fails: far more than any settle takes. */
const settleLimitTurns = 100_000;

/**
 * Engines on one manual clock, over in-memory links: time moves only from timer to timer, and in
 * between the swarm settles (every frame in flight delivered, every hash finished, every timer due
 * now run). A settled swarm does nothing more until time moves, so what has not happened by then
 * will not happen. Call `destroyAll` in afterEach.
 */
export function createSwarmSimulation(clock: ManualClock = createManualClock()) {
  const hashing = countHashes();
  /** Bumped by every frame sent or handled: a quiet turn leaves it unchanged. */
  let progress = 0;

  const counted = (link: PeerLink, pair: { open: boolean; inFlight: number }): PeerLink => ({
    peerId: link.peerId,
    send(frame) {
      pair.inFlight++;
      progress++;
      const sent = link.send(frame);
      sent.catch(() => pair.inFlight--);
      return sent;
    },
    close: (reason) => link.close(reason),
    listen: (handlers) =>
      link.listen({
        frame(frame) {
          pair.inFlight--;
          progress++;
          handlers.frame(frame);
        },
        close(error) {
          pair.open = false;
          progress++;
          handlers.close(error);
        },
      }),
  });
  /** Per link pair: frames sent and not yet handled (or dropped), and whether it is still open. */
  const pairs: { open: boolean; inFlight: number }[] = [];
  const busy = (): boolean => hashing() > 0 || pairs.some((p) => p.open && p.inFlight > 0);

  /** Delivers and processes everything due now. */
  const settle = async (): Promise<void> => {
    let quietTurns = 0;
    for (let turn = 0; turn < settleLimitTurns; turn++) {
      if (clock.pending()[0] === 0) {
        clock.advance(0);
        quietTurns = 0;
      } else if (busy()) {
        await nextTurn();
        quietTurns = 0;
      } else if (quietTurns < quietTurnsToSettle) {
        // Nothing counted in flight: host timer turns let what the links set with setTimeout(0) land,
        // and work the counters do not see (store promises, the threadpool) finish, even on a busy machine.
        const before = progress;
        await new Promise((resolve) => setTimeout(resolve, 0));
        await nextTurn();
        quietTurns = progress === before && !busy() ? quietTurns + 1 : 0;
      } else return;
    }
    const inFlight = pairs.map((p) => (p.open ? p.inFlight : 'closed')).join(', ');
    throw new Error(`the swarm did not settle within ${settleLimitTurns} turns (hashing ${hashing()}; frames in flight per link: ${inFlight})`);
  };

  const { runUntil, runFor } = createTimeRunner(clock, settle);

  return {
    clock,
    settle,
    runUntil,
    runFor,
    /** A test peer on the simulation's clock. */
    peer: (options: Partial<SwarmOptions> = {}) => testPeer({ clock, ...options }),
    /** Links two engines with counted links; `tamperFromA` rewrites what `a` sends to `b`. */
    connect(a: Swarm, aId: string, b: Swarm, bId: string) {
      const raw = createLinkPair(aId, bId);
      const pair = { open: true, inFlight: 0 };
      pairs.push(pair);
      a.addLink(counted(raw.a, pair));
      b.addLink(counted(raw.b, pair));
      return {
        ...raw,
        tamperFromA(t: FrameTamper | null) {
          raw.tamperFromA(
            t &&
              ((frame) => {
                const out = t(frame);
                if (out === null) pair.inFlight--;
                return out;
              }),
          );
        },
      };
    },
  };
}
