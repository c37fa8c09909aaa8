// The engine over in-memory links on a manual clock: each test runs the swarm until what it waits
// for has happened (bounded in fake time), then checks what happened.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StorageFullError } from '../ports';
import { decodeFrame, encodeFrame } from '../protocol/codec';
import { createLinkPair } from '../../test-support/memory-link';
import { createSwarmSimulation, destroyAll, randomBytes, readItem, shareBytes, statusOf } from '../../test-support/swarm-fixtures';
import { stallCheckIntervalMs } from './constants';

/** Fake time a test may take: none of these needs a timer (no limits, no stalls) beyond a tick or two. */
const fakeLimitMs = 5_000;

let sim: ReturnType<typeof createSwarmSimulation>;
beforeEach(() => (sim = createSwarmSimulation()));
afterEach(destroyAll);
const peer = (autoDownload = true) => sim.peer({ autoDownload });
const connect: typeof sim.connect = (...args) => sim.connect(...args);
const waitFor = (condition: () => boolean, what?: string): Promise<void> => sim.runUntil(condition, fakeLimitMs, what);

describe('swarm engine over in-memory links', () => {
  it.each([0, 1, 999, 1000, 1001, 25_000])('transfers an item of %i bytes byte-exact', async (size) => {
    const seeder = peer();
    const leecher = peer();
    const data = randomBytes(size, size + 1);
    const signed = await shareBytes(seeder.swarm, seeder.store, 'file.bin', data, 1000);
    connect(seeder.swarm, 'S', leecher.swarm, 'L');
    await waitFor(() => statusOf(leecher.swarm, signed.itemId) === 'complete', 'completion');
    expect(await readItem(leecher.store, signed)).toEqual(data);
    expect(leecher.store.writes).toBe(signed.manifest.chunkCount);
    const view = leecher.swarm.getSnapshot().items[0];
    expect(view).toMatchObject({ name: 'file.bin', totalBytes: size, verifiedBytes: size, local: false });
  });

  it('learns items shared after the link is up', async () => {
    const seeder = peer();
    const leecher = peer();
    connect(seeder.swarm, 'S', leecher.swarm, 'L');
    const signed = await shareBytes(seeder.swarm, seeder.store, 'late.bin', randomBytes(3000), 1000);
    await waitFor(() => statusOf(leecher.swarm, signed.itemId) === 'complete');
  });

  it('with auto-download off, waits for download() and can pause', async () => {
    const seeder = peer();
    const leecher = peer(false);
    const signed = await shareBytes(seeder.swarm, seeder.store, 'big.bin', randomBytes(20_000), 1000);
    const fromLeecher: string[] = [];
    connect(leecher.swarm, 'L', seeder.swarm, 'S').tamperFromA((frame) => {
      fromLeecher.push(decodeFrame(frame)?.type ?? 'bad');
      return frame;
    });
    // Settled, then three stall checks (each reschedules): the leecher knows the item and who holds it,
    // and asked for nothing but the manifest.
    await sim.settle();
    await sim.runFor(3 * stallCheckIntervalMs);
    expect(leecher.swarm.getSnapshot().items).toMatchObject([{ itemId: signed.itemId, status: 'available', peersWithItem: 1, heldChunks: 0 }]);
    expect(fromLeecher).toEqual(['get-manifest', 'items', 'bitfield']);
    expect(leecher.store.writes).toBe(0);
    // Paused as the first chunk is stored: the rest are withdrawn and nothing more is written.
    const stopPausing = leecher.swarm.events.subscribe((event) => event.type === 'chunk-stored' && leecher.swarm.pause(signed.itemId));
    leecher.swarm.download(signed.itemId);
    expect(statusOf(leecher.swarm, signed.itemId)).toBe('downloading');
    await sim.settle(); // no time passes: the requests go out at once
    expect(fromLeecher).toContain('request');
    expect(statusOf(leecher.swarm, signed.itemId)).toBe('paused');
    stopPausing();
    const framesAtPause = fromLeecher.length;
    const writesAtPause = leecher.store.writes;
    await sim.runFor(3 * stallCheckIntervalMs); // every stall check due in 3 s ran, and the swarm settled after each
    expect(leecher.swarm.getSnapshot().items[0]).toMatchObject({ status: 'paused', heldChunks: writesAtPause });
    expect(fromLeecher.slice(framesAtPause)).toEqual([]);
    leecher.swarm.download(signed.itemId);
    await waitFor(() => statusOf(leecher.swarm, signed.itemId) === 'complete');
    expect(await readItem(leecher.store, signed)).toEqual(randomBytes(20_000));
  });

  it('a leecher serves what it holds to a third peer', async () => {
    const seeder = peer();
    const middle = peer();
    const last = peer();
    const signed = await shareBytes(seeder.swarm, seeder.store, 'x', randomBytes(10_000, 3), 1000);
    connect(seeder.swarm, 'S', middle.swarm, 'M');
    await waitFor(() => statusOf(middle.swarm, signed.itemId) === 'complete');
    seeder.swarm.destroy();
    connect(middle.swarm, 'M', last.swarm, 'Z');
    await waitFor(() => statusOf(last.swarm, signed.itemId) === 'complete');
    expect(await readItem(last.store, signed)).toEqual(randomBytes(10_000, 3));
  });

  it('drops corrupt chunks, bans the sender after repeated strikes, and completes from an honest peer', async () => {
    const honest = peer();
    const liar = peer();
    const leecher = peer();
    const data = randomBytes(8000, 9);
    const signed = await shareBytes(honest.swarm, honest.store, 'x', data, 1000);
    await shareBytes(liar.swarm, liar.store, 'x', data, 1000);
    const bad = connect(liar.swarm, 'BAD', leecher.swarm, 'L');
    bad.tamperFromA((frame) => {
      const message = decodeFrame(frame);
      if (message?.type !== 'data') return frame;
      const bytes = message.bytes.slice();
      bytes[0] = (bytes[0] ?? 0) ^ 0xff;
      return encodeFrame({ ...message, bytes });
    });
    await waitFor(() => leecher.swarm.isBanned('BAD'), 'ban');
    connect(honest.swarm, 'GOOD', leecher.swarm, 'L');
    await waitFor(() => statusOf(leecher.swarm, signed.itemId) === 'complete');
    expect(await readItem(leecher.store, signed)).toEqual(data);
    expect(leecher.swarm.getSnapshot().peers.map((p) => p.peerId)).toEqual(['GOOD']);
  });

  it('rejects a manifest that does not hash to its id, then fetches it from another peer', async () => {
    const liar = peer();
    const honest = peer();
    const strikes: unknown[] = [];
    const leecher = sim.peer({
      log: (event, fields) => {
        if (event === 'peer-strike') strikes.push(fields?.reason);
      },
    });
    const signed = await shareBytes(honest.swarm, honest.store, 'x', randomBytes(100), 1000);
    await shareBytes(liar.swarm, liar.store, 'x', randomBytes(100), 1000);
    const bad = connect(liar.swarm, 'BAD', leecher.swarm, 'L');
    bad.tamperFromA((frame) => {
      const message = decodeFrame(frame);
      if (message?.type !== 'manifest-part') return frame;
      const bytes = message.bytes.slice();
      bytes[10] = 0x20;
      return encodeFrame({ ...message, bytes });
    });
    await sim.settle();
    expect(strikes).toEqual(['manifest does not match its item id or is invalid']);
    expect(leecher.swarm.getSnapshot().items).toHaveLength(0);
    connect(honest.swarm, 'GOOD', leecher.swarm, 'L');
    await waitFor(() => statusOf(leecher.swarm, signed.itemId) === 'complete');
  });

  it('moves a departed peer’s requests to another peer', async () => {
    const a = peer();
    const b = peer();
    const leecher = peer();
    const data = randomBytes(30_000, 5);
    const signed = await shareBytes(a.swarm, a.store, 'x', data, 1000);
    await shareBytes(b.swarm, b.store, 'x', data, 1000);
    const toA = connect(a.swarm, 'A', leecher.swarm, 'L');
    connect(b.swarm, 'B', leecher.swarm, 'L');
    await waitFor(() => leecher.store.writes >= 2);
    toA.a.close();
    await waitFor(() => statusOf(leecher.swarm, signed.itemId) === 'complete');
    expect(await readItem(leecher.store, signed)).toEqual(data);
  });

  it('strikes a peer for malformed frames and shows a storage failure on the item', async () => {
    const seeder = peer();
    const leecher = peer();
    const signed = await shareBytes(seeder.swarm, seeder.store, 'x', randomBytes(5000), 1000);
    leecher.store.failWrites = new Error('disk on fire');
    const pair = connect(seeder.swarm, 'S', leecher.swarm, 'L');
    await waitFor(() => statusOf(leecher.swarm, signed.itemId) === 'error');
    expect(leecher.swarm.getSnapshot().items[0]?.notice).toEqual({ code: 'store-failed', detail: 'disk on fire' });
    for (let i = 0; i < 3; i++) await pair.a.send(new Uint8Array([99, 1, 2]));
    await waitFor(() => leecher.swarm.isBanned('S'));
  });

  it('pauses on a full disk, keeps what was verified, and resumes when space is back', async () => {
    const seeder = peer();
    const leecher = peer();
    const data = randomBytes(20_000, 77);
    const signed = await shareBytes(seeder.swarm, seeder.store, 'x', data, 1000);
    const realPut = leecher.store.putChunk;
    leecher.store.putChunk = async (itemId, index, bytes) => {
      if (leecher.store.writes >= 5) throw new StorageFullError();
      return realPut(itemId, index, bytes);
    };
    connect(seeder.swarm, 'S', leecher.swarm, 'L');
    await waitFor(() => statusOf(leecher.swarm, signed.itemId) === 'paused');
    const paused = leecher.swarm.getSnapshot().items[0];
    expect(paused?.notice).toEqual({ code: 'storage-full' });
    expect(paused?.heldChunks).toBe(5);
    expect(leecher.store.chunks.size).toBe(5);
    leecher.store.putChunk = realPut;
    leecher.swarm.download(signed.itemId);
    await waitFor(() => statusOf(leecher.swarm, signed.itemId) === 'complete');
    expect(leecher.swarm.getSnapshot().items[0]?.notice).toBeNull();
    expect(await readItem(leecher.store, signed)).toEqual(data);
  });

  it('closes a second link to the same peer', async () => {
    const a = peer();
    const b = peer();
    connect(a.swarm, 'A', b.swarm, 'B');
    const second = createLinkPair('A', 'B');
    let closed = false;
    second.b.listen({ frame: () => undefined, close: () => (closed = true) });
    b.swarm.addLink(second.b);
    expect(closed).toBe(true);
    expect(b.swarm.getSnapshot().peers).toHaveLength(1);
  });
});
