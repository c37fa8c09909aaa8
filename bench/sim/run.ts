// `npm run sim`: runs the scenarios of issue 22 (docs/simulation.md) and prints their table; the
// figures go to bench/results/sim-latest.json, each scenario's as soon as it ends. `--quick` runs only
// the scenarios of 100 peers or fewer; `--only TEXT` (repeatable) runs the scenarios whose name
// contains one of the texts; `--seed N` runs them from another seed; `--trace MS` prints uplink use and progress every MS simulated ms (trace.ts).
// Exits non-zero if any invariant broke.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resultsNotes, resultsTable, targets } from './report-table';
import { runScenario } from './runner';
import { standardScenarios } from './scenarios';
import type { ScenarioResult } from './summary';

/** Where the figures are written, from the package root (git-ignored, beside the other benches' results). */
const resultsDir = 'bench/results';
const resultsPath = `${resultsDir}/sim-latest.json`;

/** Adds one scenario's figures to the results file, replacing its earlier ones and keeping the others'. */
function saveResult(result: ScenarioResult): void {
  mkdirSync(resultsDir, { recursive: true });
  const earlier = existsSync(resultsPath) ? ((JSON.parse(readFileSync(resultsPath, 'utf8')) as { results?: ScenarioResult[] }).results ?? []) : [];
  const kept = earlier.filter((old) => old.name !== result.name);
  writeFileSync(resultsPath, `${JSON.stringify({ measuredAt: new Date().toISOString(), targets, results: [...kept, result] }, null, 2)}\n`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const only = args.flatMap((arg, i) => (arg === '--only' ? [args[i + 1] ?? ''] : []));
  const traceAt = args.indexOf('--trace');
  const traceEveryMs = traceAt >= 0 ? Number(args[traceAt + 1] ?? 'NaN') : null;
  if (traceEveryMs !== null && !(traceEveryMs > 0)) throw new Error('--trace takes a period in simulated milliseconds, such as --trace 2500');
  const seedAt = args.indexOf('--seed');
  const seed = seedAt >= 0 ? Number(args[seedAt + 1] ?? 'NaN') : null;
  if (seed !== null && !Number.isSafeInteger(seed)) throw new Error('--seed takes a whole number, such as --seed 7');
  const scenarios = standardScenarios({ large: !args.includes('--quick') })
    .filter((s) => only.length === 0 || only.some((text) => s.name.includes(text)))
    .map((s) => (seed === null ? s : { ...s, seed }));
  const results: ScenarioResult[] = [];
  for (const scenario of scenarios) {
    console.log(`${scenario.name}…`);
    const result = await runScenario(scenario, (line) => console.log(line), traceEveryMs);
    results.push(result);
    console.log(`  T/T* ${result.ratio.toFixed(2)}, sharer sent ${result.sharerUploadedCopies.toFixed(2)} × F, duplicates ${result.duplicatePercent.toFixed(1)} % (${result.cancelledPercent.toFixed(1)} % cancelled), ${result.wallSeconds.toFixed(0)} s wall`);
    for (const violation of result.violations) console.log(`  BROKEN: ${violation}`);
    saveResult(result);
  }
  console.log(`\n${resultsTable(results)}\n`);
  for (const note of resultsNotes(results)) console.log(`- ${note}`);
  console.log(`\nwritten to ${resultsPath}`);
  if (results.some((r) => r.violations.length > 0)) process.exitCode = 1;
}

await main();
