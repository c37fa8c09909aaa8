// Issue 22: the swarm at the speed of real home links. A shaped lab of 7 homes (network namespaces,
// NAT routers with the stateful firewall, each access link shaped both ways with tc tbf), the real
// relay process, one Chromium per home; every copy is compared by SHA-256. Speeds are not asserted
// against the clock: the figures are printed, and the bench (bench/shaped-lab.bench.ts) holds the
// targets. Case 3 compares times with the fluid bound computed for the same links.
import { randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { fluidBound } from '../src/test-support/fluid-bound';
import { requireNatLab, type HomeLink } from './nat-lab';
import { writeTestFiles, type TestFile } from './peers';
import { issueHomes, penaltiesOf, printShare } from './shaped-lab-cases';
import { openShapedRoom, runShare, type ShapedRoom } from './shaped-swarm';

requireNatLab(test);
// 4 cases of 50–75 s each on the engine of 2026-12-07 (~15–30 s at issue 22's targets), plus 7 browsers
// starting (10–20 s). Not serial: a case that fails (the engine misses a target) must not keep the
// others from running; a failure costs a new lab.
test.describe.configure({ timeout: 180_000 });

const mib = 1024 * 1024;

/** Case 1's file: 6 MiB (96 chunks of 64 KiB); T* = 12.6 s on the issue's links (F/u_s). */
const roomFileBytes = 6 * mib;

/** Case 2's file: 3 MiB from a 1 Mbit/s sharer, so T* = F/u_s = 25 s. */
const slowSharerFileBytes = 3 * mib;

/** The issue's target for what a sharer sends, as a multiple of the file. */
const sharerSendLimitFiles = 1.3;

/**
 * Case 3: each staying friend finishes, from its first link opening, within this multiple of T* computed
 * without the slow friend. A friend that held the others back (they wait on chunks only it has) costs up
 * to its own F/u = 100 s (8× T*) for 6 MiB at 0.5 Mbit/s; 5× T* (63 s) tells the two apart on a 2-core
 * machine running seven browsers, where a quiet swarm's figure moves with the load. The swarm's speed
 * targets (1.25× T*) live in the bench (bench/shaped-lab.bench.ts). Measured after issue 22's engine
 * work, at a load average of ~20 from other work: 3.6× (45.1 s); before it, all done at 4.65–4.8×
 * counted from the friends opening the link.
 */
const slowFriendBoundFactor = 5;

/**
 * Requests the pages of case 1 may withdraw as stalled in all: issue 22's target is none, and runs here
 * measured 0, 0, 2 and 3 with seven browsers on 2 cores beside other work (a page starved of CPU for 10 s
 * stalls its peers' requests), then 3 and 3 (all from the ↑1 Mbit/s home, whose full uplink delays its
 * own requests). The bound keeps the figure printed and a regression visible (the 100 ms pacer target
 * gave 8); the unit tests (core/swarm/slow-links.test.ts, stall-rules.test.ts) hold the rule itself on fake time.
 */
const maxStalledRequests = 5;

/** Deadline for the friends of one case: far above any expected time, below the test timeout. */
const shareTimeoutMs = 150_000;

/** Fast friends of case 2. */
const fastFriend: HomeLink = { upMbit: 8, downMbit: 50 };

let room: ShapedRoom | undefined;
const theRoom = (): ShapedRoom => {
  if (!room) throw new Error('the shaped lab did not start');
  return room;
};
let files: TestFile[] = [];

test.beforeAll(async () => {
  files = writeTestFiles([
    { name: 'room-6MiB.bin', bytes: randomBytes(roomFileBytes) },
    { name: 'slow-sharer-3MiB.bin', bytes: randomBytes(slowSharerFileBytes) },
  ]);
  room = await openShapedRoom(issueHomes.map((home) => home.link));
});

test.afterAll(async () => {
  await room?.close();
});

/** Shapes every home of the room as `links` says (home i: links[i]). */
async function shapeAll(links: readonly HomeLink[]): Promise<void> {
  const lab = theRoom().lab;
  await Promise.all(lab.homeList.map((home, index) => lab.shapeLink(home.name, links[index] ?? null)));
}

const fileAt = (index: number): TestFile => {
  const file = files[index];
  if (!file) throw new Error(`no test file ${index}`);
  return file;
};

const friendHomes = [1, 2, 3, 4, 5, 6];

test('1 sharer ↑4/↓40 + 6 friends ↑1–8: every friend completes byte-exact, and no honest peer is penalised', async () => {
  const file = fileAt(0);
  await shapeAll(issueHomes.map((home) => home.link));
  const result = await runShare(theRoom(), { sharer: 0, friends: friendHomes, file, timeoutMs: shareTimeoutMs });
  printShare('1: the issue’s room', result, file.size, issueHomes.map((home) => home.link));
  for (const friend of result.friends) expect(friend.sha256, `home ${friend.home}`).toBe(file.sha256);
  // From what each page logged: no strike, no ban, no link dropped, and at most a few requests withdrawn as
  // stalled (see `maxStalledRequests`).
  const { 'path-stalled': pathStalled, 'requests-stalled': stalled, ...penalties } = penaltiesOf([result.sharerEvents, ...result.friends.map((friend) => friend.events)]);
  expect(penalties).toEqual({ 'peer-strike': 0, banned: 0, 'link-closed': 0, 'peer-left': 0 });
  expect(stalled, 'requests withdrawn as stalled').toBeLessThanOrEqual(maxStalledRequests);
  // And no link judged dead (then restarted) for being quiet: "a quiet link is not a dead link".
  expect(pathStalled, 'path-stalled events on honest links').toBe(0);
});

test('a 1 Mbit/s sharer with fast friends sends at most 1.3× the file', async () => {
  const file = fileAt(1);
  const links = [{ upMbit: 1, downMbit: 40 }, fastFriend, fastFriend, fastFriend, fastFriend];
  await shapeAll(links);
  const result = await runShare(theRoom(), { sharer: 0, friends: [1, 2, 3, 4], file, timeoutMs: shareTimeoutMs });
  printShare('2: a 1 Mbit/s sharer', result, file.size, links);
  for (const friend of result.friends) expect(friend.sha256, `home ${friend.home}`).toBe(file.sha256);
  expect(result.sharerUploadedBytes).toBeGreaterThanOrEqual(file.size); // every byte left the sharer at least once
  expect(result.sharerUploadedBytes / file.size).toBeLessThanOrEqual(sharerSendLimitFiles);
});

test('one friend on a 0.5 Mbit/s uplink does not hold the others back', async () => {
  const file = fileAt(0);
  const links = issueHomes.map((home, index) => (index === 1 ? { ...home.link, upMbit: 0.5 } : home.link));
  await shapeAll(links);
  const result = await runShare(theRoom(), { sharer: 0, friends: friendHomes, file, timeoutMs: shareTimeoutMs });
  printShare('3: a 0.5 Mbit/s friend', result, file.size, links);
  for (const friend of result.friends) expect(friend.sha256, `home ${friend.home}`).toBe(file.sha256);
  const [sharerLink, , ...others] = links;
  if (!sharerLink) throw new Error('no sharer link');
  const bound = fluidBound(file.size, sharerLink.upMbit, others).boundSeconds;
  // Each one's download, from its first link opening (page loads and joining on a busy 2-core machine are not the swarm's).
  const othersDone = result.friends
    .filter((friend) => friend.home !== 1)
    .map((friend) => (friend.doneSeconds ?? Number.POSITIVE_INFINITY) - (friend.linkOpenSeconds ?? 0));
  console.log(`the others done ${Math.max(...othersDone).toFixed(1)} s after their links opened; T* without the slow friend ${bound.toFixed(1)} s; allowed ${slowFriendBoundFactor}×`);
  expect(Math.max(...othersDone)).toBeLessThanOrEqual(slowFriendBoundFactor * bound);
});

test('a friend on a slow link leaves partway: the rest complete byte-exact', async () => {
  const file = fileAt(0);
  const links = issueHomes.map((home) => home.link);
  await shapeAll(links);
  const result = await runShare(theRoom(), { sharer: 0, friends: friendHomes, file, leaver: { home: 1, atFraction: 0.3 }, timeoutMs: shareTimeoutMs });
  printShare('4: a friend leaves', result, file.size, links);
  const [left, ...stayed] = result.friends;
  expect(left?.left).toBe(true);
  expect(stayed).toHaveLength(5);
  for (const friend of stayed) expect(friend.sha256, `home ${friend.home}`).toBe(file.sha256);
  // It left partway (at 30 %): holding part of the file, before any of the others had all of it.
  expect(left?.leftHoldingBytes).toBeLessThan(file.size);
  for (const friend of stayed) expect(friend.doneSeconds, `home ${friend.home} completed after the leaver left`).toBeGreaterThan(left?.leftSeconds ?? Number.POSITIVE_INFINITY);
});
