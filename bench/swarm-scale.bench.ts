// `npm run bench`, swarm scale part (issue 14): swarms of 2, 4 and 8 peers (one sharer, the rest
// downloaders) of one 64 MiB file, nobody capped, so the machine sets the pace. Prints the aggregate
// rate (bytes delivered to all downloaders per second), browser CPU per MB delivered, and how much the
// sharer sent (target: at most 1.3× the file at 8 peers: the downloaders pass the rest among themselves).
// Written to bench/results/latest.json under `swarmScale`. A benchmark: it fails only if a copy is wrong.
import { cpus } from 'node:os';
import { test } from '@playwright/test';
import { noisyOtherCores } from './cpu';
import { noiseWarning, updateResults } from './report';
import { measureSwarm } from './swarm';

/** The file: 64 MiB, as the issue sets it. */
const scaleFileBytes = 64 * 1024 * 1024;
/** Downloaders per round: swarms of 2, 4 and 8 peers with the sharer. */
const scaleDownloaders = [1, 3, 7] as const;
/** The target at 8 peers: the sharer sends at most this many times the file. */
const sharerSendTarget = 1.3;

test('swarm scale: 2, 4 and 8 peers, 64 MiB, uncapped', async ({ browser }) => {
  const startedMs = Date.now();
  const swarm = await measureSwarm(browser, { uploadLimit: null, fileBytes: scaleFileBytes, sizes: scaleDownloaders });
  const rows = swarm.rounds.map((round) => {
    const deliveredMB = (round.downloaders * swarm.fileBytes) / 1e6;
    return {
      peers: round.downloaders + 1,
      allDoneSeconds: round.allDoneSeconds,
      aggregateMBps: deliveredMB / round.allDoneSeconds,
      cpuMsPerMB: round.cpu.browserMs / deliveredMB,
      browserCores: round.browserCores,
      sharerSentFiles: round.sharerUploadedBytes / swarm.fileBytes,
      otherCores: round.cpu.otherCores,
    };
  });
  const largest = rows.at(-1);
  const met = largest !== undefined && largest.sharerSentFiles <= sharerSendTarget;
  const noisy = Math.max(...rows.map((row) => row.otherCores)) > noisyOtherCores;
  console.log(
    [
      '',
      `swarm scale, ${(swarm.fileBytes / 2 ** 20).toFixed(0)} MiB, sharer uncapped, Chromium ${browser.version()}, ${cpus().length} cores, MB = 10^6 bytes`,
      'peers   all done   aggregate     CPU per MB   browser cores   sharer sent',
      ...rows.map((row) =>
        [
          String(row.peers).padEnd(8),
          `${row.allDoneSeconds.toFixed(1)} s`.padStart(8),
          `${row.aggregateMBps.toFixed(1)} MB/s`.padStart(12),
          `${row.cpuMsPerMB.toFixed(0)} ms`.padStart(13),
          row.browserCores.toFixed(2).padStart(16),
          `${row.sharerSentFiles.toFixed(2)}× file`.padStart(14),
          row === largest ? `   (target ≤ ${sharerSendTarget}×: ${met ? 'met' : 'NOT met'})` : '',
        ].join(''),
      ),
      `whole bench ${((Date.now() - startedMs) / 1000).toFixed(1)} s`,
      ...noiseWarning(noisy),
      '',
    ].join('\n'),
  );
  updateResults('latest.json', {
    swarmScale: { date: new Date(startedMs).toISOString(), unit: 'seconds; MB/s and ms per MB delivered, MB = 10^6 bytes', fileBytes: swarm.fileBytes, rows, sharerSendTarget, met, noisy },
  });
});
