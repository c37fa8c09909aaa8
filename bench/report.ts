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

/** A results file's top-level fields ({} when it is missing or not an object). */
export function readResults(fileName: string): Record<string, unknown> {
  const path = `${resultsDir}${fileName}`;
  const read: unknown = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {};
  return typeof read === 'object' && read !== null && !Array.isArray(read) ? (read as Record<string, unknown>) : {};
}

/** Sets some top-level fields of a results file, keeping the fields other benches wrote there. */
export function updateResults(fileName: string, fields: Record<string, unknown>): void {
  writeResults(fileName, JSON.stringify({ ...readResults(fileName), ...fields }, null, 2));
}
