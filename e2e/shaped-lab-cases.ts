// The shaped lab's homes as issue 22 describes them, and how a share's figures are read and printed
// (shared by e2e/shaped-lab.spec.ts and bench/shaped-lab.bench.ts).
import { fluidBound, type FluidBound } from '../src/test-support/fluid-bound';
import type { HomeLink } from './nat-lab';
import type { TimelineEvent } from './shaped-swarm-page';
import { uplinkSampleMs, type ShareResult, type Startup } from './shaped-swarm';

/** Issue 22's room: the sharer (home 0) ↑4/↓40 Mbit/s, six friends ↑1, 2, 2, 4, 4, 8 and ↓20–50 Mbit/s. */
export const issueHomes: readonly { readonly role: string; readonly link: HomeLink }[] = [
  { role: 'sharer', link: { upMbit: 4, downMbit: 40 } },
  { role: 'friend', link: { upMbit: 1, downMbit: 20 } },
  { role: 'friend', link: { upMbit: 2, downMbit: 25 } },
  { role: 'friend', link: { upMbit: 2, downMbit: 30 } },
  { role: 'friend', link: { upMbit: 4, downMbit: 40 } },
  { role: 'friend', link: { upMbit: 4, downMbit: 50 } },
  { role: 'friend', link: { upMbit: 8, downMbit: 50 } },
];

/** What would show that an honest peer was treated as a bad one, counted over some pages' logs. */
export interface Penalties {
  /** Requests withdrawn by the stall or minimum-progress rules (the `expired` of each `requests-stalled`). */
  readonly 'requests-stalled': number;
  readonly 'peer-strike': number;
  /** Links closed or refused because a peer was banned. */
  readonly banned: number;
  readonly 'link-closed': number;
  readonly 'peer-left': number;
  /** The path watch judging a link dead (each is followed by an ICE restart). */
  readonly 'path-stalled': number;
}

const isBanEvent = (event: TimelineEvent): boolean =>
  (event.name === 'link-closed' && String(event.fields['error'] ?? '').includes('banned')) ||
  (event.name === 'envelope-refused' && event.fields['reason'] === 'banned');

/** Of the requests withdrawn as stalled, those that had no data for their stall time (the rest came too slowly). */
export const silentStalls = (events: readonly TimelineEvent[]): number =>
  events.filter((event) => event.name === 'requests-stalled').reduce((sum, event) => sum + Number(event.fields['silent'] ?? 0), 0);

/** Counts the penalties in each page's events, summed. */
export function penaltiesOf(pages: readonly (readonly TimelineEvent[])[]): Penalties {
  const events = pages.flat();
  const count = (name: string): number => events.filter((event) => event.name === name).length;
  return {
    'requests-stalled': events.filter((event) => event.name === 'requests-stalled').reduce((sum, event) => sum + Number(event.fields['expired'] ?? 1), 0),
    'peer-strike': count('peer-strike'),
    banned: events.filter(isBanEvent).length,
    'link-closed': count('link-closed'),
    'peer-left': count('peer-left'),
    'path-stalled': count('path-stalled'),
  };
}

/** The figures of one share that the spec prints and the bench tabulates. */
export interface ShareFigures {
  readonly bound: FluidBound;
  /** Seconds until the last staying friend completed. */
  readonly allDoneSeconds: number;
  readonly toBound: number;
  /** What the sharer's page counted as uploaded, as a multiple of the file. */
  readonly sharerSentFiles: number;
  /** What crossed the sharer's access link upward, as a multiple of the file (headers and signaling included). */
  readonly sharerWireFiles: number;
}

/** T*, the times and the sharer's upload of a share over `links` (home i: links[i]; the sharer at home 0). */
export function shareFigures(result: ShareResult, fileBytes: number, links: readonly HomeLink[], sharer = 0): ShareFigures {
  const sharerLink = links[sharer];
  if (!sharerLink) throw new Error(`no link for the sharer's home ${sharer}`);
  const friendLinks = result.friends.filter((friend) => !friend.left).map((friend) => links[friend.home] ?? sharerLink);
  const bound = fluidBound(fileBytes, sharerLink.upMbit, friendLinks);
  const allDoneSeconds = Math.max(...result.friends.map((friend) => friend.doneSeconds ?? 0));
  return {
    bound,
    allDoneSeconds,
    toBound: allDoneSeconds / bound.boundSeconds,
    sharerSentFiles: result.sharerUploadedBytes / fileBytes,
    sharerWireFiles: result.sharerWireUpBytes / fileBytes,
  };
}

const seconds = (value: number | null): string => (value === null ? '–' : `${value.toFixed(1)} s`);

/** When the first friend's first link opened (null: none did). */
function firstLinkSeconds(result: ShareResult): number | null {
  const opened = result.friends.flatMap((friend) => (friend.linkOpenSeconds === null ? [] : [friend.linkOpenSeconds]));
  return opened.length > 0 ? Math.min(...opened) : null;
}

/** The share's time once bytes could first move, beside T*: what the swarm itself took. */
function sinceFirstLink(result: ShareResult, figures: ShareFigures): string {
  const first = firstLinkSeconds(result);
  if (first === null) return '–';
  const swarmSeconds = figures.allDoneSeconds - first;
  return `${swarmSeconds.toFixed(1)} s, ${(swarmSeconds / figures.bound.boundSeconds).toFixed(2)}× T*`;
}

/** The median over the friends of one step of their pages' start. */
function medianStep(result: ShareResult, step: keyof Startup): string {
  const values = result.friends.flatMap((friend) => (friend.startup[step] === null ? [] : [friend.startup[step]])).sort((a, b) => a - b);
  return seconds(values[Math.floor((values.length - 1) / 2)] ?? null);
}

/** Where the friends' first seconds went, each step as the median over the friends, from their start. */
function startupLine(result: ShareResult): string {
  const steps: [keyof Startup, string][] = [
    ['navigation', 'navigation began'],
    ['scriptsFetched', 'scripts fetched'],
    ['domReady', 'document ready'],
    ['relayOpen', 'relay socket open'],
    ['relayMessage', 'first relay message'],
    ['firstAttempt', 'first connection attempt'],
    ['linkOpen', 'link open'],
  ];
  return `the friends' start, median from their start: ${steps.map(([step, label]) => `${label} ${medianStep(result, step)}`).join(', ')}`;
}

/** How full the sharer's uplink was between reads (IP bytes against its shaped rate), %: where it idled. */
function sharerUplinkLine(result: ShareResult, links: readonly HomeLink[]): string {
  const bytesPerMs = ((links[0]?.upMbit ?? NaN) * 1e6) / 8 / 1000;
  const uses = result.sharerUplink.map((sample, i) => {
    const sinceMs = sample.atMs - (result.sharerUplink[i - 1]?.atMs ?? 0);
    return Math.round((100 * sample.bytes) / (bytesPerMs * sinceMs));
  });
  return `sharer's uplink in use, % per read (about every ${uplinkSampleMs / 1000} s): ${uses.join(' ')}`;
}

/** One row per friend (link, done, first piece, its own penalties, its link's queue drops), then the share's figures. */
export function shareLines(result: ShareResult, fileBytes: number, links: readonly HomeLink[]): string[] {
  const figures = shareFigures(result, fileBytes, links);
  const rows = result.friends.map((friend) => {
    const link = links[friend.home];
    const own = penaltiesOf([friend.events]);
    const drops = result.links.get(friend.home)?.up.droppedPackets ?? 0;
    return [
      `home ${friend.home}`.padEnd(8),
      `↑${link?.upMbit ?? '?'}/↓${link?.downMbit ?? '?'} Mbit/s`.padEnd(18),
      (friend.left ? 'left' : seconds(friend.doneSeconds)).padStart(8),
      seconds(friend.firstAttemptSeconds).padStart(9),
      seconds(friend.linkOpenSeconds).padStart(9),
      seconds(friend.firstPieceSeconds).padStart(10),
      `${own['requests-stalled']}/${silentStalls(friend.events)}`.padStart(14),
      String(own['path-stalled']).padStart(8),
      String(drops).padStart(9),
      String(friend.events.filter((event) => event.name === 'upload-paced').length).padStart(6),
    ].join(' ');
  });
  const { bound } = figures;
  const sharerDrops = result.links.get(0)?.up.droppedPackets ?? 0;
  return [
    `${'friend'.padEnd(8)} ${'link'.padEnd(18)} ${'done'.padStart(8)} ${'1st try'.padStart(9)} ${'linked'.padStart(9)} ${'1st piece'.padStart(10)} ${'stalled/silent'.padStart(14)} ${'path-st.'.padStart(8)} ${'up drops'.padStart(9)} ${'paced'.padStart(6)}`,
    ...rows,
    `all done ${figures.allDoneSeconds.toFixed(1)} s; T* ${bound.boundSeconds.toFixed(1)} s (${bound.limitedBy}): ${figures.toBound.toFixed(2)}× T*; client–server N·F/u_s ${bound.clientServerSeconds.toFixed(1)} s`,
    `from the first link opening (${seconds(firstLinkSeconds(result))}, page loads and connecting before it) to all done: ${sinceFirstLink(result, figures)}`,
    `sharer sent ${figures.sharerSentFiles.toFixed(2)}× F by its page's counters, ${figures.sharerWireFiles.toFixed(2)}× F on its wire (IP bytes); its uplink dropped ${sharerDrops} packets`,
    sharerUplinkLine(result, links),
    `first verified piece after the link opened: ${result.friends.map((friend) => seconds(friend.firstPieceSeconds)).join(', ')} (the page's item row, sampled as the UI updates: ≤ 250 ms late)`,
    startupLine(result),
  ];
}

/** Prints a share's table under a title (the spec's record of what it saw). */
export function printShare(title: string, result: ShareResult, fileBytes: number, links: readonly HomeLink[]): void {
  console.log([`shaped lab, case ${title}: ${(fileBytes / 1024 / 1024).toFixed(0)} MiB`, ...shareLines(result, fileBytes, links)].join('\n'));
}
