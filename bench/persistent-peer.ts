// A peer with on-disk IndexedDB: its own persistent Chromium (one browser process per peer), set up by
// e2e/peers.ts exactly like the suite's peers (loopback-only WebRTC, media permission, init scripts).
// Incognito contexts keep IndexedDB in memory and fail past ~0.75–1.5 GiB (shared/MEASURED.md).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import { chromiumArgs, chromiumExecutable } from '../e2e/browser';
import { appUrl, openPeer, type TestPeer } from '../e2e/peers';

/** A peer in a browser of its own, with the profile folder that holds its IndexedDB. */
export interface PersistentPeer extends TestPeer {
  readonly userDataDir: string;
  /** Closes the browser and deletes its profile. */
  close(): Promise<void>;
}

/** Launches a browser on a fresh profile and opens the peer's page at `url` (about:blank to navigate later). */
export async function openPersistentPeer(url = appUrl(), initScripts: readonly (() => void)[] = []): Promise<PersistentPeer> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'swarmdrop-profile-'));
  const remove = (): void => rmSync(userDataDir, { recursive: true, force: true });
  try {
    const context = await chromium.launchPersistentContext(userDataDir, {
      args: chromiumArgs,
      acceptDownloads: true,
      ...(chromiumExecutable ? { executablePath: chromiumExecutable } : {}),
    });
    try {
      // openPeer configures the context browser.newContext() gives it: hand it this one, so the loopback
      // filter and permissions come from e2e/peers.ts rather than a copy.
      const thisContext = { newContext: () => Promise.resolve(context) } as unknown as Browser;
      const peer = await openPeer(thisContext, url, {}, initScripts);
      // The launch's own blank tab: closed, so the peer's page is the browser's only renderer.
      await Promise.all(context.pages().filter((page) => page !== peer.page).map((page) => page.close()));
      return {
        ...peer,
        userDataDir,
        async close() {
          try {
            await context.close();
          } finally {
            remove();
          }
        },
      };
    } catch (error) {
      await context.close();
      throw error;
    }
  } catch (error) {
    remove();
    throw error;
  }
}
