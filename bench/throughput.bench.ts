// `npm run bench`: Chromium's raw data-channel throughput on this machine, then Swarmdrop's for a 256 MiB
// file, printed side by side with their ratio and written to bench/results/latest.json. A benchmark, not a
// test: it asserts no timings and fails only if a transfer fails or delivers wrong bytes.
import { cpus } from 'node:os';
import { test } from '@playwright/test';
import { noisyOtherCores, type CpuUse } from './cpu';
import { noiseWarning, updateResults } from './report';
import { measureRawChannel, rawMessageBytes, rawRuns, rawTransferBytes } from './raw-channel';
import { measureSwarmdrop, swarmdropFileBytes } from './swarmdrop';


/** Characters of the label column: wide enough for the longest label. */
const labelWidth = 48;

const row = (label: string, value: string): string => `${label.padEnd(labelWidth)}${value}`;
const mbps = (value: number): string => `${value.toFixed(1).padStart(6)} MB/s`;
/** Browser CPU ms per MB (10^6 bytes), in total and by process type, largest first. */
const cpuPerMB = (cpu: CpuUse, bytes: number): string => {
  const perMB = (ms: number): string => (ms / (bytes / 1e6)).toFixed(0);
  const parts = Object.entries(cpu.browserMsByType)
    .filter(([, ms]) => perMB(ms) !== '0')
    .sort((x, y) => y[1] - x[1]);
  return `${perMB(cpu.browserMs).padStart(6)} ms  (${parts.map(([type, ms]) => `${type} ${perMB(ms)}`).join(', ')})`;
};

test('throughput: raw RTCDataChannel vs Swarmdrop', async ({ browser }) => {
  const startedMs = Date.now();
  const raw = await measureRawChannel(browser);
  const swarmdrop = await measureSwarmdrop(browser);
  const ratio = swarmdrop.MBps / raw.median;
  const totalSeconds = (Date.now() - startedMs) / 1000;
  const noisy = Math.max(raw.cpu.otherCores, swarmdrop.cpu.otherCores) > noisyOtherCores;

  console.log(
    [
      '',
      `Chromium ${browser.version()}, ${cpus().length} cores, MB = 10^6 bytes`,
      row(`raw RTCDataChannel (${rawMessageBytes / 1024} KiB msgs, median of ${rawRuns})`, `${mbps(raw.median)}  [${raw.min.toFixed(1)}–${raw.max.toFixed(1)}]`),
      row(`Swarmdrop ${swarmdropFileBytes / 2 ** 20} MiB (verified, stored)`, `${mbps(swarmdrop.MBps)}  (${swarmdrop.transferSeconds.toFixed(2)} s)`),
      row('ratio Swarmdrop / raw', `${ratio.toFixed(2).padStart(6)}`),
      row('browser CPU per MB, raw', cpuPerMB(raw.cpu, rawRuns * rawTransferBytes)),
      row('browser CPU per MB, Swarmdrop', cpuPerMB(swarmdrop.cpu, swarmdropFileBytes)),
      row('  friend: navigation to item row', `${swarmdrop.connectSeconds.toFixed(2).padStart(6)} s`),
      row('  sharer: drop to item complete (hash)', `${swarmdrop.sharerHashSeconds.toFixed(2).padStart(6)} s`),
      row('  whole bench (excl. build, launch)', `${totalSeconds.toFixed(1).padStart(6)} s`),
      row('  other processes\' CPU (raw, Swarmdrop)', `${raw.cpu.otherCores.toFixed(2).padStart(6)}, ${swarmdrop.cpu.otherCores.toFixed(2)} cores`),
      ...noiseWarning(noisy),
      '',
    ].join('\n'),
  );

  const results = {
    date: new Date(startedMs).toISOString(),
    chromium: browser.version(),
    cores: cpus().length,
    unit: 'MB/s, MB = 10^6 bytes',
    raw: { transferBytes: rawTransferBytes, messageBytes: rawMessageBytes, ...raw },
    swarmdrop: { fileBytes: swarmdropFileBytes, ...swarmdrop },
    ratio,
    noisy,
    totalSeconds,
  };
  // Kept beside the many-items figures (many-items.bench.ts) that share this file.
  updateResults('latest.json', results);
});
