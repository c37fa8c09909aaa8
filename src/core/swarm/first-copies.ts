// A seeder's upload is the scarcest thing in a young room: it sends each chunk once before it sends
// any twice, while the friends pass on what it sent. This module keeps what the seeder has given out
// and says when a request should go to a friend instead (serving.ts turns it away; the asker's
// request chooser then asks for another chunk, and rarest first leads it to the ones only seeders hold).
import { chunkKey } from './claims';
import type { ItemRecord } from './types';

/** What a seeder has handed out, per chunk. */
export interface FirstCopies {
  /** A seeder queued a serve of the chunk to `peerId`: it counts as given until withdrawn or the peer leaves. */
  give(item: ItemRecord, chunkIndex: number, peerId: string): void;
  /** A serve cancelled or failed before the chunk went out whole: not given after all. */
  withdraw(itemId: string, chunkIndex: number, peerId: string): void;
  /** A peer left: what was given to it (and what it held) is out of the room again. */
  releasePeer(peerId: string): void;
  /**
   * Whether a seeder should turn this request away: the chunk was given to another peer or a
   * downloader holds it, while some chunk that only seeders hold has not been given to anyone yet.
   * `seeders` counts the connected peers that hold the whole item.
   */
  holdBack(item: ItemRecord, seeders: number, chunkIndex: number, peerId: string): boolean;
}

interface ItemCopies {
  /** Per chunk, to how many connected peers it was given. */
  readonly given: Uint16Array;
  /** Chunks below this are known not to be fresh (given, or held by a downloader); valid while `seeders` and `drops` hold. */
  freshFrom: number;
  seeders: number;
  drops: number;
}

/** Creates an empty record of first copies. */
export function createFirstCopies(): FirstCopies {
  const byItem = new Map<string, ItemCopies>();
  /** What each peer was given, as "itemId:chunk", so a departure can be undone. */
  const byPeer = new Map<string, Map<string, { itemId: string; chunkIndex: number }>>();

  const copiesOf = (itemId: string, chunkCount: number): ItemCopies => {
    let copies = byItem.get(itemId);
    if (!copies || copies.given.length !== chunkCount) {
      copies = { given: new Uint16Array(chunkCount), freshFrom: 0, seeders: -1, drops: -1 };
      byItem.set(itemId, copies);
    }
    return copies;
  };
  const lower = (itemId: string, chunkIndex: number): void => {
    const copies = byItem.get(itemId);
    const count = copies?.given[chunkIndex];
    if (!copies || count === undefined || count === 0) return;
    copies.given[chunkIndex] = count - 1;
    if (count === 1) copies.freshFrom = Math.min(copies.freshFrom, chunkIndex);
  };

  return {
    give(item, chunkIndex, peerId) {
      const { itemId, manifest } = item.signed;
      const copies = copiesOf(itemId, manifest.chunkCount);
      const count = copies.given[chunkIndex];
      if (count === undefined) return;
      const given = byPeer.get(peerId) ?? new Map<string, { itemId: string; chunkIndex: number }>();
      byPeer.set(peerId, given);
      const key = chunkKey(itemId, chunkIndex);
      if (given.has(key)) return;
      given.set(key, { itemId, chunkIndex });
      copies.given[chunkIndex] = Math.min(0xffff, count + 1);
    },
    withdraw(itemId, chunkIndex, peerId) {
      if (byPeer.get(peerId)?.delete(chunkKey(itemId, chunkIndex))) lower(itemId, chunkIndex);
    },
    releasePeer(peerId) {
      for (const { itemId, chunkIndex } of byPeer.get(peerId)?.values() ?? []) lower(itemId, chunkIndex);
      byPeer.delete(peerId);
    },
    holdBack(item, seeders, chunkIndex, peerId) {
      const { itemId, manifest } = item.signed;
      const copies = copiesOf(itemId, manifest.chunkCount);
      const givenToOthers = (copies.given[chunkIndex] ?? 0) - (byPeer.get(peerId)?.has(chunkKey(itemId, chunkIndex)) ? 1 : 0);
      const heldByDownloader = (item.availability[chunkIndex] ?? 0) > seeders;
      if (givenToOthers <= 0 && !heldByDownloader) return false;
      // Is there a chunk nobody but seeders holds and nobody was given? Chunks stop being fresh as they are
      // given and announced, so the scan resumes where it stopped, unless the seeders changed or a
      // departure or a replaced bitfield made a chunk rarer again.
      if (copies.seeders !== seeders || copies.drops !== item.availabilityDrops) {
        copies.freshFrom = 0;
        copies.seeders = seeders;
        copies.drops = item.availabilityDrops;
      }
      const { given } = copies;
      while (copies.freshFrom < given.length && ((given[copies.freshFrom] ?? 0) > 0 || (item.availability[copies.freshFrom] ?? 0) > seeders)) {
        copies.freshFrom++;
      }
      return copies.freshFrom < given.length;
    },
  };
}
