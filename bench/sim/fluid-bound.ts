// The fluid bound of Kumar & Ross (2006) on the time to give a file to every peer, generalised to
// peers that arrive and leave over time. In a flash crowd (every peer from t = 0, nobody leaves) it is
//   T* = max(F / u_s, F / d_min, N·F / (u_s + Σ u_i)).
// With arrivals and departures, a last completion at T needs at least:
// - T ≥ F / u_s: every byte leaves the sharer once (the sharer's first byte at t = 0);
// - T ≥ a_i + F / d_i for every peer i that completes (its downlink, from its arrival a_i);
// - the uploads everyone could make while present, ∫₀ᵀ (u_s + Σ_{i present at t} u_i) dt ≥ N·F, where
//   N counts the peers that complete (those who leave early are given their upload, not their need).
// Each is a lower bound on T, so their max is too; for a flash crowd the three are Kumar & Ross's.

/** One peer as the bound sees it: when it was present, its capacities (bytes/s), and whether it must complete. */
export interface BoundPeer {
  readonly fromMs: number;
  /** When it left (Infinity: it stayed). */
  readonly untilMs: number;
  readonly upBytesPerSecond: number;
  readonly downBytesPerSecond: number;
  readonly completes: boolean;
}

/** The bound in ms, for a file of `fileBytes` shared by `sharer` to `peers`. */
export function fluidBoundMs(fileBytes: number, sharer: BoundPeer, peers: readonly BoundPeer[]): number {
  const finishing = peers.filter((p) => p.completes);
  const bySharer = (fileBytes / sharer.upBytesPerSecond) * 1000;
  const byDownlink = Math.max(0, ...finishing.map((p) => p.fromMs + (fileBytes / p.downBytesPerSecond) * 1000));
  return Math.max(bySharer, byDownlink, uploadVolumeBoundMs(finishing.length * fileBytes, [sharer, ...peers]));
}

/** The earliest T (ms) by which everyone present could have uploaded `neededBytes` in all. */
function uploadVolumeBoundMs(neededBytes: number, everyone: readonly BoundPeer[]): number {
  // The total upload rate is piecewise constant between arrivals and departures: walk those times.
  const changes = everyone.flatMap((p) => [
    { atMs: p.fromMs, deltaBytesPerMs: p.upBytesPerSecond / 1000 },
    ...(Number.isFinite(p.untilMs) ? [{ atMs: p.untilMs, deltaBytesPerMs: -p.upBytesPerSecond / 1000 }] : []),
  ]);
  changes.sort((a, b) => a.atMs - b.atMs);
  let rate = 0;
  let done = 0;
  let atMs = 0;
  for (const change of changes) {
    if (rate > 0 && done + rate * (change.atMs - atMs) >= neededBytes) return atMs + (neededBytes - done) / rate;
    done += rate * (change.atMs - atMs);
    atMs = change.atMs;
    rate += change.deltaBytesPerMs;
  }
  return rate > 0 ? atMs + Math.max(0, neededBytes - done) / rate : Infinity;
}
