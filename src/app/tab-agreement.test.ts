// Two tabs of one browser in one room, over one in-memory rooms store, a shared lock and a message bus
// standing in for Web Locks and BroadcastChannel: their record writes merge, and a room deleted in one
// takes the other's items back to downloading, with a sentence.
import { afterEach, describe, expect, it } from 'vitest';
import { createManifest, type SignedManifest } from '../core/manifest';
import type { Report } from '../core/reports';
import type { RoomRecord, RoomsStore } from '../core/rooms';
import { destroyAll, randomBytes, statusOf, testPeer } from '../test-support/swarm-fixtures';
import { createRoomPersistence } from './room-persistence';
import type { TabEvent, TabSync } from './tab-sync';

afterEach(destroyAll);

/** A browser's shared parts: its rooms store (writes take a host turn, so they can interleave), locks and bus. */
function browser() {
  const records = new Map<string, RoomRecord>();
  const rooms: RoomsStore = {
    get: async (roomId) => records.get(roomId) ?? null,
    list: async () => [...records.values()],
    async put(record) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      records.set(record.roomId, record);
    },
    delete: async (roomId) => void records.delete(roomId),
  };
  const locks = new Map<string, Promise<unknown>>();
  const tabs: { listeners: Set<(event: TabEvent) => void> }[] = [];
  /** One tab's view of the lock and the bus: what it posts reaches the other tabs only. */
  const tab = (): TabSync => {
    const me = { listeners: new Set<(event: TabEvent) => void>() };
    tabs.push(me);
    return {
      withLock(name, work) {
        const run = (locks.get(name) ?? Promise.resolve()).then(work, work);
        locks.set(name, run.catch(() => undefined));
        return run;
      },
      post: (event) => tabs.filter((t) => t !== me).forEach((t) => t.listeners.forEach((listener) => queueMicrotask(() => listener(event)))),
      subscribe(listener) {
        me.listeners.add(listener);
        return () => me.listeners.delete(listener);
      },
    };
  };
  return { rooms, records, tab };
}

async function manifests(count: number, seed: number): Promise<SignedManifest[]> {
  return Promise.all(
    Array.from({ length: count }, (_, i) => {
      const data = randomBytes(8, seed + i);
      return createManifest(`f${seed + i}`, [{ path: `f${seed + i}`, size: data.length, type: 'application/octet-stream' }], async () => data);
    }),
  );
}

const pieces = { getManifest: async () => null, heldChunksOf: async () => [], keepLocalItem: async () => undefined, deleteItem: async () => undefined };
const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setTimeout(resolve, 0));
};

describe('tabs of one browser in one room', () => {
  it('write the room record one at a time, each merging what the other listed', async () => {
    const { rooms, records, tab } = browser();
    const [a, b] = [testPeer(), testPeer()];
    const tabA = createRoomPersistence({ swarm: a.swarm, pieces, rooms, log: () => undefined, reportError: () => undefined, tabs: tab() });
    const tabB = createRoomPersistence({ swarm: b.swarm, pieces, rooms, log: () => undefined, reportError: () => undefined, tabs: tab() });
    await Promise.all([tabA.openRoom('room', 'secret'), tabB.openRoom('room', 'secret')]);
    const [mineA, mineB] = [await manifests(3, 1), await manifests(3, 100)];
    for (const [swarm, list] of [[a.swarm, mineA], [b.swarm, mineB]] as const) for (const item of list) swarm.shareItem(item);
    await turns(20);
    expect(new Set(records.get('room')?.itemIds)).toEqual(new Set([...mineA, ...mineB].map((s) => s.itemId)));
    tabA.close();
    tabB.close();
  });

  it('a room deleted in one tab: the other goes back to downloading its items, says so, and lists the room again', async () => {
    const { rooms, records, tab } = browser();
    const [a, b] = [testPeer(), testPeer()];
    const reports: Report[] = [];
    const tabA = createRoomPersistence({ swarm: a.swarm, pieces, rooms, log: () => undefined, reportError: () => undefined, tabs: tab() });
    const tabB = createRoomPersistence({ swarm: b.swarm, pieces, rooms, log: () => undefined, reportError: (r) => reports.push(r), tabs: tab() });
    await tabA.openRoom('room', 'secret');
    await tabB.openRoom('room', 'secret');
    const items = await manifests(2, 200);
    for (const item of items) b.swarm.restoreItem(item, [0]); // downloaded earlier: complete, not shared from here
    await turns(20);
    expect(items.map((item) => statusOf(b.swarm, item.itemId))).toEqual(['complete', 'complete']);
    await tabA.deleteRoom('room');
    await turns(20);
    expect(items.map((item) => statusOf(b.swarm, item.itemId))).toEqual(['downloading', 'downloading']);
    expect(reports).toEqual([{ code: 'room-data-deleted-elsewhere', items: 2 }]);
    expect(records.get('room')?.itemIds).toEqual(items.map((item) => item.itemId)); // the tab still in the room lists it again
    tabA.close();
    tabB.close();
  });
});
