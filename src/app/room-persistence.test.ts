// Room persistence with many items: the room record is written once per burst of arriving items,
// not once per item (issue 10). Counted writes over an in-memory rooms store.
import { afterEach, describe, expect, it } from 'vitest';
import { createManifest, type SignedManifest } from '../core/manifest';
import type { RoomRecord, RoomsStore } from '../core/rooms';
import { destroyAll, randomBytes, testPeer } from '../test-support/swarm-fixtures';
import { createRoomPersistence } from './room-persistence';

afterEach(destroyAll);

/** Items arrive in bursts of this many: what a group-committed batch of fetched manifests adds at once. */
const burst = 256;

/** A rooms store in memory whose writes take a host turn, counting them and the item ids they carry. */
function countingRooms() {
  const records = new Map<string, RoomRecord>();
  const counts = { puts: 0, idsWritten: 0 };
  const rooms: RoomsStore = {
    get: async (roomId) => records.get(roomId) ?? null,
    list: async () => [...records.values()],
    async put(record) {
      counts.puts++;
      counts.idsWritten += record.itemIds.length;
      await new Promise((resolve) => setTimeout(resolve, 0));
      records.set(record.roomId, record);
    },
    delete: async (roomId) => void records.delete(roomId),
  };
  return { rooms, records, counts };
}

async function manifests(count: number): Promise<SignedManifest[]> {
  return Promise.all(
    Array.from({ length: count }, (_, i) => {
      const data = randomBytes(8, i + 1);
      return createManifest(`f${i}`, [{ path: `f${i}`, size: data.length, type: 'application/octet-stream' }], async () => data);
    }),
  );
}

/** Room writes per item when `count` items arrive in bursts, and the record they leave. */
async function writesPerItem(count: number): Promise<{ perItem: number; itemIds: readonly string[]; expected: string[] }> {
  const { swarm } = testPeer();
  const { rooms, records, counts } = countingRooms();
  const pieces = { getManifest: async () => null, heldChunksOf: async () => [], keepLocalItem: async () => undefined, deleteItem: async () => undefined };
  const persistence = createRoomPersistence({ swarm, pieces, rooms, log: () => undefined, reportError: () => undefined });
  await persistence.openRoom('room', 'secret');
  const before = counts.puts;
  const signed = await manifests(count);
  for (let i = 0; i < count; i += burst) {
    for (const item of signed.slice(i, i + burst)) swarm.shareItem(item);
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  const all = signed.map((s) => s.itemId);
  while ((records.get('room')?.itemIds.length ?? 0) < count) await new Promise((resolve) => setTimeout(resolve, 0));
  persistence.close();
  return { perItem: (counts.puts - before) / count, itemIds: records.get('room')?.itemIds ?? [], expected: all };
}

describe('room persistence with many items', () => {
  it('writes the room record about once per burst of items, from 100 to 10,000 items', async () => {
    for (const count of [100, 10_000]) {
      const { perItem, itemIds, expected } = await writesPerItem(count);
      expect(itemIds).toEqual(expected); // every item once, in the order it arrived
      expect(perItem).toBeLessThanOrEqual(2 / Math.min(count, burst));
    }
  }, 60_000);
});

describe('keeping shared items', () => {
  it('copies one item at a time, each in a moment the page can spare', async () => {
    const { swarm } = testPeer();
    const { rooms } = countingRooms();
    const calls: string[] = [];
    let inFlight = 0;
    let mostInFlight = 0;
    const idleWaiters: (() => void)[] = [];
    const idle = (): Promise<void> => new Promise((resolve) => idleWaiters.push(resolve));
    const pieces = {
      getManifest: async () => null,
      heldChunksOf: async () => [],
      deleteItem: async () => undefined,
      async keepLocalItem(signed: SignedManifest) {
        inFlight += 1;
        mostInFlight = Math.max(mostInFlight, inFlight);
        calls.push(`copying ${signed.manifest.name}`);
        await Promise.resolve(); // a storage write
        calls.push(`copied ${signed.manifest.name}`);
        inFlight -= 1;
      },
    };
    const persistence = createRoomPersistence({ swarm, pieces, rooms, log: () => undefined, reportError: () => undefined, idle });
    await persistence.openRoom('room', 'secret');
    const [a, b] = await manifests(2);
    if (!a || !b) throw new Error('no manifests');
    persistence.keepShared(a);
    persistence.keepShared(b);
    const turns = async () => {
      for (let i = 0; i < 20; i++) await Promise.resolve(); // the copy chain settles within a few microtask turns
    };
    await turns();
    // Nothing is copied until the page has a moment; then one item, and the next waits for another.
    expect(calls).toEqual([]);
    expect([...persistence.keeping.getSnapshot().keys()]).toEqual([a.itemId, b.itemId]);
    idleWaiters.shift()?.();
    await turns();
    expect(calls).toEqual(['copying f0', 'copied f0']);
    idleWaiters.shift()?.();
    await turns();
    expect(calls).toEqual(['copying f0', 'copied f0', 'copying f1', 'copied f1']);
    expect(mostInFlight).toBe(1);
    persistence.close();
  });
});
