// Helpers for engine tests: share bytes from one engine, wait for a condition, random data.
import { createManifest, chunkSpan, type SignedManifest } from '../core/manifest';
import type { PieceStore } from '../core/ports';
import type { Swarm } from '../core/swarm/engine';

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
