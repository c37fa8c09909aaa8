// A member flooding `have` and `reject` frames at a peer downloading one item of 1k, 10k or 100k
// chunks: the engine's time per message, measured in Node around the receive path (decode, dispatch,
// availability, scheduling), with a link that delivers synchronously so only the engine is timed.
import { performance } from 'node:perf_hooks';
import { planLayout } from '../src/core/chunk-layout';
import { createManualClock } from '../src/core/clock';
import type { SignedManifest } from '../src/core/manifest';
import type { PeerLink, PeerLinkHandlers } from '../src/core/ports';
import { encodeFrame } from '../src/core/protocol/codec';
import { createSwarm } from '../src/core/swarm/engine';
import { createMemoryStore } from '../src/test-support/memory-store';

/** Chunk counts measured: the three sizes. */
export const floodChunkCounts = [1_000, 10_000, 100_000] as const;
/** Messages of each kind per measurement: enough that per-message time dwarfs the timer's resolution. */
const messagesPerKind = 20_000;
/** The largest chunk: items of 100k chunks exist only past 8,192 chunks of 16 MiB (1.6 TB). */
const largestChunkBytes = 16 * 1024 * 1024;

/** An item of `chunkCount` chunks, described by hand: the engine never verifies its data here. */
export function syntheticItem(chunkCount: number, chunkBytes = largestChunkBytes): SignedManifest {
  const totalBytes = chunkCount * chunkBytes;
  const itemId = chunkCount.toString(16).padStart(64, 'f');
  const files = [{ path: 'huge.bin', size: totalBytes, type: 'application/octet-stream' }];
  return {
    itemId,
    bytes: new Uint8Array(0),
    manifest: { name: 'huge.bin', chunkBytes, files, hashes: new Uint8Array(chunkCount * 32), totalBytes, chunkCount, version: 2, layout: planLayout('packed', [totalBytes], chunkBytes) },
  };
}

/** A bitfield with every chunk set (spare bits zero). */
export function fullBits(chunkCount: number): Uint8Array {
  const bits = new Uint8Array(Math.ceil(chunkCount / 8)).fill(0xff);
  const spare = bits.length * 8 - chunkCount;
  if (spare > 0) bits[bits.length - 1] = (0xff << spare) & 0xff;
  return bits;
}

/** Microseconds per message of each kind. */
export interface FloodCost {
  readonly chunkCount: number;
  readonly haveMicros: number;
  readonly rejectMicros: number;
}

/** Floods one downloading engine from a member that never serves, and times each kind of message. */
export function measureFlood(chunkCount: number): FloodCost {
  const clock = createManualClock(); // time stands still: no stall check or snapshot runs in the middle
  const swarm = createSwarm({ store: createMemoryStore(), clock, random: () => 0.5 });
  const item = syntheticItem(chunkCount);
  swarm.restoreItem(item, []);
  /** A peer over a link that delivers synchronously and swallows what the engine sends. */
  const join = (peerId: string): ((frame: Uint8Array) => void) => {
    let handlers: PeerLinkHandlers | null = null;
    const link: PeerLink = { peerId, send: () => Promise.resolve(), close: () => undefined, listen: (h) => void (handlers = h) };
    swarm.addLink(link);
    return (frame) => handlers?.frame(frame);
  };
  // A seeder that never answers (its slots fill), and the flooder, which claims chunks one `have` at a time.
  const seeder = join('seeder');
  seeder(encodeFrame({ type: 'items', itemIds: [item.itemId] }));
  seeder(encodeFrame({ type: 'bitfield', itemId: item.itemId, bits: fullBits(chunkCount) }));
  const deliver = join('flooder');
  deliver(encodeFrame({ type: 'items', itemIds: [item.itemId] }));
  deliver(encodeFrame({ type: 'bitfield', itemId: item.itemId, bits: new Uint8Array(Math.ceil(chunkCount / 8)) }));
  // Frames encoded before the clock starts: only their handling is timed.
  const haves = Array.from({ length: messagesPerKind }, (_, i) => encodeFrame({ type: 'have', itemId: item.itemId, chunkIndex: (i * 7919) % chunkCount }));
  const rejects = Array.from({ length: messagesPerKind }, (_, i) => encodeFrame({ type: 'reject', requestId: 1_000_000 + i }));
  const time = (frames: Uint8Array[]): number => {
    const start = performance.now();
    for (const frame of frames) deliver(frame);
    return ((performance.now() - start) * 1000) / frames.length;
  };
  const haveMicros = time(haves);
  const rejectMicros = time(rejects);
  swarm.destroy();
  return { chunkCount, haveMicros, rejectMicros };
}
