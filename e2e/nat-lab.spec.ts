// Infrastructure check of the NAT lab itself (not of the app): NAT mappings, isolation between
// homes, a browser inside a home, coturn with REST credentials, and a clean close().
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, expect, test, type Browser } from '@playwright/test';
import { chromiumArgs } from './browser';
import { createNatLab, removeStaleLabs, requireNatLab, startCoturn, turnRestCredentials, type NatKind, type NatLab } from './nat-lab';
import { isAlive, runSync } from './nat-lab-process';
import { startHttpPage, startUdpEcho, tcpDial, udpWhoAmI } from './nat-lab-probes';
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
