// The quota guard over engines on a manual clock: its rechecks run when fake time reaches them.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StorageFullError } from '../core/ports';
import { quotaCheckIntervalMs, startQuotaGuard, storageMarginBytes } from './quota-guard';
import { createSwarmSimulation, destroyAll, randomBytes, readItem, shareBytes, statusOf } from '../test-support/swarm-fixtures';

const stops: (() => void)[] = [];
let sim: ReturnType<typeof createSwarmSimulation>;
beforeEach(() => (sim = createSwarmSimulation()));
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
  destroyAll();
});
const testPeer: typeof sim.peer = (options) => sim.peer(options);
const connect: typeof sim.connect = (...args) => sim.connect(...args);
/** Runs the swarm (and the guard's rechecks) until `condition` holds, failing past a few rechecks of fake time. */
const waitFor = (condition: () => boolean, what?: string): Promise<void> => sim.runUntil(condition, 5 * quotaCheckIntervalMs, what);

describe('quota guard', () => {
  it('pauses a download that cannot fit, says why, and resumes it once space is free', async () => {
    const seeder = testPeer();
    const leecher = testPeer({ uploadLimit: null });
    let freeBytes = 1000;
    let persistAsked = 0;
    stops.push(
      startQuotaGuard({
        swarm: leecher.swarm,
        estimate: async () => ({ quota: storageMarginBytes + freeBytes, usage: 0 }),
        persist: async () => (persistAsked++, true),
        log: () => undefined,
        clock: sim.clock,
      }),
    );
    const data = randomBytes(50_000, 5);
    const signed = await shareBytes(seeder.swarm, seeder.store, 'big.bin', data, 1000);
    connect(seeder.swarm, 'S', leecher.swarm, 'L');
    await waitFor(() => statusOf(leecher.swarm, signed.itemId) === 'paused', 'pause for space');
    // What is left to fetch (up to the whole 50 kB; a few chunks may land before the first estimate) against 1 kB free.
    const notice = leecher.swarm.getSnapshot().items[0]?.notice;
    expect(notice).toMatchObject({ code: 'not-enough-storage', freeBytes: 1000 });
    expect(notice?.code === 'not-enough-storage' && notice.neededBytes > 1000 && notice.neededBytes <= 50_000).toBe(true);
    expect(persistAsked).toBe(1);
    freeBytes = 10_000_000;
    await waitFor(() => statusOf(leecher.swarm, signed.itemId) === 'complete', 'resume and complete');
    expect(await readItem(leecher.store, signed)).toEqual(data);
  });

  it('resumes an item the engine paused on a full disk once the estimate shows room', async () => {
    const seeder = testPeer();
    const leecher = testPeer();
    let diskFull = true;
    const realPut = leecher.store.putChunk;
    leecher.store.putChunk = async (itemId, index, bytes) => {
      if (diskFull && leecher.store.writes >= 3) throw new StorageFullError();
      return realPut(itemId, index, bytes);
    };
    stops.push(
      startQuotaGuard({
        swarm: leecher.swarm,
        estimate: async () => ({ quota: storageMarginBytes + (diskFull ? 0 : 1e9), usage: 0 }),
        persist: async () => true,
        log: () => undefined,
        clock: sim.clock,
      }),
    );
    const data = randomBytes(10_000, 6);
    const signed = await shareBytes(seeder.swarm, seeder.store, 'x', data, 1000);
    // Start with room reported, so the first writes go ahead and then hit the full disk.
    diskFull = false;
    // The disk fills as the first chunk is stored.
    const stopFilling = leecher.swarm.events.subscribe((event) => event.type === 'chunk-stored' && (diskFull = true));
    connect(seeder.swarm, 'S', leecher.swarm, 'L');
    await waitFor(() => statusOf(leecher.swarm, signed.itemId) === 'paused', 'paused on a full disk');
    const held = leecher.swarm.getSnapshot().items[0]?.heldChunks ?? 0;
    expect(held).toBeGreaterThan(0);
    await sim.runFor(2 * quotaCheckIntervalMs); // rechecks ran and found no room: still paused
    expect(statusOf(leecher.swarm, signed.itemId)).toBe('paused');
    stopFilling();
    diskFull = false;
    await waitFor(() => statusOf(leecher.swarm, signed.itemId) === 'complete', 'resumed');
    expect(await readItem(leecher.store, signed)).toEqual(data);
  });
});
