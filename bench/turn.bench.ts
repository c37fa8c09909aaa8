// `npm run bench`, TURN part: one file between two homes of the NAT lab, once straight between the
// peers (two ordinary NATs, the built-in STUN) and once through coturn (two symmetric NATs, TURN), in
// the same run, with their ratio. Written to bench/results/latest-turn.json. Needs root and coturn; it
// skips with the reason where the lab cannot run. A benchmark: it fails only if a transfer does.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { expect, test } from '@playwright/test';
import { natLabUnavailableReason, type NatKind } from '../e2e/nat-lab';
import { item, saveItem, writeTestFiles } from '../e2e/peers';
import { shareAcross, withLab } from '../e2e/reach-lab';
import { writeResults } from './report';

/** 64 MiB: long enough that setup is noise, short enough for two runs in a minute or two. */
const fileBytes = 64 * 1024 * 1024;

/** One path's figure. */
interface PathRun {
  readonly path: 'direct' | 'relay';
  readonly seconds: number;
  readonly mbPerSecond: number;
  readonly coturnBytes: number;
}

async function measure(nat: NatKind, turn: boolean, file: ReturnType<typeof writeTestFiles>[number]): Promise<PathRun> {
  let run: PathRun | null = null;
  await withLab(nat, { turn }, async (_lab, open, url, { coturnBytes }) => {
    const before = await coturnBytes();
    const { friend } = await shareAcross(open, url, file);
    const row = item(friend.page, file.name);
    await expect(row).toBeVisible({ timeout: 60_000 });
    const startedMs = Date.now();
    await expect(row).toHaveAttribute('data-state', 'complete', { timeout: 300_000 });
    const seconds = (Date.now() - startedMs) / 1000;
    const path = (await friend.page.locator('[data-testid=peer]').first().getAttribute('data-route')) as PathRun['path'];
    expect((await saveItem(friend.page, file.name)).sha256).toBe(file.sha256);
    run = { path, seconds, mbPerSecond: file.size / 1e6 / seconds, coturnBytes: (await coturnBytes()) - before };
  });
  if (run === null) throw new Error('no measurement');
  return run;
}

test('TURN path vs direct path through the NAT lab', async () => {
  const reason = natLabUnavailableReason();
  test.skip(reason !== null, `TURN bench skipped: ${reason ?? ''}`);
  const [file] = writeTestFiles([{ name: 'turn-bench-64MiB.bin', bytes: randomBytes(fileBytes) }]);
  if (!file) throw new Error('no file');
  try {
    const direct = await measure('endpoint-independent', false, file);
    const relayed = await measure('symmetric', true, file);
    const ratio = relayed.mbPerSecond / direct.mbPerSecond;
    console.log(
      [
        '',
        `NAT lab, ${(fileBytes / 1e6).toFixed(1)} MB, friend sees the item → verified and stored`,
        `direct (two ordinary NATs, built-in STUN): ${direct.mbPerSecond.toFixed(1)} MB/s (${direct.seconds.toFixed(1)} s, route ${direct.path})`,
        `via coturn (two symmetric NATs, TURN):     ${relayed.mbPerSecond.toFixed(1)} MB/s (${relayed.seconds.toFixed(1)} s, route ${relayed.path}, coturn sent ${(relayed.coturnBytes / 1e6).toFixed(1)} MB)`,
        `TURN / direct: ${ratio.toFixed(2)}`,
        '',
      ].join('\n'),
    );
    writeResults('latest-turn.json', JSON.stringify({ date: new Date().toISOString(), fileBytes, unit: 'MB = 10^6 bytes', direct, relayed, ratio }, null, 2));
  } finally {
    rmSync(dirname(file.path), { recursive: true, force: true });
  }
});
