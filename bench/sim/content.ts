// The shared item, scaled: a file of `fileBytes` (as people share it) becomes `fileBytes / scale`
// bytes, chunked at the product's chunk size for the unscaled file (chooseChunkBytes) divided by the
// scale, and signed through the manifest module's own API. Each peer's store keeps which chunks it
// holds, not their bytes: every chunk a peer stores is first checked against the manifest's SHA-256
// (a failure is counted and not stored), so serving from the one true copy is equivalent, and 1,000
// peers cost one copy of the item in memory.
import { createHash } from 'node:crypto';
import { bytesEqual } from '../../src/core/bytes';
import { chunkSpans } from '../../src/core/chunk-layout';
import { chooseChunkBytes, chunkHash, createManifest, readSpansByRange, type SignedManifest } from '../../src/core/manifest';
import type { PieceStore } from '../../src/core/ports';
import { seededRandom } from '../../src/test-support/seeded-random';

/** The item every run shares, with its chunks' bytes. */
export interface SimItem {
  readonly signed: SignedManifest;
  readonly chunks: readonly Uint8Array[];
  /** Scaled bytes (what crosses the modelled links). */
  readonly totalBytes: number;
}

/** Pseudo-random bytes from `seed`: repeatable, and every chunk distinct. */
function contentBytes(length: number, seed: number): Uint8Array {
  const random = seededRandom(seed);
  const out = new Uint8Array(length);
  const words = new Uint32Array(out.buffer, 0, Math.floor(length / 4));
  for (let i = 0; i < words.length; i++) words[i] = random() * 2 ** 32;
  for (let i = words.length * 4; i < length; i++) out[i] = random() * 256;
  return out;
}

/** Builds and signs the item: `fileBytes` unscaled, every size divided by `scale` (a power of two). */
export async function buildItem(fileBytes: number, scale: number, seed: number): Promise<SimItem> {
  const chunkBytes = chooseChunkBytes(fileBytes) / scale;
  const totalBytes = fileBytes / scale;
  if (!Number.isInteger(chunkBytes) || !Number.isInteger(totalBytes)) throw new Error(`scale 1/${scale} does not divide ${fileBytes} bytes in ${chooseChunkBytes(fileBytes)}-byte chunks`);
  const data = contentBytes(totalBytes, seed);
  const files = [{ path: 'shared.bin', size: totalBytes, type: 'application/octet-stream' }];
  const read = async (_file: number, offset: number, length: number): Promise<Uint8Array> => data.slice(offset, offset + length);
  const signed = await createManifest('shared.bin', files, readSpansByRange(read), chunkBytes);
  const chunks = Array.from({ length: signed.manifest.chunkCount }, (_, i) => {
    const [span] = chunkSpans(signed.manifest.layout, i);
    return span ? data.subarray(span.offset, span.offset + span.length) : new Uint8Array(0);
  });
  return { signed, chunks, totalBytes };
}

const sha256Of = (bytes: Uint8Array): Uint8Array => createHash('sha256').update(bytes).digest();

/** Whether every chunk of the one copy still hashes to the manifest (nobody wrote into a served view). */
export function intactItem(item: SimItem): boolean {
  return item.chunks.every((chunk, i) => bytesEqual(sha256Of(chunk), chunkHash(item.signed.manifest, i)));
}

/** One peer's store: which chunks it holds, and what it refused. */
export interface SimStore extends PieceStore {
  readonly held: ReadonlySet<number>;
  /** putChunk calls whose bytes did not hash to the manifest's hash (never stored). */
  readonly unverified: number;
}

/** A store over the item's one true copy; `full` for the sharer, who holds every chunk. */
export function createSimStore(item: SimItem, full: boolean): SimStore {
  const held = new Set<number>(full ? item.chunks.keys() : []);
  const { itemId, manifest } = item.signed;
  let unverified = 0;
  return {
    held,
    get unverified() {
      return unverified;
    },
    async putManifest() {
      // Manifests are parsed and checked against the item id by the engine; the item is known here.
    },
    async putChunk(id, index, bytes) {
      // Hashed here with node:crypto, not WebCrypto: a store call must not wait on a counted call (quiescence.ts).
      const ok = id === itemId && index >= 0 && index < manifest.chunkCount && bytesEqual(sha256Of(bytes), chunkHash(manifest, index));
      if (!ok) {
        unverified++;
        return;
      }
      held.add(index);
    },
    async readChunk(id, index) {
      // A view of the one copy, not a copy of it (a 1 MiB copy per serve was a tenth of the run's time):
      // the engine only reads it, and intactItem() checks at the end of every run that nothing wrote to it.
      return id === itemId && held.has(index) ? (item.chunks[index] ?? null) : null;
    },
  };
}
