// A hostile room member against 1 sharer + 2 honest downloaders, each its own browser context. The
// member is a page of the app's origin running modified code (e2e/hostile-member-page.ts) that speaks
// the real protocol. Whatever it does, the downloaders complete byte-exact, their JS heap stays under
// the bound, and they spend no more than a handful of RTCPeerConnections.
import { randomBytes } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import type { HostileMember, LinkMode } from './hostile-member-page';
import { appUrl, item, newPeerContext, openPeer, saveItem, shareFiles, writeTestFiles, type TestPeer } from './peers';
import { myPeerId } from './swarm-helpers';
import { buildTestBundle, openRelayPage } from './test-bundle';

/** An honest downloader's JS heap stays under this (CDP Runtime.getHeapUsage): a page holds ~10–20 MB. */
const heapBoundBytes = 64 * 1024 * 1024;
/** RTCPeerConnections an honest page may make in one test: its links, and a few attempts the member got in. */
const connectionsBound = 12;
/** 4 MiB (64 chunks of 64 KiB): enough chunks for the member to claim all but one. */
const fileBytes = 4 * 1024 * 1024;

/** Test-only, in each honest page before the app: counts the RTCPeerConnections it creates. */
function countConnections(): void {
  const Native = RTCPeerConnection;
  const counted = function (this: unknown, ...args: ConstructorParameters<typeof RTCPeerConnection>) {
    const w = window as unknown as { swarmdropConnections?: number };
    w.swarmdropConnections = (w.swarmdropConnections ?? 0) + 1;
    return new Native(...args);
  } as unknown as typeof RTCPeerConnection;
  counted.prototype = Native.prototype;
  Object.assign(counted, { generateCertificate: Native.generateCertificate.bind(Native) });
  window.RTCPeerConnection = counted;
}

let bundle = '';
/** Each honest downloader's log lines, counted by event. */
const logged = new Map<TestPeer, Map<string, number>>();
const loggedCount = (peer: TestPeer | undefined, event: string): number => (peer ? (logged.get(peer)?.get(event) ?? 0) : 0);
test.beforeAll(async () => {
  bundle = await buildTestBundle('e2e/hostile-member-page.ts', 'swarmdropHostileBundle');
});

/** The member's methods, called in its page. */
function member(page: Page) {
  const call = <K extends keyof HostileMember>(name: K, ...args: Parameters<HostileMember[K]>) =>
    page.evaluate(([n, a]) => {
      const hostile = (window as unknown as { swarmdropHostile: HostileMember }).swarmdropHostile;
      return (hostile[n] as (...xs: unknown[]) => unknown)(...a);
    }, [name, args] as const) as Promise<Awaited<ReturnType<HostileMember[K]>>>;
  return call;
}

async function heapUsed(peer: TestPeer): Promise<number> {
  const cdp = await peer.context.newCDPSession(peer.page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return usedSize;
}

/**
 * Shares a file, lets the member join (in `mode`), runs `attack`, then opens two downloaders and
 * checks they complete byte-exact within the heap and connection bounds.
 */
async function runAgainstMember(
  browser: import('@playwright/test').Browser,
  mode: LinkMode,
  attack: (call: ReturnType<typeof member>, downloaders: TestPeer[], sharer: TestPeer) => Promise<void>,
  sharerPreferences: Record<string, string> = {},
) {
  const [file] = writeTestFiles([{ name: `shared ${mode}.bin`, bytes: randomBytes(fileBytes) }]);
  if (!file) throw new Error('no file');
  const sharer = await openPeer(browser, undefined, sharerPreferences);
  const hostileContext = await newPeerContext(browser, undefined, {}, [], { bypassCSP: true });
  const downloaders: TestPeer[] = [];
  try {
    const link = await shareFiles(sharer, [file]);
    const page = await hostileContext.newPage();
    await openRelayPage(page, '/__hostile', bundle);
    const call = member(page);
    const relayUrl = `${new URL(appUrl()).origin.replace('http', 'ws')}/signal`;
    await call('join', link.slice(link.indexOf('#') + 1), relayUrl, mode);
    await expect.poll(() => call('linked'), { timeout: 15_000 }).toHaveLength(1); // linked to the sharer
    await expect.poll(async () => Object.keys(await call('items')).length, { timeout: 15_000 }).toBe(1);
    for (let i = 0; i < 2; i++) {
      const downloader = await openPeer(browser, link, {}, [countConnections]);
      const counts = new Map<string, number>();
      logged.set(downloader, counts);
      downloader.page.on('console', (message) => {
        const [app, event] = message.text().split(' ');
        if (app === 'swarmdrop' && event) counts.set(event, (counts.get(event) ?? 0) + 1);
      });
      downloaders.push(downloader);
    }
    await attack(call, downloaders, sharer);
    for (const downloader of downloaders) {
      await expect(item(downloader.page, file.name)).toHaveAttribute('data-state', 'complete', { timeout: 60_000 });
      expect((await saveItem(downloader.page, file.name)).sha256).toBe(file.sha256);
      expect(await heapUsed(downloader)).toBeLessThan(heapBoundBytes);
      const connections = await downloader.page.evaluate(() => (window as unknown as { swarmdropConnections?: number }).swarmdropConnections ?? 0);
      expect(connections).toBeLessThanOrEqual(connectionsBound);
      expect(downloader.consoleErrors).toEqual([]);
    }
  } finally {
    for (const downloader of downloaders) await downloader.context.close();
    await hostileContext.close();
    await sharer.context.close();
  }
}

test.describe('a hostile member in the room', () => {
  test('floods bogus offers: the downloaders answer a few, spend a handful of connections, and complete', async ({ browser }) => {
    await runAgainstMember(browser, 'quiet', async (call, downloaders) => {
      // It floods the two downloaders, once it has heard them say hello (so it knows they are there).
      const victims = await Promise.all(downloaders.map((downloader) => myPeerId(downloader.page)));
      for (const victim of victims) await expect.poll(() => call('heard'), { timeout: 15_000 }).toContain(victim);
      expect(await call('floodOffers', 300, victims)).toBe(600);
      // Each downloader handled the flood: it tried the first few offers (each failed at once), then refused
      // the rest; the connection count is checked below.
      for (const downloader of downloaders) {
        await expect.poll(() => loggedCount(downloader, 'offer-refused'), { timeout: 30_000 }).toBeGreaterThan(280);
      }
    });
  });

  test('impersonates an honest downloader: the forgeries are refused and it still completes', async ({ browser }) => {
    await runAgainstMember(browser, 'quiet', async (call, downloaders, sharer) => {
      const [victim] = downloaders;
      if (!victim) throw new Error('no downloader');
      const victimId = await myPeerId(victim.page);
      await expect.poll(() => call('heard'), { timeout: 15_000 }).toContain(victimId);
      await call('impersonate', victimId);
      // The sharer heard the forged hello; the page says a member did it (not the relay).
      await expect(sharer.page.locator('[data-testid=error][data-reason=signaling-member-forgery]')).toHaveCount(1);
      await expect(sharer.page.locator('[data-testid=error][data-reason=signaling-tampered]')).toHaveCount(0);
    });
  });

  test('floods get-manifest requests: the sharer answers at its own pace and the downloaders complete', async ({ browser }) => {
    await runAgainstMember(browser, 'get-manifest-flood', async (call) => {
      await expect.poll(() => call('framesSent'), { timeout: 15_000 }).toBeGreaterThan(20_000);
    });
  });

  test('announces 100k items: the downloaders hold a bounded set of them and complete the real item', async ({ browser }) => {
    await runAgainstMember(browser, 'announce-100k', async (call) => {
      await expect.poll(() => call('framesSent'), { timeout: 15_000 }).toBeGreaterThan(97);
    });
  });

  test('claims chunks and drips their data: the downloaders move to the sharer and complete', async ({ browser }) => {
    await runAgainstMember(
      browser,
      'drip',
      async (call, downloaders) => {
        // The downloaders took its claims and asked it for chunks, which it drips; the requests stalled and moved.
        await expect.poll(() => call('requestsSeen'), { timeout: 15_000 }).toBeGreaterThan(0);
        await expect.poll(() => downloaders.reduce((sum, d) => sum + loggedCount(d, 'requests-stalled'), 0), { timeout: 30_000 }).toBeGreaterThan(0);
      },
      // A slow sharer (300 kB/s), so the downloaders still need chunks when the member's claims arrive.
      { 'swarmdrop.uploadLimit': '300000' },
    );
  });
});
