// Members that misbehave on the data channel, driven by hand over a memory link, against a real engine
// on a manual clock. Each test asserts the honest outcome: the bound holds, the honest peer completes.
import { afterEach, describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame } from '../protocol/codec';
import { maxFrameBytes } from '../protocol/limits';
import type { WireMessage } from '../protocol/messages';
import { createLinkPair } from '../../test-support/memory-link';
import { createSwarmSimulation, destroyAll, randomBytes, shareBytes, statusOf } from '../../test-support/swarm-fixtures';
import { manifestFetchTimeoutMs, maxAnnouncedItemsPerPeer, maxManifestFetchesPerPeer } from './constants';

afterEach(destroyAll);

/** A logged event's name, with its fields. */
type Logged = { event: string; fields: Record<string, unknown> };

/** A victim engine that logs, an honest sharer linked to it, and a hand-driven member "M" on a raw link. */
async function setup() {
  const sim = createSwarmSimulation();
  const logged: Logged[] = [];
  const victim = sim.peer({ log: (event, fields = {}) => logged.push({ event, fields }) });
  const sharer = sim.peer();
  const honest = await shareBytes(sharer.swarm, sharer.store, 'honest.bin', randomBytes(300_000, 7));
  const pair = createLinkPair('V', 'M', { highWatermarkBytes });
  const received: WireMessage[] = [];
  pair.b.listen({ frame: (frame) => void received.push(decodeFrame(frame) ?? { type: 'cancel', requestId: -1 }), close: () => undefined });
  victim.swarm.addLink(pair.a);
  const send = (message: WireMessage): void => void pair.b.send(encodeFrame(message)).catch(() => undefined);
  const linkHonest = () => sim.connect(sharer.swarm, 'S', victim.swarm, 'V');
  const count = (type: WireMessage['type']) => received.filter((m) => m.type === type).length;
  return { sim, victim, sharer, honest, pair, received, send, linkHonest, count, logged };
}

/** The member's link buffers this much before our sends wait (a data channel's high watermark). */
const highWatermarkBytes = 256 * 1024;

const fakeId = (i: number): string => i.toString(16).padStart(64, '0');

describe('hostile members on the data channel', () => {
  it('a get-manifest flood from a member that reads nothing: our queue for it stays under the watermark', async () => {
    const t = await setup();
    const mine = await shareBytes(t.victim.swarm, t.victim.store, 'mine.bin', randomBytes(50_000, 3));
    await t.sim.settle();
    t.pair.stallFromA(true);
    for (let i = 0; i < 5_000; i++) t.send({ type: 'get-manifest', itemId: mine.itemId });
    await t.sim.settle();
    expect(t.pair.queuedBytes().a).toBeLessThanOrEqual(highWatermarkBytes + maxFrameBytes);
    expect(t.logged.filter((l) => l.event === 'manifest-request-dropped').length).toBeGreaterThan(4_000);
    t.linkHonest();
    await t.sim.runUntil(() => statusOf(t.victim.swarm, t.honest.itemId) === 'complete', 60_000, 'the honest item complete');
  });

  it('an announcement of 100k items that are never served: a bounded set, a few fetches at a time, and the honest item completes', async () => {
    const t = await setup();
    const ids = Array.from({ length: 100_000 }, (_, i) => fakeId(i + 1));
    for (let i = 0; i < ids.length; i += 1024) t.send({ type: 'items', itemIds: ids.slice(i, i + 1024) });
    await t.sim.settle();
    expect(t.logged.some((l) => l.event === 'announcements-ignored' && l.fields.limit === maxAnnouncedItemsPerPeer)).toBe(true);
    expect(t.count('get-manifest')).toBe(maxManifestFetchesPerPeer);
    t.linkHonest();
    await t.sim.runUntil(() => statusOf(t.victim.swarm, t.honest.itemId) === 'complete', 5_000, 'the honest item complete');
    await t.sim.runFor(manifestFetchTimeoutMs + 1_000);
    // The quiet fetches were given up and the next ones asked: the member holds its slots, no more.
    expect(t.count('get-manifest')).toBe(2 * maxManifestFetchesPerPeer);
    expect(t.logged.filter((l) => l.event === 'manifest-fetch-failed' && l.fields.reason === 'no answer')).toHaveLength(maxManifestFetchesPerPeer);
  });

  it('a manifest part claiming a huge total, then silence: the fetch is given up, and a late part is ignored without a strike', async () => {
    const t = await setup();
    t.send({ type: 'items', itemIds: [fakeId(1)] });
    await t.sim.settle();
    expect(t.count('get-manifest')).toBe(1);
    t.send({ type: 'manifest-part', itemId: fakeId(1), totalBytes: 4 * 1024 * 1024, offset: 0, bytes: new Uint8Array(10) });
    await t.sim.runFor(manifestFetchTimeoutMs + 1_000);
    expect(t.logged.some((l) => l.event === 'manifest-fetch-failed' && l.fields.reason === 'no answer')).toBe(true);
    t.send({ type: 'manifest-part', itemId: fakeId(1), totalBytes: 5 * 1024 * 1024, offset: 0, bytes: new Uint8Array(10) });
    await t.sim.settle();
    expect(t.victim.swarm.getSnapshot().peers.map((p) => p.peerId)).toContain('M'); // a late part for a dropped fetch is ignored, no strike
  });

  it('dripping data: a member that claims chunks and sends a byte every 9 s keeps none of them, and the seeder is asked', async () => {
    const sim = createSwarmSimulation();
    const logged: Logged[] = [];
    const victim = sim.peer({ log: (event, fields = {}) => logged.push({ event, fields }) });
    const seeder = sim.peer();
    const item = await shareBytes(seeder.swarm, seeder.store, 'dripped.bin', randomBytes(8 * 65_536, 11), 65_536);
    const pair = createLinkPair('V', 'M', { highWatermarkBytes });
    const requests: { requestId: number; sent: number }[] = [];
    const send = (message: WireMessage): void => void pair.b.send(encodeFrame(message)).catch(() => undefined);
    pair.b.listen({
      frame(frame) {
        const message = decodeFrame(frame);
        if (message?.type === 'get-manifest') {
          send({ type: 'manifest-part', itemId: item.itemId, totalBytes: item.bytes.length, offset: 0, bytes: item.bytes });
        } else if (message?.type === 'request') requests.push({ requestId: message.requestId, sent: 0 });
      },
      close: () => undefined,
    });
    victim.swarm.addLink(pair.a);
    // It claims every chunk but the last, as a downloader would: those are asked of it, not of the seeder.
    const bits = new Uint8Array([0b1111_1110]);
    send({ type: 'items', itemIds: [item.itemId] });
    await sim.settle();
    send({ type: 'bitfield', itemId: item.itemId, bits });
    sim.connect(seeder.swarm, 'S', victim.swarm, 'V');
    await sim.settle();
    expect(requests.length).toBeGreaterThan(0);
    for (let round = 0; round < 12 && statusOf(victim.swarm, item.itemId) !== 'complete'; round++) {
      for (const request of requests) send({ type: 'data', requestId: request.requestId, offset: request.sent++, bytes: new Uint8Array(1) });
      await sim.runFor(9_000);
    }
    expect(statusOf(victim.swarm, item.itemId)).toBe('complete');
    // A byte every 9 s is data, not silence: the minimum-progress rule is the one that withdrew them.
    const stalled = logged.filter((l) => l.event === 'requests-stalled');
    expect(stalled.reduce((sum, l) => sum + Number(l.fields['tooSlow']), 0)).toBeGreaterThan(0);
    expect(stalled.every((l) => Number(l.fields['expired']) === Number(l.fields['silent']) + Number(l.fields['tooSlow']))).toBe(true);
  });

  it('cancel/request churn on a seeder keeps no chunk from an honest downloader', async () => {
    const sim = createSwarmSimulation();
    const seeder = sim.peer();
    const downloader = sim.peer();
    const chunkBytes = 1024 * 1024;
    const item = await shareBytes(seeder.swarm, seeder.store, 'churned.bin', randomBytes(4 * chunkBytes, 13), chunkBytes);
    const pair = createLinkPair('S', 'M', { highWatermarkBytes });
    pair.b.listen({ frame: () => undefined, close: () => undefined });
    seeder.swarm.addLink(pair.a);
    pair.stallFromA(true); // it reads nothing: the seeder's send of its first chunk never ends
    const send = (message: WireMessage): void => void pair.b.send(encodeFrame(message)).catch(() => undefined);
    send({ type: 'request', requestId: 1, itemId: item.itemId, chunkIndex: 0 });
    // Its requests for the other chunks wait behind that one; it cancels and asks again for each every
    // 1.5 s, so each looks freshly asked for, "under way" to it.
    let nextId = 2;
    let waiting: number[] = [];
    const churn = (): void => {
      for (const requestId of waiting) send({ type: 'cancel', requestId });
      waiting = [1, 2, 3].map((chunkIndex) => {
        send({ type: 'request', requestId: nextId, itemId: item.itemId, chunkIndex });
        return nextId++;
      });
    };
    churn();
    await sim.settle();
    sim.connect(seeder.swarm, 'S', downloader.swarm, 'D');
    for (let round = 0; round < 40 && statusOf(downloader.swarm, item.itemId) !== 'complete'; round++) {
      await sim.runFor(1_500);
      churn();
    }
    expect(statusOf(downloader.swarm, item.itemId)).toBe('complete');
  });
  it('a room past the item limit: the items within it arrive, the rest are not fetched, and the person is told once', async () => {
    const sim = createSwarmSimulation();
    const member = sim.peer();
    const victim = sim.peer({ maxItems: 5 });
    const limits: number[] = [];
    victim.swarm.events.subscribe((event) => {
      if (event.type === 'room-item-limit') limits.push(event.limit);
    });
    for (let i = 0; i < 8; i++) await shareBytes(member.swarm, member.store, `item ${i}.bin`, randomBytes(1_000, 20 + i));
    sim.connect(member.swarm, 'S', victim.swarm, 'V');
    await sim.settle();
    const { items } = victim.swarm.getSnapshot();
    expect(items).toHaveLength(5);
    await sim.runUntil(() => victim.swarm.getSnapshot().items.every((item) => item.status === 'complete'), 10_000, 'the five complete');
    expect(limits).toEqual([5]);
  });
  it('a chunk gone from storage under a holder (another tab deleted it): it stops advertising it, and the asker gets it elsewhere', async () => {
    const sim = createSwarmSimulation();
    const first = sim.peer();
    const second = sim.peer();
    const asker = sim.peer();
    const item = await shareBytes(second.swarm, second.store, 'kept.bin', randomBytes(2 * 65_536, 17), 65_536);
    first.swarm.restoreItem(item, [0, 1]); // downloaded earlier, by its records; its storage has since vanished
    const missing: string[] = [];
    first.swarm.events.subscribe((event) => void (event.type === 'chunks-missing' && missing.push(event.name)));
    sim.connect(first.swarm, 'A', asker.swarm, 'Q');
    await sim.settle();
    expect(missing.length).toBeGreaterThan(0); // the person is told (main.tsx words it once per item)
    expect(new Set(missing)).toEqual(new Set(['kept.bin']));
    // The first holder found out when asked, and went back to downloading; the asker has nobody left.
    expect(statusOf(first.swarm, item.itemId)).toBe('downloading');
    expect(statusOf(asker.swarm, item.itemId)).toBe('downloading');
    sim.connect(second.swarm, 'B', asker.swarm, 'Q');
    sim.connect(second.swarm, 'B', first.swarm, 'A');
    await sim.runUntil(() => statusOf(asker.swarm, item.itemId) === 'complete' && statusOf(first.swarm, item.itemId) === 'complete', 30_000, 'both complete');
  });
});

