// Many items at once (issue 10: 1,500 dropped files took 14x the time of 300): the engine's work per
// item must stay flat as the item count grows. Counted, not timed, so it cannot flake: item views
// built for snapshots, and items offered to the request chooser over every schedule. Real time (the
// simulation's settle limit is far below 10,000 items' frames); nothing here depends on timing.
import { afterEach, describe, expect, it } from 'vitest';
import { createManifest } from '../manifest';
import { connect, destroyAll, randomBytes, testPeer, waitFor } from '../../test-support/swarm-fixtures';
import type { WorkCounts } from './types';

afterEach(destroyAll);

/** Per-item work of a leecher fetching `count` one-chunk items from one seeder, until all are complete. */
async function workPerItem(count: number): Promise<{ views: number; scheduled: number }> {
  const seeder = testPeer();
  const work: WorkCounts = { itemViewsBuilt: 0, itemsScheduled: 0 };
  const leecher = testPeer({ work });
  for (let i = 0; i < count; i++) {
    const data = randomBytes(16 + (i % 64), i + 1);
    const name = `f${i}.bin`;
    const signed = await createManifest(name, [{ path: name, size: data.length, type: 'application/octet-stream' }], async () => data);
    await seeder.store.putChunk(signed.itemId, 0, data);
    seeder.swarm.shareItem(signed);
  }
  connect(seeder.swarm, 'S', leecher.swarm, 'L');
  const allComplete = (): boolean => {
    const { items } = leecher.swarm.getSnapshot();
    return items.length === count && items.every((item) => item.status === 'complete');
  };
  await waitFor(allComplete, 60_000, `${count} items complete`);
  return { views: work.itemViewsBuilt / count, scheduled: work.itemsScheduled / count };
}

describe('many items', () => {
  it('cost the engine the same work per item from 100 to 10,000 items', async () => {
    const small = await workPerItem(100);
    const large = await workPerItem(10_000);
    // An item's view is built when it appears and as it changes (a handful of times), never per snapshot.
    expect(large.views).toBeLessThanOrEqual(3 * small.views);
    // A schedule walks the downloading items only until the peer's slots are full, not all of them.
    expect(large.scheduled).toBeLessThanOrEqual(3 * small.scheduled);
  }, 120_000);
});
