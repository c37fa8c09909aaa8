// Helpers for engine tests: share bytes from one engine, wait for a condition, random data.
import { createManifest, chunkSpan, type SignedManifest } from '../core/manifest';
import type { PieceStore } from '../core/ports';
import { createSwarm, type Swarm, type SwarmOptions } from '../core/swarm/engine';
import { createLinkPair } from './memory-link';
import { createMemoryStore } from './memory-store';

/** Every swarm a test made, so `destroyAll` can stop their timers. */
const made: Swarm[] = [];

/** A seeded PRNG in [0, 1) (mulberry32): repeatable runs, but each peer draws differently. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

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
  const signed = await createManifest(name, files, read, chunkBytes);
  for (let i = 0; i < signed.manifest.chunkCount; i++) {
    const span = chunkSpan(signed.manifest, i);
    await store.putChunk(signed.itemId, i, data.slice(span.offset, span.offset + span.length));
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
    out.set(chunk, chunkSpan(signed.manifest, i).offset);
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
