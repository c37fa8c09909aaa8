// The transfer's own messages, `request` and `data`, against items of 1k, 10k and 100k chunks: the
// engine's time per message in Node (decode, dispatch, claims, serving queue, buffers), over links
// that deliver synchronously, so only the engine is timed. Companion of engine-flood.ts (have, reject).
import { performance } from 'node:perf_hooks';
import { createManualClock } from '../src/core/clock';
import type { PeerLink, PeerLinkHandlers, PieceStore } from '../src/core/ports';
import { decodeFrame, encodeFrame } from '../src/core/protocol/codec';
import { maxQueuedServesPerPeer } from '../src/core/swarm/constants';
import { createSwarm, type Swarm } from '../src/core/swarm/engine';
import { createMemoryStore } from '../src/test-support/memory-store';
import { fullBits, syntheticItem } from './engine-flood';

/** Requests timed per item: enough that per-message time dwarfs the timer's resolution. */
const requestsTimed = 4_096;
/** Data frames timed per item: fewer than fit in the two open 16 MiB requests, so none completes (no hashing timed). */
const dataFramesTimed = 20_000;
/** Payload of a timed data frame: 1 KiB, so the engine's bookkeeping is timed more than the copy of the bytes. */
const dataPayloadBytes = 1024;
/** Chunk size of the served item: one data frame per chunk (64 KiB minus the header), so each request is one read and one send. */
const servedChunkBytes = 65_000;

/** Microseconds per message of each kind. */
export interface TransferCost {
  readonly chunkCount: number;
  readonly requestMicros: number;
  readonly dataMicros: number;
}

/** A peer over a link that delivers synchronously: what the engine sends it, decoded, goes to `heard`. */
function join(swarm: Swarm, peerId: string, heard: (frame: Uint8Array) => void = () => undefined): (frame: Uint8Array) => void {
  let handlers: PeerLinkHandlers | null = null;
  const link: PeerLink = {
    peerId,
    send: (frame) => {
      heard(frame);
      return Promise.resolve();
    },
    close: () => undefined,
    listen: (h) => void (handlers = h),
  };
  swarm.addLink(link);
  return (frame) => handlers?.frame(frame);
}

/** A seeder's time per `request`, from the frame handed in to its data frame handed to the link. */
async function timeRequests(chunkCount: number): Promise<number> {
  const item = syntheticItem(chunkCount, servedChunkBytes);
  const chunk = new Uint8Array(servedChunkBytes);
  // Every chunk reads as the same bytes: the engine serves what its store gives, unverified.
  const store: PieceStore = { putManifest: () => Promise.resolve(), putChunk: () => Promise.resolve(), readChunk: () => Promise.resolve(chunk) };
  const swarm = createSwarm({ store, clock: createManualClock(), random: () => 0.5 });
  swarm.restoreItem(item, Array.from({ length: chunkCount }, (_, i) => i), { local: true });
  let served = 0;
  const deliver = join(swarm, 'asker', (frame) => {
    if (decodeFrame(frame)?.type === 'data') served++;
  });
  const requests = Array.from({ length: requestsTimed }, (_, i) => encodeFrame({ type: 'request', requestId: i + 1, itemId: item.itemId, chunkIndex: (i * 7919) % chunkCount }));
  const start = performance.now();
  // In batches a peer may queue, each served before the next is sent (more would be refused).
  for (let first = 0; first < requests.length; first += maxQueuedServesPerPeer) {
    const batch = requests.slice(first, first + maxQueuedServesPerPeer);
    for (const frame of batch) deliver(frame);
    while (served < first + batch.length) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  const micros = ((performance.now() - start) * 1000) / requests.length;
  swarm.destroy();
  return micros;
}

/** A downloader's time per `data` frame of an open request (its chunk not completed, so nothing is hashed). */
function timeData(chunkCount: number): number {
  const item = syntheticItem(chunkCount);
  const swarm = createSwarm({ store: createMemoryStore(), clock: createManualClock(), random: () => 0.5 });
  swarm.restoreItem(item, []);
  const open: number[] = [];
  const deliver = join(swarm, 'seeder', (frame) => {
    const message = decodeFrame(frame);
    if (message?.type === 'request') open.push(message.requestId);
  });
  deliver(encodeFrame({ type: 'items', itemIds: [item.itemId] }));
  deliver(encodeFrame({ type: 'bitfield', itemId: item.itemId, bits: fullBits(chunkCount) }));
  const payload = new Uint8Array(dataPayloadBytes);
  const framesPerRequest = Math.floor(dataFramesTimed / Math.max(1, open.length)) + 1;
  const frames = open.flatMap((requestId) =>
    Array.from({ length: framesPerRequest }, (_, k) => encodeFrame({ type: 'data', requestId, offset: k * dataPayloadBytes, bytes: payload })),
  );
  if (frames.length < dataFramesTimed || framesPerRequest * dataPayloadBytes >= item.manifest.chunkBytes) throw new Error('the seeder was asked too little to time data frames');
  const start = performance.now();
  for (const frame of frames) deliver(frame);
  const micros = ((performance.now() - start) * 1000) / frames.length;
  swarm.destroy();
  return micros;
}

/** Times both kinds against an item of `chunkCount` chunks. */
export async function measureTransferMessages(chunkCount: number): Promise<TransferCost> {
  return { chunkCount, requestMicros: await timeRequests(chunkCount), dataMicros: timeData(chunkCount) };
}
