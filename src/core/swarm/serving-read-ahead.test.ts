// Serving reads waiting chunks ahead while one is sent: many small ones (each read is a storage round
// trip), but never more than about a chunk's worth of big ones.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLinkPair } from '../../test-support/memory-link';
import type { MemoryStore } from '../../test-support/memory-store';
import { decodeFrame, encodeFrame } from '../protocol/codec';
import { createSwarmSimulation, destroyAll, randomBytes, shareBytes, statusOf } from '../../test-support/swarm-fixtures';
import { serveReadAheadBytes } from './constants';

/** Fake time a transfer may take here: no timers are needed beyond a few ticks. */
const fakeLimitMs = 10_000;

let sim: ReturnType<typeof createSwarmSimulation>;
beforeEach(() => (sim = createSwarmSimulation()));
afterEach(destroyAll);

/** Counts the store's reads in flight, and the most at once (in reads and in bytes). */
function countReads(store: MemoryStore) {
  const seen = { inFlight: 0, most: 0, bytesInFlight: 0, mostBytes: 0 };
  const read = store.readChunk.bind(store);
  store.readChunk = async (itemId, chunkIndex) => {
    const length = (await read(itemId, chunkIndex))?.length ?? 0;
    seen.inFlight += 1;
    seen.bytesInFlight += length;
    seen.most = Math.max(seen.most, seen.inFlight);
    seen.mostBytes = Math.max(seen.mostBytes, seen.bytesInFlight);
    // The read resolves a few turns later, as a storage round trip does.
    for (let turn = 0; turn < 3; turn++) await Promise.resolve();
    seen.inFlight -= 1;
    seen.bytesInFlight -= length;
    return read(itemId, chunkIndex);
  };
  return seen;
}

describe('serving reads ahead', () => {
  it('many small chunks at once', async () => {
    const seeder = sim.peer({ autoDownload: true });
    const reads = countReads(seeder.store);
    const items = [];
    for (let i = 0; i < 40; i++) items.push(await shareBytes(seeder.swarm, seeder.store, `small ${i}.bin`, randomBytes(1000, i + 1)));
    // A peer asking for all 40 at once, as a downloader with a deep pipeline does.
    const pair = createLinkPair('S', 'L');
    const served = new Set<number>();
    pair.b.listen({
      frame: (frame) => {
        const message = decodeFrame(frame);
        if (message?.type === 'data') served.add(message.requestId);
      },
      close: () => undefined,
    });
    seeder.swarm.addLink(pair.a);
    await Promise.all(items.map((item, i) => pair.b.send(encodeFrame({ type: 'request', requestId: i + 1, itemId: item.itemId, chunkIndex: 0 }))));
    await sim.runUntil(() => served.size === items.length, fakeLimitMs, 'all 40 served');
    expect(reads.most).toBeGreaterThan(4);
    expect(reads.most).toBeLessThanOrEqual(items.length);
  });

  it('about one big chunk ahead', async () => {
    const seeder = sim.peer({ autoDownload: true });
    const leecher = sim.peer({ autoDownload: true });
    const reads = countReads(seeder.store);
    const big = await shareBytes(seeder.swarm, seeder.store, 'big.bin', randomBytes(4 * serveReadAheadBytes, 7), serveReadAheadBytes);
    sim.connect(seeder.swarm, 'S', leecher.swarm, 'L');
    await sim.runUntil(() => statusOf(leecher.swarm, big.itemId) === 'complete', fakeLimitMs, 'the big item');
    expect(reads.most).toBe(2); // the chunk being sent and the next one
    expect(reads.mostBytes).toBe(2 * serveReadAheadBytes);
  });
});
