// How many distributed copies of an item the downloaders present hold between them, the way
// BitTorrent clients show "availability": the copies every chunk has (the rarest chunk's count),
// plus the share of chunks held once more than that. 1.5 means every chunk is held at least once
// and half of them at least twice; bytes alone would count many copies of a few chunks as copies.

/** Per-chunk holder counts of the downloaders present. */
export interface Availability {
  /** A present downloader stored chunk `index`. */
  gained(index: number): void;
  /** A downloader that held these chunks left. */
  lost(indexes: Iterable<number>): void;
  /** Distributed copies: min over chunks of the holder count, plus the share of chunks above it. */
  copies(): number;
  /** Chunks held by at least one present downloader. */
  covered(): number;
}

export function createAvailability(chunkCount: number): Availability {
  const holders = new Array<number>(chunkCount).fill(0);
  return {
    gained(index) {
      holders[index] = (holders[index] ?? 0) + 1;
    },
    lost(indexes) {
      for (const index of indexes) holders[index] = Math.max(0, (holders[index] ?? 0) - 1);
    },
    copies() {
      if (chunkCount === 0) return 0;
      const rarest = Math.min(...holders);
      const above = holders.filter((count) => count > rarest).length;
      return rarest + above / chunkCount;
    },
    covered() {
      return holders.filter((count) => count > 0).length;
    },
  };
}
