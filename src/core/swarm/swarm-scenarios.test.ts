// Multi-peer scenarios over in-memory links on a manual clock: swarming, stalls, endgame, departures,
// rate limits. Time moves only when the swarm has settled, so the times asserted are fake ms.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeFrame } from '../protocol/codec';
import { createSwarmSimulation, destroyAll, randomBytes, readItem, shareBytes, statusOf } from '../../test-support/swarm-fixtures';
import { uploadBurstMs } from './upload-limiter';

let sim: ReturnType<typeof createSwarmSimulation>;
beforeEach(() => (sim = createSwarmSimulation()));
afterEach(destroyAll);
const testPeer: typeof sim.peer = (options) => sim.peer(options);
const connect: typeof sim.connect = (...args) => sim.connect(...args);
/** Runs the swarm until `condition` holds, failing past `maxMs` of fake time. */
const waitFor = (condition: () => boolean, maxMs: number, what?: string): Promise<void> => sim.runUntil(condition, maxMs, what);

const fast = { requestTimeoutMs: 150, stallCheckIntervalMs: 20 };
const chunk = 1000;

/** Union of the chunks several peers hold, from their snapshots' bitfields. */
function unionCovers(peers: { swarm: ReturnType<typeof sim.peer>['swarm'] }[], itemId: string, chunkCount: number): boolean {
  const bits = peers.map((p) => BigInt(`0x0${p.swarm.getSnapshot().items.find((i) => i.itemId === itemId)?.heldBitsHex ?? ''}`));
  const union = bits.reduce((a, b) => a | b, 0n);
  const full = ((1n << BigInt(chunkCount)) - 1n) << BigInt((8 - (chunkCount % 8)) % 8);
  return union === full;
}

describe('swarm scenarios', () => {
  it('leechers download from each other, not only from the sharer', async () => {
    const seeder = testPeer({ uploadLimit: 100_000 });
    const leechers = ['L1', 'L2', 'L3'].map((id) => ({ id, ...testPeer() }));
    const data = randomBytes(60_000, 11);
    const signed = await shareBytes(seeder.swarm, seeder.store, 'x', data, chunk);
    for (const l of leechers) connect(seeder.swarm, 'S', l.swarm, l.id);
    connect(leechers[0]!.swarm, 'L1', leechers[1]!.swarm, 'L2');
    connect(leechers[0]!.swarm, 'L1', leechers[2]!.swarm, 'L3');
    connect(leechers[1]!.swarm, 'L2', leechers[2]!.swarm, 'L3');
    await waitFor(() => leechers.every((l) => statusOf(l.swarm, signed.itemId) === 'complete'), 10_000, 'all complete');
    for (const l of leechers) {
      expect(await readItem(l.store, signed)).toEqual(data);
      const fromOthers = l.swarm.getSnapshot().peers.filter((p) => p.peerId !== 'S').reduce((sum, p) => sum + p.downloadedBytes, 0);
      expect(fromOthers).toBeGreaterThan(0);
    }
    // 3 copies went out, but the capped sharer sent each chunk about once: the leechers passed on the rest.
    const sharerSent = seeder.swarm.getSnapshot().peers.reduce((sum, p) => sum + p.uploadedBytes, 0);
    expect(sharerSent).toBeLessThanOrEqual(1.2 * data.length);
  });

  it('the upload limit paces what a peer serves', async () => {
    const seeder = testPeer({ uploadLimit: 50_000 });
    const leecher = testPeer();
    const signed = await shareBytes(seeder.swarm, seeder.store, 'x', randomBytes(40_000), chunk);
    const startedMs = sim.clock.now();
    /** Data bytes the seeder had sent, at the fake time each frame left. */
    const sent: { atMs: number; bytes: number }[] = [];
    let total = 0;
    connect(seeder.swarm, 'S', leecher.swarm, 'L').tamperFromA((frame) => {
      const message = decodeFrame(frame);
      if (message?.type === 'data') sent.push({ atMs: sim.clock.now() - startedMs, bytes: (total += message.bytes.length) });
      return frame;
    });
    await waitFor(() => statusOf(leecher.swarm, signed.itemId) === 'complete', 10_000);
    // Never ahead of 50 KB/s plus one burst (250 ms of tokens) and the one frame that may overdraw it.
    const burstBytes = (50_000 * uploadBurstMs) / 1000;
    for (const { atMs, bytes } of sent) expect(bytes).toBeLessThanOrEqual(burstBytes + chunk + (50_000 * atMs) / 1000);
    // So 40 KB took at least (40 KB - burst - a frame) / 50 KB/s of fake time, and not much more.
    const doneMs = sim.clock.now() - startedMs;
    expect(doneMs).toBeGreaterThanOrEqual(((40_000 - burstBytes - chunk) * 1000) / 50_000);
    expect(doneMs).toBeLessThan((40_000 * 1000) / 50_000 + 100);
    expect(seeder.swarm.getSnapshot().uploadLimit).toBe(50_000);
  });

  it('moves a stalled request to another peer', async () => {
    const staller = testPeer();
    const honest = testPeer({ uploadLimit: 30_000 });
    const leecher = testPeer(fast);
    const data = randomBytes(8000, 4);
    const signed = await shareBytes(staller.swarm, staller.store, 'x', data, chunk);
    await shareBytes(honest.swarm, honest.store, 'x', data, chunk);
    const bad = connect(staller.swarm, 'STALL', leecher.swarm, 'L');
    bad.tamperFromA((frame) => (decodeFrame(frame)?.type === 'data' ? null : frame)); // swallows every chunk
    connect(honest.swarm, 'H', leecher.swarm, 'L');
    await waitFor(() => statusOf(leecher.swarm, signed.itemId) === 'complete', 10_000);
    expect(await readItem(leecher.store, signed)).toEqual(data);
    expect(leecher.swarm.isBanned('STALL')).toBe(false); // slow is not malicious
  });

  it('endgame asks a second peer for the last chunks and cancels the loser', async () => {
    const slow = testPeer({ uploadLimit: 2_000 });
    const quick = testPeer();
    const leecher = testPeer();
    const data = randomBytes(6000, 8);
    const signed = await shareBytes(slow.swarm, slow.store, 'x', data, chunk);
    await shareBytes(quick.swarm, quick.store, 'x', data, chunk);
    const toSlow = connect(leecher.swarm, 'L', slow.swarm, 'SLOW');
    const sentToSlow: string[] = [];
    toSlow.tamperFromA((frame) => {
      sentToSlow.push(decodeFrame(frame)?.type ?? 'bad');
      return frame;
    });
    await waitFor(() => sentToSlow.filter((t) => t === 'request').length >= 2, 5000, 'slow peer busy');
    connect(leecher.swarm, 'L', quick.swarm, 'QUICK');
    const startedMs = sim.clock.now();
    await waitFor(() => statusOf(leecher.swarm, signed.itemId) === 'complete', 5000);
    expect(sim.clock.now() - startedMs).toBeLessThan(1500); // fake ms: the slow peer alone would need ~3 s
    expect(sentToSlow).toContain('cancel');
    expect(await readItem(leecher.store, signed)).toEqual(data);
  });

  it('completes after the sharer leaves once the leechers together hold every chunk', async () => {
    const seeder = testPeer({ uploadLimit: 40_000 });
    const a = testPeer();
    const b = testPeer();
    const data = randomBytes(30_000, 21);
    const signed = await shareBytes(seeder.swarm, seeder.store, 'x', data, chunk);
    const sa = connect(seeder.swarm, 'S', a.swarm, 'A');
    const sb = connect(seeder.swarm, 'S', b.swarm, 'B');
    connect(a.swarm, 'A', b.swarm, 'B');
    await waitFor(() => unionCovers([a, b], signed.itemId, signed.manifest.chunkCount), 10_000, 'union complete');
    sa.a.close();
    sb.a.close();
    await waitFor(() => statusOf(a.swarm, signed.itemId) === 'complete' && statusOf(b.swarm, signed.itemId) === 'complete', 10_000);
    expect(await readItem(a.store, signed)).toEqual(data);
    expect(await readItem(b.store, signed)).toEqual(data);
    // A newcomer that only meets the leechers also completes.
    const late = testPeer();
    connect(a.swarm, 'A', late.swarm, 'N');
    await waitFor(() => statusOf(late.swarm, signed.itemId) === 'complete', 10_000);
  });
});

describe('seeder economy', () => {
  it('leaves chunks another downloader holds to that downloader, and asks the seeder only once it stalls', async () => {
    const seeder = testPeer({ uploadLimit: 20_000 });
    const partial = testPeer();
    const leecher = testPeer(fast);
    const data = randomBytes(10_000, 31);
    const signed = await shareBytes(seeder.swarm, seeder.store, 'x', data, chunk);
    for (let i = 0; i < 5; i++) await partial.store.putChunk(signed.itemId, i, data.slice(i * chunk, (i + 1) * chunk));
    partial.swarm.restoreItem(signed, [0, 1, 2, 3, 4]);
    partial.store.readChunk = () => new Promise<null>(() => undefined); // holds 0..4 but never answers
    /** Requests and cancels the leecher sent, in the order it sent them. */
    const log: { to: string; type: string; index?: number }[] = [];
    const watch = (to: string) => (frame: Uint8Array) => {
      const message = decodeFrame(frame);
      if (message?.type === 'request') log.push({ to, type: 'request', index: message.chunkIndex });
      if (message?.type === 'cancel') log.push({ to, type: 'cancel' });
      return frame;
    };
    connect(leecher.swarm, 'L', partial.swarm, 'P').tamperFromA(watch('P'));
    await waitFor(() => log.some((e) => e.to === 'P' && e.type === 'request'), 5000, 'requests to the partial peer');
    connect(leecher.swarm, 'L', seeder.swarm, 'S').tamperFromA(watch('S'));
    await waitFor(() => statusOf(leecher.swarm, signed.itemId) === 'complete', 10_000);
    expect(await readItem(leecher.store, signed)).toEqual(data);
    const firstStall = log.findIndex((e) => e.to === 'P' && e.type === 'cancel');
    expect(firstStall).toBeGreaterThanOrEqual(0);
    const seederAskedForShared = log.flatMap((e, at) => (e.to === 'S' && e.type === 'request' && (e.index ?? 0) < 5 ? [at] : []));
    expect(seederAskedForShared.length).toBeGreaterThan(0);
    expect(seederAskedForShared.every((at) => at > firstStall)).toBe(true);
  });

  it('a seeder sends a chunk to one peer at a time; the second asker gets it from the first', async () => {
    // One 100 kB chunk = two frames; at 40 kB/s the second frame leaves ~2.5 s after the first,
    // so both downloaders' requests arrive while the chunk is in flight.
    const seeder = testPeer({ uploadLimit: 40_000 });
    const a = testPeer();
    const b = testPeer();
    const data = randomBytes(100_000, 41);
    const signed = await shareBytes(seeder.swarm, seeder.store, 'x', data, 100_000);
    connect(a.swarm, 'A', b.swarm, 'B');
    connect(seeder.swarm, 'S', a.swarm, 'A');
    connect(seeder.swarm, 'S', b.swarm, 'B');
    await waitFor(() => [a, b].every((p) => statusOf(p.swarm, signed.itemId) === 'complete'), 15_000);
    const sent = seeder.swarm.getSnapshot().peers.reduce((sum, p) => sum + p.uploadedBytes, 0);
    expect(sent).toBe(data.length); // the chunk left the seeder once
    expect(await readItem(b.store, signed)).toEqual(data);
    expect(await readItem(a.store, signed)).toEqual(data);
  });
});

describe('retries', () => {
  it('asks again for a chunk once its rejection back-off ends, even when nothing else happens', async () => {
    const seeder = testPeer();
    const leecher = testPeer({ stallCheckIntervalMs: 50 });
    const data = randomBytes(3000, 51);
    const signed = await shareBytes(seeder.swarm, seeder.store, 'x', data, chunk);
    let rejected = 0;
    const realRead = seeder.store.readChunk;
    // The seeder refuses chunk 2 once (as it would while sending it to a peer that then vanished).
    seeder.store.readChunk = async (itemId, index) => (index === 2 && rejected++ === 0 ? null : realRead(itemId, index));
    connect(seeder.swarm, 'S', leecher.swarm, 'L');
    await waitFor(() => statusOf(leecher.swarm, signed.itemId) === 'complete', 8000, 'retry after the back-off');
    expect(rejected).toBe(2);
    expect(await readItem(leecher.store, signed)).toEqual(data);
  });
});
