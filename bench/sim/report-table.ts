// The sim's table (Markdown, so it pastes into docs/simulation.md) and the targets of issue 22 beside
// each figure. The targets are printed, never enforced: the run fails only on a broken invariant.
import type { ScenarioResult, Spread } from './summary';

/** Issue 22's targets: T/T* for rooms of about 100 peers and of 1,000, and duplicate bytes. */
export const targets = { ratioHundred: 1.3, ratioThousand: 1.5, duplicatePercent: 5 } as const;

/** Rooms from this many downloaders are held to the 1,000-peer target. */
const thousandFrom = 1000;

const fixed = (value: number, digits: number): string => (Number.isFinite(value) ? value.toFixed(digits) : '—');
const spreadText = (s: Spread, digits: number): string => `${fixed(s.min, digits)} / ${fixed(s.median, digits)} / ${fixed(s.max, digits)}`;
const against = (value: number, target: number, digits: number): string => `${fixed(value, digits)} (≤ ${target}: ${value <= target ? 'met' : 'not met'})`;

/** The T/T* target a scenario is held to. */
export const ratioTarget = (r: ScenarioResult): number => (r.downloaders >= thousandFrom ? targets.ratioThousand : targets.ratioHundred);

/** The table of all scenarios. */
export function resultsTable(results: readonly ScenarioResult[]): string {
  const header = [
    'scenario',
    'peers (stayed / left early)',
    'T, s',
    'T*, s',
    'T/T* (target)',
    'sharer sent, × F',
    'up/down per peer (min / median / max)',
    'duplicate bytes, % (target)',
    'first piece, s (median / max)',
    'wall, s',
    'invariants',
  ];
  const rows = results.map((r) => [
    r.name,
    `${r.downloaders} (${r.stayed} / ${r.leftEarly})`,
    fixed(r.completeSeconds, 1),
    fixed(r.boundSeconds, 1),
    against(r.ratio, ratioTarget(r), 2),
    fixed(r.sharerUploadedCopies, 2) + (r.sharerLeftSeconds === null ? '' : ` (left at ${fixed(r.sharerLeftSeconds, 0)} s, ${r.coverageAtSharerLeave} chunks in the room)`),
    spreadText(r.upDownRatio, 2),
    against(r.duplicatePercent, targets.duplicatePercent, 1),
    `${fixed(r.firstPieceSeconds.median, 1)} / ${fixed(r.firstPieceSeconds.max, 1)}`,
    fixed(r.wallSeconds, 0),
    r.violations.length === 0 ? 'held' : `BROKEN: ${r.violations.join('; ')}`,
  ]);
  return [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** Lines under the table: the setup each figure came from. */
export function resultsNotes(results: readonly ScenarioResult[]): string[] {
  return results.map(
    (r) =>
      `${r.name}: file ${r.fileBytes / 2 ** 20} MiB in ${r.chunkBytes / 2 ** 10} KiB chunks at scale 1/${r.scale}, seed ${r.seed}; ` +
      `download time per staying peer ${spreadText(r.downloadSeconds, 1)} s (last: ${r.slowest.join(', ')}); peak buffered per peer ${fixed(r.peakBufferedBytes / 2 ** 20, 1)} MiB ` +
      `(bound ${fixed(r.bufferedBoundBytes / 2 ** 20, 0)} MiB); ${r.linksOpened} links opened; ${r.rateRecomputes} fair-share recomputes`,
  );
}
