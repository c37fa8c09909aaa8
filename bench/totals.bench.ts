// `npm run bench`, last part: the speed table of issue 14 from what the benches before it wrote to
// bench/results/ (they run in file order; this file sorts after throughput.bench.ts). Each figure beside
// its target and the raw limit it is held against, with a flag when a figure is missing or older than
// this run (e.g. a single bench was run). Written to latest.json under `speedTable`.
import { test } from '@playwright/test';
import { readResults, updateResults } from './report';

/** Figures older than this (ms) are from an earlier run: `npm run bench` takes ~15 min here. */
const sameRunMs = 60 * 60 * 1000;

const field = (json: unknown, ...path: (string | number)[]): unknown =>
  path.reduce<unknown>((at, key) => (typeof at === 'object' && at !== null ? (at as Record<string | number, unknown>)[key] : undefined), json);
const num = (json: unknown, ...path: (string | number)[]): number | null => {
  const value = field(json, ...path);
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
};

interface Line {
  readonly figure: string;
  readonly value: number | null;
  readonly shown: string;
  readonly target: string;
  readonly met: boolean | null;
  readonly date: unknown;
}

test('issue 14 speed table, from this run', () => {
  const latest = readResults('latest.json');
  const memory = readResults('latest-memory.json');
  const pairRatio = num(latest, 'ratio');
  const rawCpu = num(latest, 'raw', 'cpu', 'browserMs');
  const rawBytes = num(latest, 'raw', 'transferBytes');
  const ourCpu = num(latest, 'swarmdrop', 'cpu', 'browserMs');
  const ourBytes = num(latest, 'swarmdrop', 'fileBytes');
  const rawRuns = (field(latest, 'raw', 'runsMBps') as unknown[] | undefined)?.length ?? null;
  const cpuRatio = rawCpu && rawBytes && ourCpu && ourBytes && rawRuns ? ourCpu / ourBytes / (rawCpu / (rawBytes * rawRuns)) : null;
  const big = num(latest, 'swarm256', 'allDoneSeconds');
  const floor = num(latest, 'swarm256', 'floorSeconds');
  const mesh = num(latest, 'swarm256', 'rawMeshSeconds');
  const persistent = num(memory, 'MBps');
  const inMemory = num(latest, 'swarmdrop', 'MBps');
  const persistentRatio = persistent && inMemory ? persistent / inMemory : null;
  // Two persistent profiles are two browsers: their raw channel is the fairer limit (two contexts of one browser share a network process).
  const persistentRaw = num(memory, 'raw', 'MBps');
  const persistentToRaw = persistent && persistentRaw ? `; ${(persistent / persistentRaw).toFixed(2)}× raw between those browsers` : '';
  const rows = field(latest, 'swarmScale', 'rows') as unknown[] | undefined;
  const eight = rows?.find((row) => num(row, 'peers') === 8);
  const sharerSent = num(eight, 'sharerSentFiles');
  const engineRatios = ['haveRatio', 'rejectRatio', 'requestRatio', 'dataRatio'].map((key) => num(latest, 'engineFlood', key));
  const engineWorst = engineRatios.every((r) => r !== null) ? Math.max(...(engineRatios as number[])) : null;
  const at = (value: number | null, test: (v: number) => boolean): boolean | null => (value === null ? null : test(value));
  const lines: Line[] = [
    { figure: 'pair, verified and stored, vs raw data channel', value: pairRatio, shown: `${pairRatio?.toFixed(2)}×`, target: '≥ 0.92×', met: at(pairRatio, (v) => v >= 0.92), date: field(latest, 'date') },
    { figure: 'browser CPU per MB, Swarmdrop / raw', value: cpuRatio, shown: `${cpuRatio?.toFixed(2)}×`, target: '≤ 1.10×', met: at(cpuRatio, (v) => v <= 1.1), date: field(latest, 'date') },
    { figure: '1 sharer + 3 downloaders, 256 MiB, all done', value: big, shown: `${big?.toFixed(1)} s (CPU floor ${floor?.toFixed(1)} s, raw mesh ${mesh?.toFixed(1) ?? '–'} s)`, target: '≤ 20 s', met: at(big, (v) => v <= 20), date: field(latest, 'swarm256', 'date') },
    { figure: '1 GiB on persistent profiles vs the in-memory pair', value: persistentRatio, shown: `${persistentRatio?.toFixed(2)}× (${persistent?.toFixed(1)} / ${inMemory?.toFixed(1)} MB/s)${persistentToRaw}`, target: '≥ 0.85×', met: at(persistentRatio, (v) => v >= 0.85), date: field(memory, 'date') },
    { figure: 'swarm of 8, 64 MiB: what the sharer sent', value: sharerSent, shown: `${sharerSent?.toFixed(2)}× the file`, target: '≤ 1.3×', met: at(sharerSent, (v) => v <= 1.3), date: field(latest, 'swarmScale', 'date') },
    { figure: 'engine time per message, 100k / 1k chunks (worst kind)', value: engineWorst, shown: `${engineWorst?.toFixed(2)}×`, target: '≤ 2×', met: at(engineWorst, (v) => v <= 2), date: field(latest, 'engineFlood', 'date') },
  ];
  const stale = (date: unknown): boolean => typeof date !== 'string' || Date.now() - Date.parse(date) > sameRunMs;
  console.log(
    [
      '',
      'issue 14 speed table (ratios measured in the same bench run as their raw figure)',
      ...lines.map((line) =>
        line.value === null
          ? `${line.figure.padEnd(58)}not measured`
          : `${line.figure.padEnd(58)}${line.shown.padEnd(62)}target ${line.target.padEnd(8)} ${line.met ? 'met' : 'NOT met'}${stale(line.date) ? '   (from an earlier run)' : ''}`,
      ),
      '',
    ].join('\n'),
  );
  updateResults('latest.json', { speedTable: { date: new Date().toISOString(), lines: lines.map(({ figure, value, target, met, date }) => ({ figure, value, target, met, measured: date })) } });
});
