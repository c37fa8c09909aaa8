// `npm run bench`, swarm part: with the sharer's upload capped, the time for 1, 2 and 4 downloaders to all
// finish and its ratio to one downloader's time, against the target (4 within 1.5× of 1; client-server: 4×).
// Written to bench/results/latest-swarm.json. A benchmark, not a test: it prints whether the target is met
// but fails only if a transfer fails or a saved copy has wrong bytes.
import { cpus } from 'node:os';
import { test } from '@playwright/test';
import { noisyOtherCores } from './cpu';
import { noiseWarning, writeResults } from './report';
import { measureSwarm, swarmTargetRatio, swarmUploadLimit, type SwarmRound } from './swarm';


const mb = (bytes: number): string => (bytes / 1e6).toFixed(1);
const seconds = (s: number): string => `${s.toFixed(1)} s`;
/** Who served a downloader: MB from the sharer + MB from other downloaders. */
const sources = (round: SwarmRound): string =>
  round.fromSharerBytes.map((fromSharer, i) => `${mb(fromSharer)}+${mb(round.fromPeersBytes[i] ?? NaN)}`).join(' ');

test('swarm: capped sharer, 1 / 2 / 4 downloaders', async ({ browser }) => {
  const startedMs = Date.now();
  const swarm = await measureSwarm(browser);
  const totalSeconds = (Date.now() - startedMs) / 1000;
  const one = swarm.rounds[0]?.allDoneSeconds ?? NaN;
  const rows = swarm.rounds.map((round) => ({ ...round, vsOne: round.allDoneSeconds / one }));
  const largest = rows[rows.length - 1];
  const met = largest !== undefined && largest.vsOne <= swarmTargetRatio;
  const otherCores = Math.max(...rows.map((r) => r.cpu.otherCores));
  const noisy = otherCores > noisyOtherCores;

  console.log(
    [
      '',
      `swarm, sharer capped at ${mb(swarmUploadLimit)} MB/s, ${mb(swarm.fileBytes)} MB file (file / cap = ${seconds(swarm.fileBytes / swarmUploadLimit)}), Chromium ${browser.version()}, ${cpus().length} cores`,
      'downloaders  all done   vs 1   each (s)              sharer sent (at cap)   browser CPU  MB from sharer+peers, per downloader',
      ...rows.map((r) =>
        [
          String(r.downloaders).padEnd(13),
          seconds(r.allDoneSeconds).padStart(7),
          r.vsOne.toFixed(2).padStart(7),
          '   ',
          r.eachSeconds.map((s) => s.toFixed(1)).join(' ').padEnd(22),
          `${(r.sharerUploadedBytes / swarm.fileBytes).toFixed(2)}× file (${seconds(r.sharerUploadedBytes / swarmUploadLimit)})`.padEnd(23),
          `${r.browserCores.toFixed(2)} cores`.padStart(11),
          `  ${sources(r)}`,
          r === largest ? `   (target ≤ ${swarmTargetRatio}: ${met ? 'met' : 'NOT met'})` : '',
        ].join(''),
      ),
      `starts spread over ${rows.map((r) => r.startSpreadMs.toFixed(0)).join(', ')} ms; whole swarm bench ${seconds(totalSeconds)}; other processes' CPU up to ${otherCores.toFixed(2)} cores`,
      ...noiseWarning(noisy),
      '',
    ].join('\n'),
  );

  const results = {
    date: new Date(startedMs).toISOString(),
    chromium: browser.version(),
    cores: cpus().length,
    unit: 'seconds; bytes; MB = 10^6 bytes',
    uploadLimitBytesPerSecond: swarmUploadLimit,
    fileBytes: swarm.fileBytes,
    targetRatio: swarmTargetRatio,
    rounds: rows,
    targetMet: met,
    noisy,
    totalSeconds,
  };
  writeResults('latest-swarm.json', JSON.stringify(results, null, 2));
});
