// Two relay processes sharing rooms through one real Redis: a sharer on relay A and friends on relay
// B transfer byte-exact; relay A killed, the sharer's page fails over to B and still serves.
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { redisSkipReason, freePort, startRedisServer, type RedisServer } from '../signaling/test-support/redis-server.js';
import { messageWith, ofType, openClient, type TestClient } from '../signaling/test-support/ws-client.js';
import { spawnTracked, type LabProcess } from './nat-lab-process';
import { item, openPeer, saveItem, shareFiles, writeTestFiles } from './peers';

const skipReason = redisSkipReason();
test.skip(skipReason !== null, skipReason ?? '');

/** The package root, where `npm run build` put build/signaling/main.js and dist/. */
const packageRoot = fileURLToPath(new URL('..', import.meta.url));

/** How long a relay process gets to listen and reach Redis: it starts in well under a second. */
const relayReadyMs = 15_000;

const [file] = writeTestFiles([{ name: 'pool-4MB.bin', bytes: randomBytes(4 * 1024 * 1024 + 777) }]);

interface PoolRelay {
  readonly process: LabProcess;
  /** The page's address on this relay (http://localhost:PORT/). */
  readonly pageUrl: string;
}

/** Starts `node build/signaling/main.js` as `npm start` does, in a pool of `ports` sharing `redis`. */
async function startPoolRelay(port: number, ports: readonly number[], redis: RedisServer): Promise<PoolRelay> {
  const others = ports.filter((other) => other !== port).map((other) => `ws://localhost:${other}/signal`);
  const env = {
    PORT: String(port),
    HOST: '127.0.0.1',
    REDIS_URL: redis.url,
    RELAY_URLS: others.join(','),
    // A page of one relay may use the others: each origin of the pool is allowed on every relay.
    ALLOWED_ORIGINS: ports.map((each) => `http://localhost:${each}`).join(','),
  };
  const relay = spawnTracked(process.execPath, ['build/signaling/main.js'], env, packageRoot);
  await relay.waitForOutput(/"event":"redis-connected"/, relayReadyMs);
  return { process: relay, pageUrl: `http://localhost:${port}/` };
}

/** The same room link, opened on another relay of the pool. */
const onRelay = (link: string, relay: PoolRelay): string => relay.pageUrl.replace(/\/$/, '') + new URL(link).pathname + new URL(link).hash;


test.describe('a pool of relays sharing one Redis', () => {
  let redis: RedisServer | undefined;
  const relays: PoolRelay[] = [];
  const clients: TestClient[] = [];
  test.afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await Promise.all(relays.splice(0).map((relay) => relay.process.stop()));
    await redis?.stop();
  });

  test('two relay processes carry room-wide and addressed messages, through a Redis restart and one relay killed', async () => {
    redis = await startRedisServer();
    const ports = [await freePort(), await freePort()];
    for (const port of ports) relays.push(await startPoolRelay(port, ports, redis));
    const connect = async (relay: PoolRelay | undefined, peer: string): Promise<TestClient> => {
      if (!relay) throw new Error('relay missing');
      // As a page of the pool would: the relays allow only their own origins (ALLOWED_ORIGINS).
      const client = await openClient(relay.pageUrl.replace(/^http/, 'ws') + 'signal', { origin: new URL(relay.pageUrl).origin });
      clients.push(client);
      await client.subscribe('room', peer);
      return client;
    };
    const [a1, a2, b1] = [await connect(relays[0], 'a1'), await connect(relays[0], 'a2'), await connect(relays[1], 'b1')];
    // A channel subscription is asynchronous: hello until the other relay has it, as pages do.
    await expect.poll(async () => {
      b1.send({ type: 'publish', topic: 'room', data: 'hello' });
      return (await a1.next(messageWith('hello'), 500).catch(() => null)) !== null;
    }).toBe(true);
    b1.send({ type: 'publish', topic: 'room', data: 'for-a2', to: 'a2' });
    expect(await a2.next(messageWith('for-a2'))).toMatchObject({ topic: 'room' });
    await Promise.all([a1.sync(), b1.sync()]);
    expect(a1.pending(messageWith('for-a2'))).toEqual([]);

    // Redis restarts: each relay tells its sockets "subscribed" again, and messages cross again.
    await redis.restart();
    for (const client of [a1, a2, b1]) await client.next(ofType('subscribed'), 15_000);
    a1.send({ type: 'publish', topic: 'room', data: 'after-restart', to: 'b1' });
    expect(await b1.next(messageWith('after-restart'))).toMatchObject({ topic: 'room' });

    // Relay B is killed: its socket closes, and relay A goes on serving its own members.
    process.kill(relays[1]?.process.pid ?? 0, 'SIGKILL');
    expect((await b1.closed).code).toBe(1006);
    a2.send({ type: 'publish', topic: 'room', data: 'still-here', to: 'a1' });
    expect(await a1.next(messageWith('still-here'))).toMatchObject({ topic: 'room' });
  });

  test('a sharer on relay A and friends on relay B transfer byte-exact, and A going down moves the sharer to B', async ({ browser }) => {
    if (!file) throw new Error('test file missing');
    redis = await startRedisServer();
    const ports = [await freePort(), await freePort()];
    for (const port of ports) relays.push(await startPoolRelay(port, ports, redis));
    const [relayA, relayB] = relays;
    if (!relayA || !relayB) throw new Error('relays missing');

    const sharer = await openPeer(browser, relayA.pageUrl);
    const link = await shareFiles(sharer, [file]);
    await expect(item(sharer.page, file.name)).toHaveAttribute('data-state', 'complete');

    // Each context is its own browser profile, so BroadcastChannel cannot join them: only the relays can.
    const friend = await openPeer(browser, onRelay(link, relayB));
    await expect(item(friend.page, file.name)).toHaveAttribute('data-state', 'complete', { timeout: 60_000 });
    expect(await saveItem(friend.page, file.name)).toEqual({ sha256: file.sha256, size: file.size, fileName: file.name });
    expect([...sharer.consoleErrors, ...friend.consoleErrors]).toEqual([]);
    await friend.context.close();

    // Relay A dies without a goodbye. The sharer's page fails over to B (it learned B from A), says
    // hello there, and a new friend on B, who can only get the file from the sharer, gets all of it.
    process.kill(relayA.process.pid, 'SIGKILL');
    await relayA.process.exited;
    const second = await openPeer(browser, onRelay(link, relayB));
    await expect(item(second.page, file.name)).toHaveAttribute('data-state', 'complete', { timeout: 60_000 });
    expect(await saveItem(second.page, file.name)).toEqual({ sha256: file.sha256, size: file.size, fileName: file.name });
    await expect(second.page.locator('[data-testid=error]')).toHaveCount(0);
    expect(second.consoleErrors).toEqual([]);
    await second.context.close();
    await sharer.context.close();
  });
});
