// The simulator end to end, small: the real engines and room connectors over modelled links, a flash
// crowd of 20 peers, must hold every invariant, and a run must repeat exactly from its seed.
import { describe, expect, it } from 'vitest';
import { runScenario } from './runner';
import { standardScenarios, type Scenario } from './scenarios';
import type { ScenarioResult } from './summary';

const mib = 1024 * 1024;

/** A flash crowd of `downloaders` sharing a file of `fileMiB`, unscaled (the engine's byte-rate rules see real rates). */
const small = (downloaders: number, fileMiB: number): Scenario => ({
  ...(standardScenarios({ large: false }).find((s) => s.name === 'flash crowd, 100 peers') as Scenario),
  name: `flash crowd of ${downloaders}`,
  downloaders,
  fileBytes: fileMiB * mib,
  scale: 1,
  maxMs: 10 * 60_000,
});

/** A result without its wall time (the only figure that may differ between runs). */
const simulated = (result: ScenarioResult): Omit<ScenarioResult, 'wallSeconds'> => {
  const { wallSeconds: _wall, ...rest } = result;
  return rest;
};

describe('swarm simulation', () => {
  it('completes a flash crowd of 20 with every invariant held', async () => {
    const result = await runScenario(small(20, 4));
    expect(result.violations).toEqual([]);
    expect(result.stayed).toBe(20);
    expect(result.completeSeconds).toBeGreaterThanOrEqual(result.boundSeconds);
    // A loose sanity bound only, against a broken model (a link that never moves makes it infinite): the
    // targets (T/T* ≤ 1.3) live in the sim's table. Today's engine measured 7–11× on files this small.
    expect(result.ratio).toBeLessThan(15);
    expect(result.sharerUploadedCopies).toBeGreaterThanOrEqual(1);
    expect(result.firstPieceSeconds.max).toBeLessThan(result.completeSeconds);
  }, 120_000);

  it('repeats a run exactly from its seed', async () => {
    const first = await runScenario(small(4, 2));
    const second = await runScenario(small(4, 2));
    expect(simulated(second)).toEqual(simulated(first));
  }, 120_000);
});
