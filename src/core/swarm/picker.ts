// Which chunk to ask a peer for next. Pure, so it is tested with plain tables.

/** What the picker needs to know, as predicates over chunk indexes. */
export interface PickInput {
  readonly chunkCount: number;
  /** We lack it and nobody is fetching it. */
  readonly isWanted: (chunkIndex: number) => boolean;
  /** This peer holds it and has not refused it. */
  readonly peerHas: (chunkIndex: number) => boolean;
}

/** The lowest wanted chunk the peer holds, or null when it holds nothing we want. */
export function pickChunk(input: PickInput): number | null {
  for (let i = 0; i < input.chunkCount; i++) {
    if (input.isWanted(i) && input.peerHas(i)) return i;
  }
  return null;
}
