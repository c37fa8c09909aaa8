// Drives WebTorrent in the shaped lab, the same room Swarmdrop ran in: server.js (page, bundle and
// tracker) in the lab's internet namespace, one anchor page per home in the homes' browsers, one seeder
// and its friends. Needs `npm install --ignore-scripts` in this folder (its own package.json: a
// WebTorrent dependency's install script demands pnpm); without it the anchor is skipped with that reason.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { newPeerContext, type TestFile } from '../../e2e/peers';
import type { ShapedRoom } from '../../e2e/shaped-swarm';

/** This folder. */
const anchorDir = fileURLToPath(new URL('.', import.meta.url));

/** The server's port in the lab's internet namespace (the relay has 8443). */
const anchorPort = 8444;

/** Deadline for the anchor server to listen: node starts in well under a second. */
const listenTimeoutMs = 10_000;

/** Deadline for a page's WebTorrent client to load and for the seeder to hash the file. */
const setupTimeoutMs = 60_000;

/** Why the anchor cannot run here, or null. */
export function webTorrentAnchorUnavailableReason(): string | null {
  return existsSync(`${anchorDir}node_modules/webtorrent/dist/webtorrent.min.js`) && existsSync(`${anchorDir}node_modules/bittorrent-tracker`)
    ? null
    : `WebTorrent is not installed: run \`npm install --ignore-scripts\` in ${anchorDir}`;
}

/** What WebTorrent did in the room. */
export interface AnchorResult {
  /** Seconds from the friends' start until each completed, by home. */
  readonly doneSeconds: ReadonlyMap<number, number>;
  /** Seconds from each friend's first wire (peer connection) to its first verified piece. */
  readonly firstPieceSeconds: ReadonlyMap<number, number | null>;
  readonly sha256: ReadonlyMap<number, string>;
  /** Bytes the seeder's client counted as uploaded. */
  readonly seederUploadedBytes: number;
}

interface Fetched {
  readonly doneMs: number;
  readonly sha256: string;
  readonly firstWireMs: number | null;
  readonly firstVerifyMs: number | null;
}

/** In a page: the anchor's API (page.html). */
interface AnchorApi {
  seed(): Promise<string>;
  fetch(torrentBase64: string): Promise<Fetched>;
  uploaded(): number;
}

/** Shares `file` with WebTorrent from home `sharer` to `friends`, all at once, in `room`'s current links. */
export async function runWebTorrentShare(room: ShapedRoom, sharer: number, friends: readonly number[], file: TestFile, timeoutMs: number): Promise<AnchorResult> {
  const { lab } = room;
  const server = lab.spawnIn(lab.internetNs, process.execPath, [`${anchorDir}server.js`, lab.internetIp, String(anchorPort), room.certificate.certPath, room.certificate.keyPath]);
  const contexts: { close(): Promise<void> }[] = [];
  try {
    await server.waitForOutput(/^listening$/m, listenTimeoutMs);
    const url = `https://${lab.internetIp}:${anchorPort}/?stun=${room.stun}`;
    const open = async (home: number) => {
      const browser = room.browsers[home];
      if (!browser) throw new Error(`the room has no home ${home}`);
      const context = await newPeerContext(browser, new URL(url).origin, {}, [], { loopbackOnly: false, media: true });
      contexts.push(context);
      const page = await context.newPage();
      await page.goto(url);
      await page.waitForFunction(() => 'anchor' in window, undefined, { timeout: setupTimeoutMs });
      return page;
    };
    const seeder = await open(sharer);
    await seeder.locator('#file').setInputFiles(file.path);
    const torrent = await seeder.evaluate(() => (window as unknown as { anchor: AnchorApi }).anchor.seed());
    const pages = await Promise.all(friends.map(open));
    const startMs = Date.now();
    const fetching = Promise.all(pages.map((page) => page.evaluate((t) => (window as unknown as { anchor: AnchorApi }).anchor.fetch(t), torrent)));
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`WebTorrent's friends did not all finish within ${timeoutMs} ms`)), timeoutMs);
    });
    const fetched = await Promise.race([fetching, deadline]).finally(() => clearTimeout(timer));
    const seederUploadedBytes = await seeder.evaluate(() => (window as unknown as { anchor: AnchorApi }).anchor.uploaded());
    const byHome = <T>(pick: (f: Fetched) => T) => new Map(friends.map((home, index) => [home, pick(fetched[index] as Fetched)]));
    return {
      doneSeconds: byHome((f) => (f.doneMs - startMs) / 1000),
      firstPieceSeconds: byHome((f) => (f.firstVerifyMs === null || f.firstWireMs === null ? null : (f.firstVerifyMs - f.firstWireMs) / 1000)),
      sha256: byHome((f) => f.sha256),
      seederUploadedBytes,
    };
  } finally {
    await Promise.all(contexts.map((context) => context.close().catch(() => undefined)));
    await server.stop();
  }
}
