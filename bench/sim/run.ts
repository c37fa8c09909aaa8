// `npm run sim`: runs the scenarios of issue 22 (docs/simulation.md) and prints their table; the
// figures go to bench/results/sim-latest.json. `--quick` runs only the 100-peer scenarios; `--only
// TEXT` runs the scenarios whose name contains TEXT. Exits non-zero if any invariant broke.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resultsNotes, resultsTable, targets } from './report-table';
import { runScenario } from './runner';
import { standardScenarios } from './scenarios';
import type { ScenarioResult } from './summary';

/** Where the figures are written, from the package root (git-ignored, beside the other benches' results). */
const resultsDir = 'bench/results';
const resultsPath = `${resultsDir}/sim-latest.json`;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const onlyAt = args.indexOf('--only');
  const only = onlyAt >= 0 ? (args[onlyAt + 1] ?? '') : null;
  const scenarios = standardScenarios({ large: !args.includes('--quick') }).filter((s) => only === null || s.name.includes(only));
  const results: ScenarioResult[] = [];
  for (const scenario of scenarios) {
    console.log(`${scenario.name}…`);
    const result = await runScenario(scenario, (line) => console.log(line));
    results.push(result);
    console.log(`  T/T* ${result.ratio.toFixed(2)}, sharer sent ${result.sharerUploadedCopies.toFixed(2)} × F, duplicates ${result.duplicatePercent.toFixed(1)} %, ${result.wallSeconds.toFixed(0)} s wall`);
    for (const violation of result.violations) console.log(`  BROKEN: ${violation}`);
  }
  console.log(`\n${resultsTable(results)}\n`);
  for (const note of resultsNotes(results)) console.log(`- ${note}`);
  mkdirSync(resultsDir, { recursive: true });
  // Scenarios run now replace their earlier figures; the others' stay (runs may be split with --only).
  const earlier = existsSync(resultsPath) ? ((JSON.parse(readFileSync(resultsPath, 'utf8')) as { results?: ScenarioResult[] }).results ?? []) : [];
  const kept = earlier.filter((old) => !results.some((r) => r.name === old.name));
  writeFileSync(resultsPath, `${JSON.stringify({ measuredAt: new Date().toISOString(), targets, results: [...kept, ...results] }, null, 2)}\n`);
  console.log(`\nwritten to ${resultsPath}`);
  if (results.some((r) => r.violations.length > 0)) process.exitCode = 1;
}

await main();
