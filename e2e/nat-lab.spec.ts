// Infrastructure check of the NAT lab itself (not of the app): NAT mappings, isolation between
// homes, a browser inside a home, coturn with REST credentials, and a clean close().
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, expect, test, type Browser } from '@playwright/test';
import { chromiumArgs } from './browser';
import { createNatLab, createShapedLab, removeStaleLabs, requireNatLab, startCoturn, turnRestCredentials, type NatKind, type NatLab } from './nat-lab';
import { isAlive, runSync } from './nat-lab-process';
import { bulkTransfer, startBulkServer, startHttpPage, startUdpEcho, tcpDial, udpWhoAmI } from './nat-lab-probes';
import { candidateLines, connectPages, selectedPairTypes, sendAndReceive } from './nat-lab-webrtc';

requireNatLab(test);

/** Two echo ports on the internet server: two destinations for the mapping check. */
const echoPorts = [7001, 7002] as const;

/** Port of the trivial page server (in the internet, and in home B for the isolation check). */
const httpPort = 8000;

/** A second page server port, for the link check. */
const linkCheckPort = 8001;

/** How long a blocked dial may take to fail: an unroutable range must fail fast, not hang. */
const dialTimeoutMs = 500;

/** Bytes pushed through coturn: big enough to show in its counters, small enough for a fast test. */
const relayedPayloadBytes = 1024 * 1024;

/** Deadline for the relayed transfer (it takes well under a second). */
const transferTimeoutMs = 15_000;

const turnSecret = 'nat-lab-test-secret';
const turnRealm = 'nat-lab.test';

/** Namespaces of this test process whose name starts with `prefix`. */
function namespacesStartingWith(prefix: string): string[] {
  return (runSync('ip', ['netns', 'list']) ?? '')
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => name.startsWith(prefix));
}

async function launchIn(lab: NatLab, home: 'a' | 'b'): Promise<Browser> {
  return chromium.launch({ executablePath: lab.chromiumWrapper(home), args: chromiumArgs });
}

test("a crashed run's namespaces are removed when the next lab starts", () => {
  const deadPid = spawnSync('true').pid; // a pid that has just exited
  const stale = `sd-${deadPid}-0-net`;
  expect(runSync('ip', ['netns', 'add', stale])).not.toBeNull();
  expect(removeStaleLabs()).toContain(stale);
  expect(namespacesStartingWith(stale)).toEqual([]);
});

for (const nat of ['endpoint-independent', 'symmetric'] as const satisfies readonly NatKind[]) {
  test.describe.serial(`NAT lab, ${nat}`, () => {
    let lab: NatLab | undefined;
    const theLab = (): NatLab => {
      if (!lab) throw new Error('lab not created');
      return lab;
    };

    test.beforeAll(async () => {
      lab = await createNatLab({ nat });
    });

    test.afterAll(async () => {
      await lab?.close();
    });

    test('the internet sees a home through its router, with the mapping its NAT kind implies', async () => {
      const lab = theLab();
      for (const port of echoPorts) await startUdpEcho(lab, lab.internetNs, lab.internetIp, port);
      const { a } = lab.homes;
      const probe = await udpWhoAmI(lab, a.ns, echoPorts.map((port) => `${lab.internetIp}:${port}`));
      const [first, second] = probe.seen.map((seen) => {
        const [ip, port] = seen.split(':');
        return { ip, port: Number(port) };
      });
      expect(first?.ip).toBe(a.routerWanIp);
      expect(second?.ip).toBe(a.routerWanIp);
      if (nat === 'symmetric') {
        expect(first?.port).not.toBe(second?.port);
      } else {
        // Linux MASQUERADE keeps the source port when it is free: one mapping for every destination.
        expect(first?.port).toBe(probe.localPort);
        expect(second?.port).toBe(probe.localPort);
      }
    });

    test("a home cannot reach the other home's private range", async () => {
      const lab = theLab();
      const { a, b } = lab.homes;
      await startHttpPage(lab, b.ns, b.hostIp, httpPort);
      const privateB = `${b.hostIp}:${httpPort}`;
      expect(await tcpDial(lab, b.ns, [privateB], dialTimeoutMs)).toEqual(['connected']); // the server is up
      // Unroutable from home A and from the internet; B's NAT has no inbound port for it either.
      const fromA = await tcpDial(lab, a.ns, [privateB, `${b.routerWanIp}:${httpPort}`], dialTimeoutMs);
      const fromInternet = await tcpDial(lab, lab.internetNs, [privateB], dialTimeoutMs);
      expect([...fromA, ...fromInternet]).not.toContain('connected');
    });

    test('Chromium in a home loads a page from the internet, which sees the NAT address', async () => {
      const lab = theLab();
      await startHttpPage(lab, lab.internetNs, lab.internetIp, httpPort);
      const browser = await chromium.launch({ executablePath: lab.chromiumWrapper('a'), args: chromiumArgs });
      try {
        const page = await browser.newPage();
        await page.goto(`http://${lab.internetIp}:${httpPort}/`);
        await expect(page.locator('#from')).toHaveText(lab.homes.a.routerWanIp);
      } finally {
        await browser.close();
      }
    });

    test("setLinkDown cuts the home host's link and restores it", async () => {
      const lab = theLab();
      await startHttpPage(lab, lab.internetNs, lab.internetIp, linkCheckPort);
      const server = `${lab.internetIp}:${linkCheckPort}`;
      await lab.setLinkDown('a', true);
      expect(await tcpDial(lab, lab.homes.a.ns, [server], dialTimeoutMs)).not.toEqual(['connected']);
      expect(await tcpDial(lab, lab.homes.b.ns, [server], dialTimeoutMs)).toEqual(['connected']); // home B is not affected
      await lab.setLinkDown('a', false);
      expect(await tcpDial(lab, lab.homes.a.ns, [server], dialTimeoutMs)).toEqual(['connected']);
    });

    test('coturn allocates with REST credentials and relays between the homes', async () => {
      const lab = theLab();
      const turn = await startCoturn(lab, { secret: turnSecret, realm: turnRealm });
      const [browserA, browserB] = await Promise.all([launchIn(lab, 'a'), launchIn(lab, 'b')]);
      try {
        const [pageA, pageB] = await Promise.all([browserA.newPage(), browserB.newPage()]);
        // Relay-only: each side must allocate on coturn (Chromium hides the relay's raddr: 0.0.0.0).
        const config: RTCConfiguration = { iceServers: [{ urls: turn.urlUdp, ...turnRestCredentials(turnSecret) }], iceTransportPolicy: 'relay' };
        const { offer, answer } = await connectPages(pageA, pageB, config);
        for (const [sdp, home] of [[offer, lab.homes.a], [answer, lab.homes.b]] as const) {
          const relay = candidateLines(sdp).filter((line) => line.includes(' typ relay '));
          expect(relay.length, `relay candidate from home ${home.name}`).toBeGreaterThan(0);
          expect(relay.every((line) => line.includes(` ${lab.internetIp} `))).toBe(true);
        }
        await expect.poll(() => turn.allocations()).toBeGreaterThanOrEqual(2); // its log may trail the browser
        const before = await turn.relayedBytes();
        await sendAndReceive(pageA, pageB, relayedPayloadBytes, transferTimeoutMs);
        expect(await selectedPairTypes(pageA)).toEqual({ local: 'relay', remote: 'relay' });
        const relayed = (await turn.relayedBytes()) - before;
        expect(relayed).toBeGreaterThanOrEqual(relayedPayloadBytes);
        test.info().annotations.push({ type: 'coturn', description: JSON.stringify({ relayed, logged: turn.loggedUsage() }) });
      } finally {
        await Promise.all([browserA.close(), browserB.close()]);
      }
    });

    test('close() leaves no namespace, process or temp file behind', async () => {
      const lab = theLab();
      const straggler = lab.spawnIn(lab.homes.b.ns, 'sleep', ['600']); // a process the test "forgot"
      const browser = await launchIn(lab, 'a'); // and a browser it did not close
      const labPids = [straggler.pid, ...(runSync('ip', ['netns', 'pids', lab.internetNs]) ?? '').split(/\s+/).filter(Boolean).map(Number)];
      expect(labPids.length).toBeGreaterThan(2); // the sleep, echo/page servers, coturn
      expect(namespacesStartingWith(`${lab.prefix}-`)).toHaveLength(5);
      await lab.close();
      await lab.close(); // idempotent
      expect(namespacesStartingWith(`sd-${process.pid}-`)).toEqual([]);
      expect(labPids.filter(isAlive)).toEqual([]);
      expect(existsSync(lab.tempDir)).toBe(false);
      await expect.poll(() => browser.isConnected()).toBe(false);
    });
  });
}

test.describe('shaped lab of several homes', () => {
  /** Bytes moved each way per check: ~1–2 s at the shaped rates, 40× the token bucket (≤ 10 ms of rate, or 6 KB). */
  const bulkBytes = 250_000;
  /** The bulk server's port on the internet. */
  const bulkPort = 9000;
  /** A shaped link may run this much over its rate: TCP measures from connect, and the bucket starts full. */
  const rateSlack = 1.15;
  /** Deadline for one bulk transfer: 10× its time at the slowest shaped rate. */
  const bulkTimeoutMs = 20_000;

  test('homes get their own documentation-range addresses, NAT and firewall; each link is shaped both ways, and can be reshaped', async () => {
    const links = [{ upMbit: 2, downMbit: 4 }, null, { upMbit: 1, downMbit: 8 }];
    const lab = await createShapedLab(links.map((link) => ({ link })));
    try {
      expect(lab.homeList.map((home) => [home.name, home.hostIp, home.routerWanIp])).toEqual([
        ['a', '192.0.2.10', '198.51.100.2'],
        ['b', '203.0.113.10', '198.51.100.3'],
        ['c', '192.0.2.26', '198.51.100.4'],
      ]);
      expect(namespacesStartingWith(`${lab.prefix}-`)).toHaveLength(1 + 2 * links.length);
      await startUdpEcho(lab, lab.internetNs, lab.internetIp, echoPorts[0]);
      await startBulkServer(lab, lab.internetNs, lab.internetIp, bulkPort);
      const bulkTarget = `${lab.internetIp}:${bulkPort}`;
      const [a, b, c] = lab.homeList;
      if (!a || !b || !c) throw new Error('three homes expected');
      // Home c (on TEST-NET-1 like a) is seen through its own router, and cannot reach home a's private range.
      const probe = await udpWhoAmI(lab, c.ns, [`${lab.internetIp}:${echoPorts[0]}`]);
      expect(probe.seen[0]?.split(':')[0]).toBe(c.routerWanIp);
      await startHttpPage(lab, a.ns, a.hostIp, httpPort);
      expect(await tcpDial(lab, c.ns, [`${a.hostIp}:${httpPort}`, `${a.routerWanIp}:${httpPort}`], dialTimeoutMs)).not.toContain('connected');
      // No faster than shaped, each way (how much slower depends on the machine, so it is not asserted).
      for (const [home, link] of [[a, links[0]], [c, links[2]]] as const) {
        if (!link) throw new Error('shaped link expected');
        const before = await lab.linkCounters(home.name);
        const upSeconds = await bulkTransfer(lab, home.ns, bulkTarget, 'up', bulkBytes, bulkTimeoutMs);
        const downSeconds = await bulkTransfer(lab, home.ns, bulkTarget, 'down', bulkBytes, bulkTimeoutMs);
        const after = await lab.linkCounters(home.name);
        console.log(`home ${home.name}: ${bulkBytes} bytes up in ${upSeconds} s (shaped ${link.upMbit} Mbit/s), down in ${downSeconds} s (${link.downMbit} Mbit/s)`);
        expect((bulkBytes * 8) / 1e6 / upSeconds, `home ${home.name} up`).toBeLessThanOrEqual(link.upMbit * rateSlack);
        expect((bulkBytes * 8) / 1e6 / downSeconds, `home ${home.name} down`).toBeLessThanOrEqual(link.downMbit * rateSlack);
        expect(after.upBytes - before.upBytes).toBeGreaterThan(bulkBytes);
        expect(after.up.sentBytes - before.up.sentBytes).toBeGreaterThan(bulkBytes); // it went through the shaper
        expect(after.down.sentBytes - before.down.sentBytes).toBeGreaterThan(bulkBytes);
      }
      // Reshaped at run time: home b, unshaped so far, now uploads at 1 Mbit/s; home a is unshaped.
      await lab.shapeLink(b.name, { upMbit: 1, downMbit: 10 });
      await lab.shapeLink(a.name, null);
      expect(b.link).toEqual({ upMbit: 1, downMbit: 10 });
      expect(a.link).toBeNull();
      const reshapedSeconds = await bulkTransfer(lab, b.ns, bulkTarget, 'up', bulkBytes, bulkTimeoutMs);
      expect((bulkBytes * 8) / 1e6 / reshapedSeconds).toBeLessThanOrEqual(1 * rateSlack);
      const unshaped = await lab.exec(a.routerNs, 'tc', ['qdisc', 'show', 'dev', 'wan']);
      expect(unshaped.stdout).not.toContain('tbf');
    } finally {
      await lab.close();
    }
    expect(namespacesStartingWith(`${lab.prefix}-`)).toEqual([]);
  });

  test('a lab refuses a home count or a rate it cannot build, and leaves nothing behind', async () => {
    await expect(createShapedLab([])).rejects.toThrow(RangeError);
    await expect(createShapedLab(Array.from({ length: 17 }, () => ({ link: null })))).rejects.toThrow(RangeError);
    await expect(createShapedLab([{ link: { upMbit: 0, downMbit: 10 } }])).rejects.toThrow(/outside/);
    expect(namespacesStartingWith(`sd-${process.pid}-`)).toEqual([]);
  });
});
