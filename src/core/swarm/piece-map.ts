// An item's pieces summarised for drawing: per bin, how much of it this peer holds, how much is on
// its way, and how many connected peers hold its pieces. A 100 GiB item has thousands of chunks;
// a map is a few hundred pixels wide, so chunks are gathered into bins and the drawing costs the bins.
import type { HeldChunks } from './request-chooser';

/** What the summary is made from. */
export interface PieceSource {
  readonly chunkCount: number;
  readonly have: HeldChunks;
  /** Per chunk, how many connected peers hold it. */
  readonly availability: ArrayLike<number>;
  /** Chunks asked of a peer or being written. */
  readonly inFlight: ReadonlySet<number>;
}

/** One item's piece map, ready to draw. */
export interface PieceMap {
  readonly chunkCount: number;
  /** Chunks this peer holds (the same count as the item's `data-held` bitfield). */
  readonly heldChunks: number;
  /** Per bin, 0..1: the share of its chunks held here. */
  readonly held: readonly number[];
  /** Per bin, 0..1: the share of its chunks on their way. */
  readonly inFlight: readonly number[];
  /** Per bin: the mean number of connected peers holding its chunks. */
  readonly peers: readonly number[];
}

/** Summarises `source` into at most `maxBins` bins (one per chunk when there are fewer chunks). */
export function summarizePieces(source: PieceSource, maxBins: number): PieceMap {
  const { chunkCount } = source;
  const bins = Math.max(0, Math.min(Math.floor(maxBins), chunkCount));
  const held = new Array<number>(bins).fill(0);
  const inFlight = new Array<number>(bins).fill(0);
  const peers = new Array<number>(bins).fill(0);
  const sizes = new Array<number>(bins).fill(0);
  let heldChunks = 0;
  for (let chunk = 0; chunk < chunkCount && bins > 0; chunk++) {
    const bin = Math.floor((chunk * bins) / chunkCount);
    sizes[bin] = (sizes[bin] ?? 0) + 1;
    peers[bin] = (peers[bin] ?? 0) + (source.availability[chunk] ?? 0);
    if (source.have.has(chunk)) {
      held[bin] = (held[bin] ?? 0) + 1;
      heldChunks++;
    } else if (source.inFlight.has(chunk)) {
      inFlight[bin] = (inFlight[bin] ?? 0) + 1;
    }
  }
  const share = (values: number[]): number[] => values.map((value, bin) => value / (sizes[bin] ?? 1));
  return { chunkCount, heldChunks: bins > 0 ? heldChunks : source.have.count(), held: share(held), inFlight: share(inFlight), peers: share(peers) };
}
