// The engine's typed events: what persistence and the quota guard listen to instead of diffing snapshots.
import { afterEach, describe, expect, it } from 'vitest';
import { StorageFullError } from '../ports';
import { connect, destroyAll, randomBytes, shareBytes, statusOf, testPeer, waitFor } from '../../test-support/swarm-fixtures';
import type { SwarmEvent } from './view-types';

afterEach(destroyAll);

function record(peer: ReturnType<typeof testPeer>): SwarmEvent[] {
  const events: SwarmEvent[] = [];
  peer.swarm.events.subscribe((event) => events.push(event));
  return events;
}

describe('swarm events', () => {
  it('tell an item’s whole download: added, each chunk stored, completed; and peers joining and leaving', async () => {
    const seeder = testPeer();
    const leecher = testPeer();
    const seen = record(leecher);
    const shared = record(seeder);
    const signed = await shareBytes(seeder.swarm, seeder.store, 'x.bin', randomBytes(3000), 1000);
    expect(shared).toEqual([{ type: 'item-added', itemId: signed.itemId, local: true }]);
    // The engine wrote the shared item's manifest itself (one owner of manifests).
    await waitFor(() => seeder.store.manifests.has(signed.itemId));
    const link = connect(seeder.swarm, 'S', leecher.swarm, 'L');
    await waitFor(() => statusOf(leecher.swarm, signed.itemId) === 'complete');
    const stored = seen.filter((e) => e.type === 'chunk-stored').map((e) => (e.type === 'chunk-stored' ? e.chunkIndex : -1));
    expect(stored.sort()).toEqual([0, 1, 2]);
    expect(seen[0]).toEqual({ type: 'peer-joined', peerId: 'S' });
    expect(seen).toContainEqual({ type: 'item-added', itemId: signed.itemId, local: false });
    expect(seen.at(-1)).toEqual({ type: 'item-completed', itemId: signed.itemId });
    link.a.close();
    await waitFor(() => seen.some((e) => e.type === 'peer-left'));
    expect(seen.at(-1)).toEqual({ type: 'peer-left', peerId: 'S' });
  });

  it('tell a pause with its reason code, a resume, and a ban', async () => {
    const seeder = testPeer();
    const leecher = testPeer();
    const seen = record(leecher);
    const signed = await shareBytes(seeder.swarm, seeder.store, 'y.bin', randomBytes(20_000, 3), 1000);
    const realPut = leecher.store.putChunk;
    leecher.store.putChunk = async (itemId, index, bytes) => {
      if (leecher.store.writes >= 2) throw new StorageFullError();
      return realPut(itemId, index, bytes);
    };
    const link = connect(seeder.swarm, 'S', leecher.swarm, 'L');
    await waitFor(() => seen.some((e) => e.type === 'item-paused'));
    expect(seen.find((e) => e.type === 'item-paused')).toEqual({ type: 'item-paused', itemId: signed.itemId, notice: { code: 'storage-full' } });
    leecher.store.putChunk = realPut;
    leecher.swarm.download(signed.itemId);
    expect(seen.at(-1)).toEqual({ type: 'item-downloading', itemId: signed.itemId });
    for (let i = 0; i < 3; i++) await link.a.send(new Uint8Array([99, 1, 2]));
    await waitFor(() => seen.some((e) => e.type === 'peer-banned'));
    expect(seen.find((e) => e.type === 'peer-banned')).toMatchObject({ type: 'peer-banned', peerId: 'S' });
  });
});
