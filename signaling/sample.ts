// Drawing a random sample: which members of a big room a room-wide message reaches (limits.ts,
// maxBroadcastRecipients). Pure, so the relay and the simulator's relay (bench/sim) draw alike.

/**
 * `count` distinct indices out of `0 … size - 1`, each set of that many equally likely (Floyd's
 * algorithm: `count` draws and a set, whatever `size` is). Every index when `count ≥ size`; none when
 * `count ≤ 0`. A `random` that strays outside [0, 1) (or NaN) counts as 0 rather than being trusted.
 */
export function drawDistinct(size: number, count: number, random: () => number): number[] {
  const n = Math.max(0, Math.floor(size));
  const k = Math.min(n, Math.max(0, Math.floor(count)));
  if (k === n) return Array.from({ length: n }, (_, i) => i);
  const chosen = new Set<number>();
  for (let top = n - k; top < n; top++) {
    const r = random();
    const drawn = r >= 0 && r < 1 ? Math.floor(r * (top + 1)) : 0;
    chosen.add(chosen.has(drawn) ? top : drawn);
  }
  return [...chosen];
}
