// A seeder's upload is the scarcest thing in a young room: it sends each chunk once before it sends
// any twice, while the friends pass on what it sent. This module keeps what the seeder has given out
// and says when a request should go to a friend instead (serving.ts turns it away; the asker's
// request chooser then asks for another chunk, and rarest first leads it to the ones only seeders hold).
import { chunkKey } from './claims';
import type { ItemRecord } from './types';

/** What a seeder has handed out, per chunk. */
export interface FirstCopies {
  /** A seeder queued a serve of the chunk to `peerId`: it counts as given until withdrawn or the peer leaves. */
  give(item: ItemRecord, chunkIndex: number, peerId: string, seeders: number): void;
  /** A serve cancelled or failed before the chunk went out whole: not given after all. */
  withdraw(itemId: string, chunkIndex: number, peerId: string): void;
  /** A peer left: what was given to it (and what it held) is out of the room again. */
  releasePeer(peerId: string): void;
  /** The item was forgotten here: its record and every peer's share of it go (nothing is kept for an item we no longer serve). */
  forgetItem(itemId: string): void;
  /** Items with a record (for tests: a forgotten item leaves none). */
  readonly itemCount: number;
  /**
   * Whether a seeder should turn this request away: the chunk was given to another peer or a
   * downloader holds it, while some chunk that only seeders hold has not been given to anyone yet; or
   * the chunk is fresh but the asker has yet to pass on the fresh chunks it was given, while another
   * downloader has passed its own on (see `maxUnpassedBytes`).
   */
  holdBack(ask: HoldBackAsk): boolean;
  /**
   * How many fresh chunks `peerId` was sent that no other downloader holds yet: those it was given,
   * less those still `queued` to it (a deep queue says nothing of how it passes chunks on).
   */
  waitingToPass(ask: PassAsk): number;
}

/** A downloader's fresh chunks, as `waitingToPass` counts them. */
export interface PassAsk {
  readonly item: ItemRecord;
  readonly peerId: string;
  /** Connected peers that hold the whole item. */
  readonly seeders: number;
  /** Whether the peer holds a chunk (its announced bitfield). */
  readonly askerHolds: (chunkIndex: number) => boolean;
  /** Whether a chunk is still queued or being sent to the peer. */
  readonly queued: (chunkIndex: number) => boolean;
}

/** One request as `holdBack` weighs it. */
export interface HoldBackAsk {
  readonly item: ItemRecord;
  /** Connected peers that hold the whole item. */
  readonly seeders: number;
  readonly chunkIndex: number;
  readonly peerId: string;
  /** Whether the asker holds a chunk (its announced bitfield). */
  readonly askerHolds: (chunkIndex: number) => boolean;
  /** The other connected downloaders of the item (not seeders). */
  readonly otherDownloaders: readonly string[];
}

/**
 * A downloader may hold this many bytes of fresh chunks from a seeder that nobody else has yet; past it,
 * it gets more only when another downloader has none waiting (BitTorrent's super-seeding, by bytes): a
 * seeder's fresh pieces go to those who pass them on, at the rate they do, so a 1 Mbit/s home is not
 * handed as many unique pieces as an 8 Mbit/s one. Half a megabyte is ~1 s of a 4 Mbit/s seeder.
 */
export const maxUnpassedBytes = 512 * 1024;

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
  /** Per peer and item, the fresh chunks it was given that no other downloader was seen holding yet, oldest first. */
  const unpassed = new Map<string, Map<string, number[]>>();
  const unpassedOf = (peerId: string, itemId: string): number[] => {
    const perItem = unpassed.get(peerId) ?? new Map<string, number[]>();
    unpassed.set(peerId, perItem);
    const list = perItem.get(itemId) ?? [];
    perItem.set(itemId, list);
    return list;
  };
  /** Whether a downloader other than the asker holds the chunk: the asker passed it on. */
  const passedOn = (item: ItemRecord, seeders: number, askerHolds: (c: number) => boolean, chunkIndex: number): boolean =>
    (item.availability[chunkIndex] ?? 0) - seeders - (askerHolds(chunkIndex) ? 1 : 0) > 0;
  /** Drops the oldest waiting chunks that were passed on, and returns what waits. */
  const prunePassed = (waiting: number[], passed: (c: number) => boolean): number[] => {
    while (waiting.length > 0 && passed(waiting[0] ?? 0)) waiting.shift();
    return waiting;
  };
  const isFresh = (copies: ItemCopies, item: ItemRecord, seeders: number, chunkIndex: number): boolean =>
    (copies.given[chunkIndex] ?? 0) === 0 && (item.availability[chunkIndex] ?? 0) <= seeders;

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
    give(item, chunkIndex, peerId, seeders) {
      const { itemId, manifest } = item.signed;
      const copies = copiesOf(itemId, manifest.chunkCount);
      const count = copies.given[chunkIndex];
      if (count === undefined) return;
      const given = byPeer.get(peerId) ?? new Map<string, { itemId: string; chunkIndex: number }>();
      byPeer.set(peerId, given);
      const key = chunkKey(itemId, chunkIndex);
      if (given.has(key)) return;
      given.set(key, { itemId, chunkIndex });
      if (isFresh(copies, item, seeders, chunkIndex)) unpassedOf(peerId, itemId).push(chunkIndex);
      copies.given[chunkIndex] = Math.min(0xffff, count + 1);
    },
    withdraw(itemId, chunkIndex, peerId) {
      if (!byPeer.get(peerId)?.delete(chunkKey(itemId, chunkIndex))) return;
      lower(itemId, chunkIndex);
      // Not given after all, so not the peer's to pass on either.
      const waiting = unpassed.get(peerId)?.get(itemId);
      const at = waiting?.indexOf(chunkIndex) ?? -1;
      if (at >= 0) waiting?.splice(at, 1);
    },
    releasePeer(peerId) {
      for (const { itemId, chunkIndex } of byPeer.get(peerId)?.values() ?? []) lower(itemId, chunkIndex);
      byPeer.delete(peerId);
      unpassed.delete(peerId);
    },
    forgetItem(itemId) {
      byItem.delete(itemId);
      for (const given of byPeer.values()) for (const [key, entry] of given) if (entry.itemId === itemId) given.delete(key);
      for (const perItem of unpassed.values()) perItem.delete(itemId);
    },
    get itemCount() {
      return byItem.size;
    },
    waitingToPass({ item, peerId, seeders, askerHolds, queued }) {
      const waiting = unpassed.get(peerId)?.get(item.signed.itemId);
      if (!waiting) return 0;
      const passed = (c: number): boolean => passedOn(item, seeders, askerHolds, c);
      let sent = 0;
      for (const chunkIndex of prunePassed(waiting, passed)) if (!passed(chunkIndex) && !queued(chunkIndex)) sent++;
      return sent;
    },
    holdBack({ item, seeders, chunkIndex, peerId, askerHolds, otherDownloaders }) {
      const { itemId, manifest } = item.signed;
      const copies = copiesOf(itemId, manifest.chunkCount);
      const givenToOthers = (copies.given[chunkIndex] ?? 0) - (byPeer.get(peerId)?.has(chunkKey(itemId, chunkIndex)) ? 1 : 0);
      const heldByDownloader = (item.availability[chunkIndex] ?? 0) > seeders;
      if (givenToOthers <= 0 && !heldByDownloader) {
        if (!isFresh(copies, item, seeders, chunkIndex) || otherDownloaders.length === 0) return false;
        // A fresh chunk: the asker's share follows what it passes on. Chunks another downloader now holds are passed.
        const waiting = unpassedOf(peerId, itemId);
        prunePassed(waiting, (c) => passedOn(item, seeders, askerHolds, c));
        const chunkBytes = Math.max(1, Math.min(manifest.chunkBytes, manifest.totalBytes));
        const quota = Math.max(2, Math.floor(maxUnpassedBytes / chunkBytes));
        if (waiting.length < quota) return false;
        // Over its share: held back only while another downloader has room for fresh chunks (the seeder never idles for it).
        return otherDownloaders.some((other) => (unpassed.get(other)?.get(itemId)?.length ?? 0) < quota);
      }
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
