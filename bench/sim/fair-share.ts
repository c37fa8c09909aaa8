// Max-min fair rates by progressive filling: every flow crosses two resources (its sender's uplink and
// its receiver's downlink); all rates rise together, and a resource that fills freezes the flows
// through it at that level, leaving its capacity's rest to the others. A heap finds the next resource
// to fill, so one allocation costs O((flows + resources) log resources).
import { createMinHeap } from './min-heap';

/** One flow: the index of the resource it sends through, and of the one it arrives through. */
export interface FairFlow {
  readonly up: number;
  readonly down: number;
}

interface Bottleneck {
  readonly level: number;
  readonly resource: number;
  /** The resource's version when pushed: a stale entry is skipped. */
  readonly version: number;
}

/** Rates (in capacity units) of each flow, max-min fair under `capacities` (indexed by resource). */
export function maxMinRates(capacities: readonly number[], flows: readonly FairFlow[]): Float64Array {
  const rates = new Float64Array(flows.length);
  const remaining = Float64Array.from(capacities);
  const unfrozen = new Int32Array(capacities.length);
  const version = new Int32Array(capacities.length);
  const through: number[][] = capacities.map(() => []);
  flows.forEach((flow, f) => {
    for (const r of [flow.up, flow.down]) {
      unfrozen[r] = (unfrozen[r] ?? 0) + 1;
      through[r]?.push(f);
    }
  });
  const frozen = new Uint8Array(flows.length);
  const heap = createMinHeap<Bottleneck>((a, b) => a.level < b.level);
  const offer = (r: number): void => {
    const count = unfrozen[r] ?? 0;
    if (count > 0) heap.push({ level: Math.max(0, remaining[r] ?? 0) / count, resource: r, version: version[r] ?? 0 });
  };
  for (let r = 0; r < capacities.length; r++) offer(r);
  for (let next = heap.pop(); next !== undefined; next = heap.pop()) {
    const r = next.resource;
    if (next.version !== version[r] || unfrozen[r] === 0) continue;
    for (const f of through[r] ?? []) {
      if (frozen[f]) continue;
      frozen[f] = 1;
      rates[f] = next.level;
      const flow = flows[f] as FairFlow;
      const other = flow.up === r ? flow.down : flow.up;
      for (const touched of [flow.up, flow.down]) {
        remaining[touched] = (remaining[touched] ?? 0) - next.level;
        unfrozen[touched] = (unfrozen[touched] ?? 0) - 1;
      }
      version[other] = (version[other] ?? 0) + 1;
      offer(other);
    }
    version[r] = (version[r] ?? 0) + 1;
  }
  return rates;
}
