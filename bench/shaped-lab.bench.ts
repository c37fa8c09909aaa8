// `npm run bench`, shaped-lab part (issue 22): the 7-home lab of the issue (network namespaces, NAT
// routers with the stateful firewall, each access link shaped both ways with tc tbf; bandwidth only:
// this kernel has no netem for latency or loss), the real relay process, one Chromium per home, one
// 12 MiB file from the ↑4 Mbit/s sharer to six friends ↑1–8 Mbit/s. Prints all-done time against the
// fluid bound T* of Kumar & Ross and the client–server time, what the sharer uploaded as a multiple of
// the file, and each friend's first verified piece; then WebTorrent 3.0.21 in the same room (installed
// apart: bench/webtorrent-anchor/; skipped with the reason when it is not), with the ratio of the
// times. Written to bench/results/latest-shaped-lab.json.
// Needs root; skips with the reason where the lab cannot run. A benchmark: it fails only if a copy is wrong.
// Alone: npm run build && npx playwright test -c bench/playwright.config.ts bench/shaped-lab.bench.ts
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname } from 'node:path';
import { expect, test } from '@playwright/test';
import { natLabUnavailableReason } from '../e2e/nat-lab';
import { writeTestFiles } from '../e2e/peers';
import { issueHomes, penaltiesOf, shareFigures, shareLines } from '../e2e/shaped-lab-cases';
import { openShapedRoom, runShare } from '../e2e/shaped-swarm';
import { writeResults } from './report';
import { runWebTorrentShare, webTorrentAnchorUnavailableReason, type AnchorResult } from './webtorrent-anchor/anchor';

/** The issue's file: 12 MiB, T* = 25.2 s on these links (the sharer's upload), client–server 151 s. */
const fileBytes = 12 * 1024 * 1024;

/** Deadline for all friends: the engine took 61–75 s before issue 22; 5× that is a hung run. */
const shareTimeoutMs = 360_000;

/** Issue 22's targets for this lab. */
const targets = { toBound: 1.25, sharerSentFiles: 1.2, firstPieceSeconds: 2 } as const;

const metOrNot = (met: boolean): string => (met ? 'met' : 'NOT met');

/** Ours, then WebTorrent in the same room (each up to 6 min), plus seven browsers starting. */
const benchTimeoutMs = 900_000;

/** The lines comparing WebTorrent's run with ours, or why it did not run. */
function anchorLines(anchor: AnchorResult | string, oursSeconds: number, boundSeconds: number, fileBytes: number): string[] {
  if (typeof anchor === 'string') return [`WebTorrent anchor not measured: ${anchor}`];
  const done = Math.max(...anchor.doneSeconds.values());
  const firstPieces = [...anchor.firstPieceSeconds.values()].map((s) => (s === null ? '–' : `${s.toFixed(1)} s`)).join(', ');
  return [
    `WebTorrent 3.0.21, same room, same run: all done ${done.toFixed(1)} s (${(done / boundSeconds).toFixed(2)}× T*); seeder sent ${(anchor.seederUploadedBytes / fileBytes).toFixed(2)}× F; first verified piece after its first peer connected: ${firstPieces}`,
    `Swarmdrop / WebTorrent all-done time: ${(oursSeconds / done).toFixed(2)}`,
  ];
}

test('shaped lab: 7 homes on asymmetric links, against the fluid bound', async () => {
  const reason = natLabUnavailableReason();
  test.skip(reason !== null, `shaped-lab bench skipped: ${reason ?? ''}`);
  test.setTimeout(benchTimeoutMs);
  const [file] = writeTestFiles([{ name: 'shaped-lab-12MiB.bin', bytes: randomBytes(fileBytes) }]);
  if (!file) throw new Error('no file');
  const links = issueHomes.map((home) => home.link);
  const room = await openShapedRoom(links);
  try {
    const result = await runShare(room, { sharer: 0, friends: [1, 2, 3, 4, 5, 6], file, timeoutMs: shareTimeoutMs });
    for (const friend of result.friends) expect(friend.sha256, `home ${friend.home}`).toBe(file.sha256);
    const figures = shareFigures(result, file.size, links);
    const firstPieces = result.friends.map((friend) => friend.firstPieceSeconds ?? Number.POSITIVE_INFINITY);
    const slowestFirstPiece = Math.max(...firstPieces);
    const penalties = penaltiesOf([result.sharerEvents, ...result.friends.map((friend) => friend.events)]);
    console.log(
      [
        '',
        `shaped lab, 7 homes, ${(fileBytes / 1024 / 1024).toFixed(0)} MiB: sharer ${links.map((l) => `↑${l.upMbit}/↓${l.downMbit}`).join(', ')} Mbit/s (tc tbf, no added latency)`,
        ...shareLines(result, file.size, links),
        `targets: all done ≤ ${targets.toBound}× T* (${metOrNot(figures.toBound <= targets.toBound)}); sharer ≤ ${targets.sharerSentFiles}× F (${metOrNot(figures.sharerSentFiles <= targets.sharerSentFiles)}); first piece ≤ ${targets.firstPieceSeconds} s (${metOrNot(slowestFirstPiece <= targets.firstPieceSeconds)})`,
        `logged by all pages: ${JSON.stringify(penalties)}`,
      ].join('\n'),
    );
    // Then WebTorrent in the same room; its failing to finish is reported, not fatal (our figures stand).
    const anchor =
      webTorrentAnchorUnavailableReason() ??
      (await runWebTorrentShare(room, 0, [1, 2, 3, 4, 5, 6], file, shareTimeoutMs).catch((error: unknown) => `it failed: ${String(error)}`));
    if (typeof anchor !== 'string') for (const [home, sha256] of anchor.sha256) expect(sha256, `WebTorrent, home ${home}`).toBe(file.sha256);
    console.log(
      [
        ...anchorLines(anchor, figures.allDoneSeconds, figures.bound.boundSeconds, file.size),
        // 7 browsers on 2 cores: a machine busy with other work slows them beyond what the links explain.
        `load average at the end: ${loadavg()[0]?.toFixed(1) ?? '?'} (2 cores)`,
        '',
      ].join('\n'),
    );
    writeResults(
      'latest-shaped-lab.json',
      JSON.stringify(
        {
          date: new Date().toISOString(),
          fileBytes,
          links,
          allDoneSeconds: figures.allDoneSeconds,
          boundSeconds: figures.bound.boundSeconds,
          boundLimitedBy: figures.bound.limitedBy,
          toBound: figures.toBound,
          clientServerSeconds: figures.bound.clientServerSeconds,
          sharerSentFiles: figures.sharerSentFiles,
          sharerWireFiles: figures.sharerWireFiles,
          friends: result.friends.map(({ home, doneSeconds, firstPieceSeconds }) => ({ home, doneSeconds, firstPieceSeconds })),
          penalties,
          webTorrent:
            typeof anchor === 'string'
              ? { notMeasured: anchor }
              : { doneSeconds: Object.fromEntries(anchor.doneSeconds), firstPieceSeconds: Object.fromEntries(anchor.firstPieceSeconds), seederSentFiles: anchor.seederUploadedBytes / file.size },
          loadAverage: loadavg()[0],
        },
        null,
        2,
      ),
    );
  } finally {
    await room.close();
    rmSync(dirname(file.path), { recursive: true, force: true });
  }
});
