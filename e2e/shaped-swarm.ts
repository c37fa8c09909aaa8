// The app in a shaped lab of N homes: the real relay process (TLS, built-in STUN) in the lab's
// internet, one Chromium per home in the home's namespace, and one share from a sharer's home to
// friends in the others, with what each page recorded (timeline, upload counters) and what crossed
// each access link (tc and interface counters). Used by e2e/shaped-lab.spec.ts and the shaped-lab bench.
import { expect, type Browser, type BrowserContext } from '@playwright/test';
import { createShapedLab, type HomeLink, type LinkCounters, type NatLab } from './nat-lab';
import { newPeerContext, navigateTab, item, saveItem, shareFiles, type TestFile, type TestPeer } from './peers';
import { labCertificate, launchInHome, startLabRelay, tlsEnv } from './reach-lab';
import { recordTimeline, timelineKey, type PageTimeline, type TimelineEvent } from './shaped-swarm-page';
import type { TestCertificate } from '../signaling/test-support/test-cert';

/** The relay's port inside the lab's private internet namespace (nothing else listens there). */
const relayPort = 8443;

/** A shaped lab with the relay running and one browser per home (home i: `browsers[i]`). */
export interface ShapedRoom {
  readonly lab: NatLab<string>;
  /** https://198.51.100.1:8443/ */
  readonly url: string;
  readonly browsers: readonly Browser[];
  /** The certificate of the lab's internet address, which every browser trusts (other servers there may use it too). */
  readonly certificate: TestCertificate;
  /** The relay's built-in STUN, `HOST:PORT` (UDP). */
  readonly stun: string;
  /** Closes the browsers, the relay and the lab (idempotent). */
  close(): Promise<void>;
}

/** Builds the lab with `links` (home 0 first), starts the relay and launches one Chromium per home. */
export async function openShapedRoom(links: readonly HomeLink[]): Promise<ShapedRoom> {
  const lab = await createShapedLab(links.map((link) => ({ link })));
  let certificate: TestCertificate | null = null;
  const browsers: Browser[] = [];
  const close = async (): Promise<void> => {
    await Promise.all(browsers.map((browser) => browser.close().catch(() => undefined)));
    await lab.close();
    certificate?.remove();
  };
  try {
    certificate = labCertificate(lab);
    const relay = await startLabRelay(lab, relayPort, tlsEnv(certificate));
    // One at a time: seven Chromiums starting at once on 2 cores take longer than in turn.
    for (const home of lab.homeList) browsers.push(await launchInHome(lab, home.name, certificate));
    // The relay answers STUN on its HTTP port's number (over UDP) unless told otherwise.
    return { lab, url: relay.url, browsers, certificate, stun: `${lab.internetIp}:${relayPort}`, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** One page of a share: its home's index, the peer, and what it recorded. */
export interface SharePage extends TestPeer {
  readonly home: number;
  timeline(): Promise<PageTimeline>;
}

async function openSharePage(room: ShapedRoom, home: number, url: string): Promise<SharePage> {
  return (await blankSharePage(room, home, new URL(url).origin)).open(url);
}

/** A home's browser window with a blank tab, not yet on the app. */
interface BlankSharePage {
  readonly context: BrowserContext;
  open(url: string): Promise<SharePage>;
}

/**
 * Opens a window (its own profile) with a blank tab in a home's browser. A friend's browser is already
 * running when they open a link, so the share's clock starts after this: seven profiles starting at once
 * on 2 cores took 3.5–8.4 s before a page began to navigate (the lab's "navigation began" mark).
 */
async function blankSharePage(room: ShapedRoom, home: number, origin: string): Promise<BlankSharePage> {
  const browser = room.browsers[home];
  if (!browser) throw new Error(`the room has no home ${home}`);
  const context = await newPeerContext(browser, origin, {}, [recordTimeline], { loopbackOnly: false, media: true });
  const page = await context.newPage();
  return {
    context,
    async open(url) {
      const peer = await navigateTab(context, page, url);
      const timeline = (): Promise<PageTimeline> => peer.page.evaluate((key) => (window as unknown as Record<string, PageTimeline>)[key] as PageTimeline, timelineKey);
      return { ...peer, home, timeline };
    },
  };
}

/** How one share runs: who shares, who fetches, what, and whether a friend leaves on the way. */
export interface SharePlan {
  readonly sharer: number;
  readonly friends: readonly number[];
  readonly file: TestFile;
  /** This friend closes its page once it holds `atFraction` of the file (its verified bytes). */
  readonly leaver?: { readonly home: number; readonly atFraction: number };
  /** Deadline for every staying friend to complete, in ms. */
  readonly timeoutMs: number;
}

/** What one friend did. */
export interface FriendResult {
  readonly home: number;
  readonly left: boolean;
  /** For the friend that left: seconds from the friends' start to its leaving, and the verified bytes it held then. */
  readonly leftSeconds: number | null;
  readonly leftHoldingBytes: number | null;
  /** Seconds from the friends' start to complete (null: it left first). */
  readonly doneSeconds: number | null;
  /** Seconds from its first link opening to its first verified chunk (null: none). */
  readonly firstPieceSeconds: number | null;
  /** Seconds from the friends starting to open the room link to this one's first link opening (null: none). */
  readonly linkOpenSeconds: number | null;
  /** The same to its first connection attempt (first ICE state): page load, relay and hellos before it, ICE and DTLS after. */
  readonly firstAttemptSeconds: number | null;
  /** Seconds from the friends' start to each step of its page's start (the lab's marks and the app's first events). */
  readonly startup: Startup;
  readonly sha256: string | null;
  readonly events: readonly TimelineEvent[];
}

/** What a share did, for the assertions and the bench table. */
export interface ShareResult {
  readonly friends: readonly FriendResult[];
  readonly sharerEvents: readonly TimelineEvent[];
  /** Payload bytes the sharer's page counted as uploaded, summed over the peers it served. */
  readonly sharerUploadedBytes: number;
  /** Bytes the sharer's access link carried up meanwhile (IP packets: payload, headers, signaling). */
  readonly sharerWireUpBytes: number;
  /** Each home's link counters over the share, by home index. */
  readonly links: ReadonlyMap<number, LinkCounters>;
  /** The sharer's uplink, read about every `uplinkSampleMs` from the friends' start: when (ms from the start) and bytes since the previous read. */
  readonly sharerUplink: readonly UplinkSample[];
}

/** One read of an uplink's counter. */
export interface UplinkSample {
  /** Ms from the friends' start to this read. */
  readonly atMs: number;
  /** IP bytes the uplink carried since the previous read (or the start). */
  readonly bytes: number;
}

/** How often the sharer's uplink counter is read during a share: one `ip` and two `tc` runs per read, light beside seven browsers. */
export const uplinkSampleMs = 2_500;

/** Reads `home`'s uplink bytes about every `uplinkSampleMs` until the returned function stops it. */
function sampleUplink(room: ShapedRoom, home: number, startMs: number, firstBytes: number): () => Promise<UplinkSample[]> {
  const samples: UplinkSample[] = [];
  const name = room.lab.homeList[home]?.name;
  let lastBytes = firstBytes;
  let reading: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    if (name === undefined) return;
    reading = reading
      .then(async () => {
        const askedMs = Date.now();
        const { upBytes } = await room.lab.linkCounters(name);
        // The counter was read somewhere between the two times; on a loaded machine a read takes a while.
        samples.push({ atMs: (askedMs + Date.now()) / 2 - startMs, bytes: upBytes - lastBytes });
        lastBytes = upBytes;
      })
      .catch(() => undefined); // a missed read widens the next interval; the share goes on
  }, uplinkSampleMs);
  return async () => {
    clearInterval(timer);
    await reading;
    return samples;
  };
}

function difference(after: LinkCounters, before: LinkCounters): LinkCounters {
  const queue = (a: LinkCounters['up'], b: LinkCounters['up']) => ({
    sentBytes: a.sentBytes - b.sentBytes,
    sentPackets: a.sentPackets - b.sentPackets,
    droppedPackets: a.droppedPackets - b.droppedPackets,
  });
  return { upBytes: after.upBytes - before.upBytes, downBytes: after.downBytes - before.downBytes, up: queue(after.up, before.up), down: queue(after.down, before.down) };
}

/** Every home's link counters, by index. */
async function allCounters(room: ShapedRoom): Promise<Map<number, LinkCounters>> {
  const entries = await Promise.all(room.lab.homeList.map(async (home, index) => [index, await room.lab.linkCounters(home.name)] as const));
  return new Map(entries);
}

/** Verified bytes a page shows of `name` (the item's progress value). */
async function verifiedBytes(peer: TestPeer, name: string): Promise<number> {
  return Number((await item(peer.page, name).locator('[data-testid=item-progress]').getAttribute('value')) ?? 0);
}

/**
 * Shares `plan.file` from the sharer's home, opens the link in every friend's home at once, waits
 * for the staying friends to complete and saves each one's copy. Every page is closed before it returns.
 */
export async function runShare(room: ShapedRoom, plan: SharePlan): Promise<ShareResult> {
  /** Every window opened for the share, closed before it returns. */
  const contexts: BrowserContext[] = [];
  /** Stops the uplink sampler (also when the share fails). */
  let stopSampling = async (): Promise<UplinkSample[]> => [];
  try {
    const sharer = await openSharePage(room, plan.sharer, room.url);
    contexts.push(sharer.context);
    const link = await shareFiles(sharer, [plan.file]);
    const blanks = await Promise.all(plan.friends.map((home) => blankSharePage(room, home, new URL(link).origin)));
    contexts.push(...blanks.map((blank) => blank.context));
    const before = await allCounters(room);
    const startMs = Date.now();
    stopSampling = sampleUplink(room, plan.sharer, startMs, before.get(plan.sharer)?.upBytes ?? 0);
    const friends = await Promise.all(blanks.map((blank) => blank.open(link)));
    const leaver = friends.find((friend) => friend.home === plan.leaver?.home);
    const leaving = leaver && plan.leaver ? leaveAt(leaver, plan.file, plan.leaver.atFraction, plan.timeoutMs) : Promise.resolve(null);
    leaving.catch(() => undefined); // awaited below; until then a failure must not count as unhandled
    const staying = friends.filter((friend) => friend !== leaver);
    await Promise.all(staying.map((friend) => expect(item(friend.page, plan.file.name)).toHaveAttribute('data-state', 'complete', { timeout: plan.timeoutMs })));
    const departure = await leaving;
    const sharerUplink = await stopSampling();
    const after = await allCounters(room);
    const sharerTimeline = await sharer.timeline();
    const results = await Promise.all(
      friends.map(async (friend): Promise<FriendResult> => {
        const left = friend === leaver;
        const timeline = left ? departure?.timeline : await friend.timeline();
        if (!timeline) throw new Error(`home ${friend.home}: no timeline`);
        const linkOpenMs = timeline.events.find((event) => event.name === 'link-open')?.atMs;
        const firstAttemptMs = timeline.events.find((event) => event.name === 'ice-state')?.atMs;
        return {
          home: friend.home,
          left,
          leftSeconds: left && departure ? (departure.atMs - startMs) / 1000 : null,
          leftHoldingBytes: left && departure ? departure.holdingBytes : null,
          doneSeconds: timeline.completeMs === null || left ? null : (timeline.completeMs - startMs) / 1000,
          firstPieceSeconds: timeline.firstHeldMs === null || linkOpenMs === undefined ? null : (timeline.firstHeldMs - linkOpenMs) / 1000,
          linkOpenSeconds: linkOpenMs === undefined ? null : (linkOpenMs - startMs) / 1000,
          firstAttemptSeconds: firstAttemptMs === undefined ? null : (firstAttemptMs - startMs) / 1000,
          startup: startupOf(timeline.events, startMs),
          sha256: left ? null : (await saveItem(friend.page, plan.file.name)).sha256,
          events: timeline.events,
        };
      }),
    );
    const sharerBefore = before.get(plan.sharer);
    const sharerAfter = after.get(plan.sharer);
    return {
      friends: results,
      sharerEvents: sharerTimeline.events,
      sharerUploadedBytes: Object.values(sharerTimeline.uploadedTo).reduce((sum, bytes) => sum + bytes, 0),
      sharerWireUpBytes: sharerBefore && sharerAfter ? sharerAfter.upBytes - sharerBefore.upBytes : 0,
      links: new Map([...after].map(([index, counters]) => [index, difference(counters, before.get(index) ?? counters)])),
      sharerUplink,
    };
  } finally {
    await stopSampling();
    await Promise.all(contexts.map((context) => context.close().catch(() => undefined)));
  }
}

/** The steps of a page's start, in order, as seconds from the friends' start (null: not seen). */
export interface Startup {
  readonly navigation: number | null;
  readonly scriptsFetched: number | null;
  readonly domReady: number | null;
  readonly relayOpen: number | null;
  readonly relayMessage: number | null;
  readonly firstAttempt: number | null;
  readonly linkOpen: number | null;
}

/** Where a page's first seconds went, from its timeline. */
function startupOf(events: readonly TimelineEvent[], startMs: number): Startup {
  const at = (name: string): number | null => {
    const atMs = events.find((event) => event.name === name)?.atMs;
    return atMs === undefined ? null : (atMs - startMs) / 1000;
  };
  return {
    navigation: at('lab:navigation'),
    scriptsFetched: at('lab:scripts-fetched'),
    domReady: at('lab:dom-ready'),
    relayOpen: at('lab:relay-open'),
    relayMessage: at('lab:relay-message'),
    firstAttempt: at('ice-state'),
    linkOpen: at('link-open'),
  };
}

/** A friend's departure: when, holding how much, and what its page had recorded. */
interface Departure {
  readonly atMs: number;
  readonly holdingBytes: number;
  readonly timeline: PageTimeline;
}

/** Waits until `friend` holds `fraction` of the file, reads its timeline, and closes its page: it leaves the room. */
async function leaveAt(friend: SharePage, file: TestFile, fraction: number, timeoutMs: number): Promise<Departure> {
  await expect.poll(() => verifiedBytes(friend, file.name), { timeout: timeoutMs }).toBeGreaterThanOrEqual(file.size * fraction);
  const holdingBytes = await verifiedBytes(friend, file.name);
  const timeline = await friend.timeline();
  const atMs = Date.now();
  await friend.context.close();
  return { atMs, holdingBytes, timeline };
}
