// Max-min fair rates, as a table: each case names its resources' capacities and its flows.
import { describe, expect, it } from 'vitest';
import { maxMinRates, type FairFlow } from './fair-share';

describe('maxMinRates', () => {
  const cases: { name: string; capacities: number[]; flows: FairFlow[]; rates: number[] }[] = [
    { name: 'one flow takes the smaller of its two ends', capacities: [10, 4], flows: [{ up: 0, down: 1 }], rates: [4] },
    { name: 'two flows on one uplink get half each', capacities: [10, 100, 100], flows: [{ up: 0, down: 1 }, { up: 0, down: 2 }], rates: [5, 5] },
    {
      name: "a flow held by its receiver's downlink leaves the rest of the uplink to the other",
      capacities: [10, 2, 100],
      flows: [{ up: 0, down: 1 }, { up: 0, down: 2 }],
      rates: [2, 8],
    },
    {
      name: "a flow held by its sender's uplink leaves the rest of the downlink to the other",
      capacities: [1, 100, 100],
      flows: [{ up: 0, down: 2 }, { up: 1, down: 2 }],
      rates: [1, 99],
    },
    {
      name: 'three senders into one downlink share it equally when none is held elsewhere',
      capacities: [50, 50, 50, 30],
      flows: [{ up: 0, down: 3 }, { up: 1, down: 3 }, { up: 2, down: 3 }],
      rates: [10, 10, 10],
    },
    { name: 'no flows, no rates', capacities: [5, 5], flows: [], rates: [] },
  ];
  it.each(cases)('$name', ({ capacities, flows, rates }) => {
    const got = [...maxMinRates(capacities, flows)];
    expect(got.map((r) => Math.round(r * 1e9) / 1e9)).toEqual(rates);
  });

  it('never gives a resource more than its capacity, in a random mesh', () => {
    const capacities = Array.from({ length: 40 }, (_, i) => 1 + ((i * 37) % 11));
    const flows = Array.from({ length: 200 }, (_, i) => ({ up: 2 * (i % 20), down: 2 * ((i * 7 + 3) % 20) + 1 }));
    const rates = maxMinRates(capacities, flows);
    const used = capacities.map(() => 0);
    flows.forEach((f, i) => {
      used[f.up] = (used[f.up] ?? 0) + (rates[i] ?? 0);
      used[f.down] = (used[f.down] ?? 0) + (rates[i] ?? 0);
    });
    used.forEach((u, r) => expect(u).toBeLessThanOrEqual((capacities[r] ?? 0) + 1e-9));
    // Max-min: every flow is held by a resource that is full.
    flows.forEach((f) => expect(Math.min((capacities[f.up] ?? 0) - (used[f.up] ?? 0), (capacities[f.down] ?? 0) - (used[f.down] ?? 0))).toBeLessThan(1e-9));
  });
});
