// A seeder's upload goes to chunks only seeders have: each chunk once before any twice (a request for
// a chunk already given out, or that a downloader came to hold while the request waited in the queue,
// is turned away while some chunk is fresh), and a request queued behind a
// slow but moving chunk is not given up as stalled (which made downloaders ask the seeder again).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLinkPair } from '../../test-support/memory-link';
import { decodeFrame, encodeFrame } from '../protocol/codec';
import type { WireMessage } from '../protocol/messages';
import { createSwarmSimulation, destroyAll, randomBytes, readItem, shareBytes, statusOf } from '../../test-support/swarm-fixtures';

let sim: ReturnType<typeof createSwarmSimulation>;
beforeEach(() => (sim = createSwarmSimulation()));
afterEach(destroyAll);

/** A raw link into a swarm: what it receives, decoded, and a way to send messages. */
function rawPeer(swarm: ReturnType<typeof sim.peer>['swarm'], id: string) {
  const pair = createLinkPair('S', id);
  const received: WireMessage[] = [];
  pair.b.listen({ frame: (frame) => void received.push(decodeFrame(frame) as WireMessage), close: () => undefined });
  swarm.addLink(pair.a);
  return { received, send: (message: WireMessage) => pair.b.send(encodeFrame(message)), close: () => pair.b.close() };
}

const answerTo = (received: readonly WireMessage[], requestId: number): string | undefined =>
  received.find((m) => (m.type === 'data' || m.type === 'reject') && m.requestId === requestId)?.type;

describe('a seeder with many downloaders', () => {
  it('hands a waiting request off to a downloader that came to hold the chunk, while another chunk is fresh', async () => {
    const seeder = sim.peer();
    const signed = await shareBytes(seeder.swarm, seeder.store, 'x', randomBytes(3000, 5), 1000);
    const holder = rawPeer(seeder.swarm, 'A');
    const asker = rawPeer(seeder.swarm, 'B');
    await holder.send({ type: 'have', itemId: signed.itemId, chunkIndex: 1 });
    await asker.send({ type: 'request', requestId: 1, itemId: signed.itemId, chunkIndex: 1 });
    await asker.send({ type: 'request', requestId: 2, itemId: signed.itemId, chunkIndex: 0 });
    await sim.runUntil(() => answerTo(asker.received, 1) !== undefined && answerTo(asker.received, 2) !== undefined, 1000, 'both answered');
    expect(answerTo(asker.received, 1)).toBe('reject'); // A holds chunk 1: ask A
    expect(answerTo(asker.received, 2)).toBe('data'); // nobody else holds chunk 0
    // Asked again while chunk 2 is still with the seeder alone: the seeder's upload goes to chunk 2 first.
    await asker.send({ type: 'request', requestId: 3, itemId: signed.itemId, chunkIndex: 1 });
    await asker.send({ type: 'request', requestId: 4, itemId: signed.itemId, chunkIndex: 2 });
    await sim.runUntil(() => answerTo(asker.received, 3) !== undefined && answerTo(asker.received, 4) !== undefined, 1000, 'asked again');
    expect(answerTo(asker.received, 3)).toBe('reject');
    expect(answerTo(asker.received, 4)).toBe('data');
    // Every chunk is out in the room now; asked again (B may not reach A): served.
    await asker.send({ type: 'request', requestId: 5, itemId: signed.itemId, chunkIndex: 1 });
    await sim.runUntil(() => answerTo(asker.received, 5) !== undefined, 1000, 'asked a third time');
    expect(answerTo(asker.received, 5)).toBe('data');
  });

  it('sends each chunk once before any twice: a chunk given to one downloader is refused to another while others are fresh', async () => {
    const seeder = sim.peer();
    const signed = await shareBytes(seeder.swarm, seeder.store, 'x', randomBytes(3000, 7), 1000);
    const first = rawPeer(seeder.swarm, 'A');
    const second = rawPeer(seeder.swarm, 'B');
    await first.send({ type: 'request', requestId: 1, itemId: signed.itemId, chunkIndex: 0 });
    await sim.runUntil(() => answerTo(first.received, 1) !== undefined, 1000, 'A served');
    expect(answerTo(first.received, 1)).toBe('data');
    // A has not announced chunk 0 yet (it may still be verifying it): given is enough.
    await second.send({ type: 'request', requestId: 1, itemId: signed.itemId, chunkIndex: 0 });
    await second.send({ type: 'request', requestId: 2, itemId: signed.itemId, chunkIndex: 1 });
    await sim.runUntil(() => answerTo(second.received, 1) !== undefined && answerTo(second.received, 2) !== undefined, 1000, 'B answered');
    expect(answerTo(second.received, 1)).toBe('reject');
    expect(answerTo(second.received, 2)).toBe('data');
    // A leaves before passing chunk 0 on: it is out of the room again, so B gets it.
    first.close();
    await sim.settle();
    await second.send({ type: 'request', requestId: 3, itemId: signed.itemId, chunkIndex: 0 });
    await sim.runUntil(() => answerTo(second.received, 3) !== undefined, 1000, 'B asked again');
    expect(answerTo(second.received, 3)).toBe('data');
  });

  it('a cancelled serve is not a copy given', async () => {
    const seeder = sim.peer();
    const signed = await shareBytes(seeder.swarm, seeder.store, 'x', randomBytes(3000, 8), 1000);
    const first = rawPeer(seeder.swarm, 'A');
    const second = rawPeer(seeder.swarm, 'B');
    // A queues chunks 0 and 2 and cancels 2 before its turn.
    await first.send({ type: 'request', requestId: 1, itemId: signed.itemId, chunkIndex: 0 });
    await first.send({ type: 'request', requestId: 2, itemId: signed.itemId, chunkIndex: 2 });
    await first.send({ type: 'cancel', requestId: 2 });
    await sim.settle();
    await second.send({ type: 'request', requestId: 1, itemId: signed.itemId, chunkIndex: 2 });
    await sim.runUntil(() => answerTo(second.received, 1) !== undefined, 1000, 'B answered');
    expect(answerTo(second.received, 1)).toBe('data');
  });

  it('does not hand off when the only other holder is a seeder too', async () => {
    const seeder = sim.peer();
    const signed = await shareBytes(seeder.swarm, seeder.store, 'x', randomBytes(2000, 6), 1000);
    const other = rawPeer(seeder.swarm, 'A');
    const asker = rawPeer(seeder.swarm, 'B');
    await other.send({ type: 'bitfield', itemId: signed.itemId, bits: Uint8Array.of(0b1100_0000) });
    await asker.send({ type: 'request', requestId: 1, itemId: signed.itemId, chunkIndex: 1 });
    await sim.runUntil(() => answerTo(asker.received, 1) !== undefined, 1000, 'answered');
    expect(answerTo(asker.received, 1)).toBe('data');
  });

  it('keeps a request queued behind a slow chunk that is moving', async () => {
    const fast = { requestTimeoutMs: 150, stallCheckIntervalMs: 20 };
    // 200 KB chunks at 1 MB/s: each takes ~200 fake ms, past the timeout, in frames ~65 ms apart.
    const seeder = sim.peer({ uploadLimit: 1_000_000, ...fast });
    const logged: string[] = [];
    const leecher = sim.peer({ ...fast, log: (event) => logged.push(event) });
    const data = randomBytes(600_000, 9);
    const signed = await shareBytes(seeder.swarm, seeder.store, 'x', data, 200_000);
    const fromLeecher: string[] = [];
    sim.connect(leecher.swarm, 'L', seeder.swarm, 'S').tamperFromA((frame) => {
      fromLeecher.push(decodeFrame(frame)?.type ?? 'malformed');
      return frame;
    });
    await sim.runUntil(() => statusOf(leecher.swarm, signed.itemId) === 'complete', 10_000, 'complete');
    expect(await readItem(leecher.store, signed)).toEqual(data);
    expect(fromLeecher.filter((type) => type === 'request')).toHaveLength(3); // each chunk asked once
    expect(fromLeecher).not.toContain('cancel');
    expect(logged).not.toContain('requests-stalled');
  }, 20_000); // ~2 s of fake time stepped frame by frame through the upload limit: 2.7 s of wall time alone, more beside other files
});
