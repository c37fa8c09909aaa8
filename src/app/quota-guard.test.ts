import { afterEach, describe, expect, it } from 'vitest';
import { StorageFullError } from '../core/ports';
import { startQuotaGuard, storageMarginBytes } from './quota-guard';
import { connect, destroyAll, randomBytes, readItem, shareBytes, statusOf, testPeer, waitFor } from '../test-support/swarm-fixtures';

const stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
  destroyAll();
});

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
        checkIntervalMs: 20,
      }),
    );
    const data = randomBytes(50_000, 5);
    const signed = await shareBytes(seeder.swarm, seeder.store, 'big.bin', data, 1000);
    connect(seeder.swarm, 'S', leecher.swarm, 'L');
    await waitFor(() => statusOf(leecher.swarm, signed.itemId) === 'paused', 5000, 'pause for space');
    // What is left to fetch (up to the whole 50 kB; a few chunks may land before the first estimate) against 1 kB free.
    const notice = leecher.swarm.getSnapshot().items[0]?.notice;
    expect(notice).toMatchObject({ code: 'not-enough-storage', freeBytes: 1000 });
    expect(notice?.code === 'not-enough-storage' && notice.neededBytes > 1000 && notice.neededBytes <= 50_000).toBe(true);
    expect(persistAsked).toBe(1);
    freeBytes = 10_000_000;
    await waitFor(() => statusOf(leecher.swarm, signed.itemId) === 'complete', 5000, 'resume and complete');
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
        checkIntervalMs: 20,
      }),
    );
    const data = randomBytes(10_000, 6);
    const signed = await shareBytes(seeder.swarm, seeder.store, 'x', data, 1000);
    // Start with room reported, so the first writes go ahead and then hit the full disk.
    diskFull = false;
    connect(seeder.swarm, 'S', leecher.swarm, 'L');
    await waitFor(() => leecher.store.writes >= 1, 5000);
    diskFull = true;
    await waitFor(() => statusOf(leecher.swarm, signed.itemId) === 'paused', 5000, 'paused on a full disk');
    const held = leecher.swarm.getSnapshot().items[0]?.heldChunks ?? 0;
    expect(held).toBeGreaterThan(0);
    diskFull = false;
    await waitFor(() => statusOf(leecher.swarm, signed.itemId) === 'complete', 5000, 'resumed');
    expect(await readItem(leecher.store, signed)).toEqual(data);
  });
});
