// What every bench report shares: the noise warning and where results are written.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { noisyOtherCores } from './cpu';

/** Where each bench writes its figures (git-ignored). */
const resultsDir = fileURLToPath(new URL('./results/', import.meta.url));

/** The report line warning that other processes disturbed the figures, when they did. */
export function noiseWarning(noisy: boolean): string[] {
  return noisy ? [`warning: other processes used over ${noisyOtherCores} cores meanwhile; these figures are disturbed, re-run on a quiet machine`] : [];
}

/** Writes a results file (JSON text) into bench/results/. */
export function writeResults(fileName: string, json: string): void {
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(`${resultsDir}${fileName}`, `${json}\n`);
}

/** Sets some top-level fields of a results file, keeping the fields other benches wrote there. */
export function updateResults(fileName: string, fields: Record<string, unknown>): void {
  const path = `${resultsDir}${fileName}`;
  const before: unknown = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {};
  const kept = typeof before === 'object' && before !== null && !Array.isArray(before) ? before : {};
  writeResults(fileName, JSON.stringify({ ...kept, ...fields }, null, 2));
}
