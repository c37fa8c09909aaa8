// `npm run bench`, engine part (issues 11 and 14): the engine's time per message against an item of 1k,
// 10k and 100k chunks, in µs: `have` and `reject` from a flooding member (issue 11), and the transfer's
// own `request` (served) and `data` (received) (issue 14). Target: flat as the item grows (100k within
// 2x of 1k). Written to bench/results/latest.json under `engineFlood`. Runs in Node, no browser.
import { test } from '@playwright/test';
import { floodChunkCounts, measureFlood } from './engine-flood';
import { measureTransferMessages } from './engine-transfer';
import { updateResults } from './report';

/** Growth allowed from the smallest to the largest item: the issue's "flat". */
const flatRatio = 2;
const kinds = ['have', 'reject', 'request', 'data'] as const;

test('engine: time per message vs item size', async () => {
  // Warm-up: the first runs pay for compiling the hot paths.
  measureFlood(1_000);
  await measureTransferMessages(1_000);
  // Every flood first, then every transfer: the transfers' 16 MiB chunk buffers would otherwise be
  // collected in the middle of the sub-microsecond `reject` loop (measured: 0.2 → 0.6 µs at 100k).
  const floods = floodChunkCounts.map((chunkCount) => measureFlood(chunkCount));
  const costs = [];
  for (const flood of floods) {
    const transfer = await measureTransferMessages(flood.chunkCount);
    costs.push({ ...flood, requestMicros: transfer.requestMicros, dataMicros: transfer.dataMicros });
  }
  const first = costs[0];
  const last = costs.at(-1);
  if (!first || !last) throw new Error('no measurement');
  const ratios = Object.fromEntries(kinds.map((kind) => [kind, last[`${kind}Micros`] / first[`${kind}Micros`]])) as Record<(typeof kinds)[number], number>;
  const flat = kinds.every((kind) => ratios[kind] <= flatRatio);
  console.log(
    [
      '',
      'engine time per message (Node, one item; µs)',
      `   chunks${kinds.map((kind) => kind.padStart(11)).join('')}`,
      ...costs.map((c) => `${String(c.chunkCount).padStart(9)}${kinds.map((kind) => c[`${kind}Micros`].toFixed(2).padStart(11)).join('')}`),
      `100k / 1k: ${kinds.map((kind) => `${kind} ${ratios[kind].toFixed(2)}×`).join(', ')} (flat within ${flatRatio}×: ${flat ? 'met' : 'NOT met'})`,
      '',
    ].join('\n'),
  );
  updateResults('latest.json', {
    engineFlood: { date: new Date().toISOString(), unit: 'µs per message', costs, haveRatio: ratios.have, rejectRatio: ratios.reject, requestRatio: ratios.request, dataRatio: ratios.data, flat },
  });
});
