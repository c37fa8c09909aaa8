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

/** A raw link into a swarm: what it receives, decoded, and a way to send messages; `order` logs every peer's frames in arrival order. */
function rawPeer(swarm: ReturnType<typeof sim.peer>['swarm'], id: string, order: { peerId: string; message: WireMessage }[] = []) {
  const pair = createLinkPair('S', id);
  const received: WireMessage[] = [];
  pair.b.listen({
    frame: (frame) => {
      const message = decodeFrame(frame) as WireMessage;
      received.push(message);
      order.push({ peerId: id, message });
    },
    close: () => undefined,
  });
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

  it('gives more of its uplink to a downloader that passes its fresh chunks on than to one that keeps them', async () => {
    // 64 KiB chunks through a 128 KB/s upload limit: a few frames to a chunk, taking fake time as on a real uplink.
    const chunkBytes = 64 * 1024;
    const seeder = sim.peer({ uploadLimit: 128_000 });
    const signed = await shareBytes(seeder.swarm, seeder.store, 'x', randomBytes(16 * chunkBytes, 11), chunkBytes);
    const order: { peerId: string; message: WireMessage }[] = [];
    const keeper = rawPeer(seeder.swarm, 'A', order);
    const passer = rawPeer(seeder.swarm, 'B', order);
    const holder = rawPeer(seeder.swarm, 'C', order);
    for (const peer of [keeper, passer, holder]) await peer.send({ type: 'items', itemIds: [signed.itemId] });
    // A is sent chunks 0-3 and passes none on; B is sent chunk 4, and C comes to hold it.
    for (let chunk = 0; chunk < 4; chunk++) await keeper.send({ type: 'request', requestId: chunk + 1, itemId: signed.itemId, chunkIndex: chunk });
    await passer.send({ type: 'request', requestId: 1, itemId: signed.itemId, chunkIndex: 4 });
    const complete = (peer: typeof keeper, id: number): boolean =>
      peer.received.filter((m) => m.type === 'data' && m.requestId === id).reduce((sum, m) => sum + (m.type === 'data' ? m.bytes.length : 0), 0) === chunkBytes;
    await sim.runUntil(() => [1, 2, 3, 4].every((id) => complete(keeper, id)) && complete(passer, 1), 30_000, 'first chunks sent');
    await holder.send({ type: 'have', itemId: signed.itemId, chunkIndex: 4 });
    // Both ask for three fresh chunks at once, A first.
    order.length = 0;
    for (const chunk of [5, 6, 7]) await keeper.send({ type: 'request', requestId: chunk, itemId: signed.itemId, chunkIndex: chunk });
    for (const chunk of [8, 9, 10]) await passer.send({ type: 'request', requestId: chunk, itemId: signed.itemId, chunkIndex: chunk });
    await sim.runUntil(() => [5, 6, 7].every((id) => complete(keeper, id)) && [8, 9, 10].every((id) => complete(passer, id)), 30_000, 'second chunks sent');
    // In equal shares A, asking first, would get as much as B while B's chunks went out (measured: 3 chunks
    // each). By weight it gets less: 1/5 to 1/8 against B's 1 to 1/3, as B too is sent chunks it keeps.
    const dataBytes = (peerId: string, entries: typeof order): number =>
      entries.reduce((sum, e) => sum + (e.peerId === peerId && e.message.type === 'data' ? e.message.bytes.length : 0), 0);
    const untilPasserDone = order.slice(0, order.map((e) => e.peerId).lastIndexOf('B') + 1);
    expect(dataBytes('A', untilPasserDone)).toBeGreaterThan(0); // slowed, not stopped
    expect(dataBytes('A', untilPasserDone)).toBeLessThan(dataBytes('B', untilPasserDone) * 0.8);
    expect(order.filter((e) => e.message.type === 'reject')).toEqual([]);
  }, 20_000);
});

describe('a downloader passing chunks on', () => {
  it('sends a chunk to one asker at a time: the second is turned away while the first transfer moves, and served other chunks', async () => {
    const chunkBytes = 64 * 1024;
    const sharer = sim.peer(); // not linked: it only makes the item
    const signed = await shareBytes(sharer.swarm, sharer.store, 'x', randomBytes(4 * chunkBytes, 23), chunkBytes);
    // It holds chunks 0 and 1 of 4 and passes them on through a 128 KB/s upload limit, a few frames to a chunk.
    const passer = sim.peer({ uploadLimit: 128_000 });
    for (const chunk of [0, 1]) {
      const bytes = await sharer.store.readChunk(signed.itemId, chunk);
      if (bytes) await passer.store.putChunk(signed.itemId, chunk, bytes);
    }
    passer.swarm.restoreItem(signed, [0, 1]);
    const first = rawPeer(passer.swarm, 'A');
    const second = rawPeer(passer.swarm, 'B');
    for (const peer of [first, second]) await peer.send({ type: 'items', itemIds: [signed.itemId] });
    await first.send({ type: 'request', requestId: 1, itemId: signed.itemId, chunkIndex: 0 });
    await sim.runUntil(() => first.received.some((m) => m.type === 'data'), 5_000, 'the first frame to A');
    await second.send({ type: 'request', requestId: 1, itemId: signed.itemId, chunkIndex: 0 });
    await second.send({ type: 'request', requestId: 2, itemId: signed.itemId, chunkIndex: 1 });
    await sim.runUntil(() => answerTo(second.received, 1) !== undefined && answerTo(second.received, 2) !== undefined, 10_000, "B's answers");
    expect(answerTo(second.received, 1)).toBe('reject'); // A gets it first; B asks A, or us again later
    expect(answerTo(second.received, 2)).toBe('data');
    expect(answerTo(first.received, 1)).toBe('data');
  });
});
