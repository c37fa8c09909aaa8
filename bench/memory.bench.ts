// `npm run bench`, memory part: a 1 GiB file from one browser to another (on-disk IndexedDB) and saved; the
// peak JS heap of the receiving page against the target (under 150 MB), and the browsers' RSS, by phase.
// Written to bench/results/latest-memory.json. A benchmark, not a test: it prints whether the target is met
// but fails only if the transfer fails or the saved file has wrong bytes.
import { cpus } from 'node:os';
import { test } from '@playwright/test';
import { noisyOtherCores, type CpuUse } from './cpu';
import { noiseWarning, writeResults } from './report';
import { sampleEveryMs } from './memory-sampler';
import { measureMemory, memoryFileBytes } from './memory';
import { rawTransferBytes } from './raw-channel';


/** Target for the receiving page's JS heap (V8 heap in use) with a 1 GiB file, in bytes (issue 4). */
const heapTargetBytes = 150e6;
/** Phases in the order they happen: sharer hashes the file, receiver downloads it, receiver saves it. */
const phases = ['hash', 'transfer', 'save'] as const;

const mb = (bytes: number | undefined): string => (bytes === undefined ? '–' : `${(bytes / 1e6).toFixed(0)} MB`).padStart(10);
/** Browser CPU ms per MB by process type, largest first. */
const cpuByType = (cpu: CpuUse): string =>
  Object.entries(cpu.browserMsByType)
    .sort((x, y) => y[1] - x[1])
    .map(([type, ms]) => `${type} ${(ms / (memoryFileBytes / 1e6)).toFixed(0)}`)
    .filter((part) => !part.endsWith(' 0'))
    .join(', ');
const seconds = (s: number): string => `${s.toFixed(1)} s`.padStart(10);

test('memory: 1 GiB transfer and save, peak JS heap and RSS', async () => {
  const startedMs = Date.now();
  const run = await measureMemory();
  const totalSeconds = (Date.now() - startedMs) / 1000;
  const peak = (metric: keyof (typeof run.peaks)[string], among: readonly string[] = phases): number =>
    Math.max(...among.map((phase) => run.peaks[phase]?.[metric] ?? 0));
  const receiverHeap = peak('receiverHeap', ['transfer', 'save']);
  const met = receiverHeap < heapTargetBytes;
  const noisy = run.cpu.otherCores > noisyOtherCores;
  /** Both browsers together at their highest moment (not the sum of each one's peak). */
  const browsersRss = Math.max(...run.samples.map((s) => s.receiverBrowserRss + s.sharerBrowserRss));
  const browsersPss = Math.max(...run.samples.map((s) => s.receiverBrowserPss + s.sharerBrowserPss));
  const line = (label: string, metric: keyof (typeof run.peaks)[string]): string =>
    `${label.padEnd(44)}${phases.map((phase) => mb(run.peaks[phase]?.[metric])).join('')}`;

  console.log(
    [
      '',
      `memory, ${memoryFileBytes / 2 ** 20} MiB file, two persistent Chromium ${run.chromium}, ${cpus().length} cores, MB = 10^6 bytes, sampled every ${sampleEveryMs} ms`,
      `${'sharer: drop to item complete (hash)'.padEnd(44)}${seconds(run.sharerHashSeconds)}`,
      `${'receiver: item row to complete (transfer)'.padEnd(44)}${seconds(run.transferSeconds)}  ${run.MBps.toFixed(1)} MB/s`,
      `${'  browser CPU per MB (both browsers)'.padEnd(44)}${`${(run.cpu.browserMs / (memoryFileBytes / 1e6)).toFixed(0)} ms`.padStart(10)}  (${cpuByType(run.cpu)})`,
      `${'raw data channel between these two browsers'.padEnd(44)}${`${run.raw.MBps.toFixed(1)} MB/s`.padStart(10)}  transfer / raw ${(run.MBps / run.raw.MBps).toFixed(2)}×, raw CPU per MB ${(run.raw.cpu.browserMs / (rawTransferBytes / 1e6)).toFixed(0)} ms`,
      `${'  other processes\' CPU meanwhile'.padEnd(44)}${`${run.cpu.otherCores.toFixed(2)} cores`.padStart(10)}`,
      `${'receiver: Save click to download written'.padEnd(44)}${seconds(run.saveSeconds)}`,
      `${'peaks by phase'.padEnd(44)}${phases.map((p) => p.padStart(10)).join('')}`,
      line('receiver JS heap (V8, used)', 'receiverHeap'),
      line('receiver ArrayBuffers (outside the heap)', 'receiverBuffers'),
      line('sharer JS heap (V8, used)', 'sharerHeap'),
      line('sharer ArrayBuffers', 'sharerBuffers'),
      line('receiver renderer RSS', 'receiverRendererRss'),
      line('receiver renderer PSS', 'receiverRendererPss'),
      line('receiver browser RSS (sum of its processes)', 'receiverBrowserRss'),
      line('receiver browser PSS (shared pages split)', 'receiverBrowserPss'),
      line('sharer browser RSS', 'sharerBrowserRss'),
      line('sharer browser PSS', 'sharerBrowserPss'),
      `${'both browsers, peak of the sum: RSS / PSS'.padEnd(44)}${mb(browsersRss)}${mb(browsersPss)}`,
      `target: receiver JS heap < ${mb(heapTargetBytes).trim()} through transfer and save: ${met ? 'met' : 'NOT met'} (peak ${mb(receiverHeap).trim()})`,
      `whole memory bench ${totalSeconds.toFixed(0)} s (writing the source file ${run.writeSourceSeconds.toFixed(1)} s)` +
        (run.failedSamples > 0 ? `; ${run.failedSamples} samples failed` : ''),
      ...noiseWarning(noisy),
      '',
    ].join('\n'),
  );

  const { samples, ...figures } = run;
  const results = {
    date: new Date(startedMs).toISOString(),
    cores: cpus().length,
    unit: 'seconds; bytes; MB = 10^6 bytes',
    fileBytes: memoryFileBytes,
    heapTargetBytes,
    targetMet: met,
    noisy,
    receiverHeapPeak: receiverHeap,
    browsersRssPeak: browsersRss,
    browsersPssPeak: browsersPss,
    ...figures,
    totalSeconds,
    sampleEveryMs,
    // Columns of the samples, to plot where memory goes.
    sampleColumns: Object.keys(samples[0] ?? {}),
    samples: samples.map((s) => Object.values(s)),
  };
  writeResults('latest-memory.json', JSON.stringify(results));
});
