// Issue 5: during a whole share-and-download, the page loads nothing from other origins, and the link
// secret appears in no HTTP request (URL, header, body), no WebSocket frame, and no relay log line.
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { expect, test, type BrowserContext } from '@playwright/test';
import { createRelay, type Relay } from '../signaling/relay.js';
import { item, openPeer, saveItem, shareFiles, writeTestFiles } from './peers';

const distDir = process.env.SWARMDROP_DIST ?? fileURLToPath(new URL('../dist', import.meta.url));

/** Everything a context's open pages send over the network from now on, as text. */
function recordTraffic(context: BrowserContext, sink: string[], origins: Set<string>): void {
  context.on('request', (request) => {
    origins.add(new URL(request.url()).origin);
    sink.push(request.url(), JSON.stringify(request.headers()), request.postData() ?? '');
  });
  for (const page of context.pages()) {
    page.on('websocket', (socket) => {
      origins.add(new URL(socket.url()).origin.replace(/^ws/, 'http'));
      sink.push(socket.url());
      socket.on('framesent', (frame) => sink.push(String(frame.payload)));
    });
  }
}

test('no third-party resource, and the secret never leaves the browser', async ({ browser }) => {
  const relayLog: string[] = [];
  const relay: Relay = await createRelay({ port: 0, host: '127.0.0.1', staticDir: distDir, log: (entry) => relayLog.push(JSON.stringify(entry)) });
  const appOrigin = `http://localhost:${relay.address.port}`;
  try {
    const [file] = writeTestFiles([{ name: 'secret-plans.bin', bytes: randomBytes(2_000_000) }]);
    if (!file) throw new Error('no file');
    const traffic: string[] = [];
    const origins = new Set<string>();
    // Pages open blank, so the recorder is attached before the app makes its first request.
    const sharer = await openPeer(browser, 'about:blank');
    recordTraffic(sharer.context, traffic, origins);
    await sharer.page.goto(`${appOrigin}/`);
    const link = await shareFiles(sharer, [file]);
    const secret = new URL(link).hash.slice(1);
    expect(secret.length).toBeGreaterThanOrEqual(22);

    const friend = await openPeer(browser, 'about:blank');
    recordTraffic(friend.context, traffic, origins);
    await friend.page.goto(link);
    await expect(item(friend.page, file.name)).toHaveAttribute('data-state', 'complete');
    expect((await saveItem(friend.page, file.name)).sha256).toBe(file.sha256);
    await friend.page.reload(); // a reload rejoins from the fragment: still nothing leaves
    await expect(item(friend.page, file.name)).toHaveAttribute('data-state', 'complete');

    expect(traffic.length).toBeGreaterThan(10);
    expect(traffic.some((text) => text.includes('"subscribe"'))).toBe(true); // WebSocket frames are in the record
    expect([...origins].filter((origin) => origin !== appOrigin)).toEqual([]);
    const leaks = [...traffic, ...relayLog].filter((text) => text.includes(secret));
    expect(leaks).toEqual([]);
    expect(relayLog.length).toBeGreaterThan(0);
    await friend.context.close();
    await sharer.context.close();
  } finally {
    await relay.close();
  }
});
