// Which chunk to ask a peer for next. Pure, so it is tested with plain tables.

/** What the picker needs to know, as functions of a chunk index. */
export interface PickInput {
  readonly chunkCount: number;
  /** May be asked of this peer now (wanted, held by the peer, not already claimed beyond the rules). */
  readonly isCandidate: (chunkIndex: number) => boolean;
  /** Lower is better: how many peers hold it (rarest first), or how many requests it already has (endgame). */
  readonly cost: (chunkIndex: number) => number;
  /** A uniform random number in [0, 1), for fair tie-breaks. */
  readonly random: () => number;
}

/** The candidate of lowest cost, ties broken uniformly at random; null when there is none. */
export function pickChunk(input: PickInput): number | null {
  let best: number | null = null;
  let bestCost = Infinity;
  let ties = 0;
  for (let i = 0; i < input.chunkCount; i++) {
    if (!input.isCandidate(i)) continue;
    const cost = input.cost(i);
    if (cost < bestCost) {
      best = i;
      bestCost = cost;
      ties = 1;
    } else if (cost === bestCost) {
      // Reservoir sampling: the k-th tie replaces the pick with probability 1/k.
      ties++;
      if (input.random() * ties < 1) best = i;
    }
  }
  return best;
}
