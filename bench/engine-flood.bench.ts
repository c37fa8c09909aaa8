// `npm run bench`, engine part (issue 11): a `have`/`reject` flood against an item of 1k, 10k and 100k
// chunks, in µs per message. Target: flat as the item grows (100k within 2x of 1k). Written to
// bench/results/latest.json under `engineFlood`. Runs in Node, no browser.
import { test } from '@playwright/test';
import { floodChunkCounts, measureFlood, type FloodCost } from './engine-flood';
import { updateResults } from './report';

/** Growth allowed from the smallest to the largest item: the "flat". */
const flatRatio = 2;

test('engine: have/reject flood vs item size', () => {
  measureFlood(1_000); // warm-up: the first run pays for compiling the hot paths
  const costs: FloodCost[] = floodChunkCounts.map((count) => measureFlood(count));
  const first = costs[0];
  const last = costs.at(-1);
  if (!first || !last) throw new Error('no measurement');
  const haveRatio = last.haveMicros / first.haveMicros;
  const rejectRatio = last.rejectMicros / first.rejectMicros;
  console.log(
    [
      '',
      'engine time per message from a flooding member (Node, one downloading item)',
      '   chunks      have µs    reject µs',
      ...costs.map((c) => `${String(c.chunkCount).padStart(9)}${c.haveMicros.toFixed(2).padStart(13)}${c.rejectMicros.toFixed(2).padStart(13)}`),
      `100k / 1k: have ${haveRatio.toFixed(2)}×, reject ${rejectRatio.toFixed(2)}× (flat within ${flatRatio}×: ${haveRatio <= flatRatio && rejectRatio <= flatRatio ? 'met' : 'NOT met'})`,
      '',
    ].join('\n'),
  );
  updateResults('latest.json', { engineFlood: { date: new Date().toISOString(), unit: 'µs per message', costs, haveRatio, rejectRatio } });
});
