// The app in the NAT lab: the real relay process (built-in STUN, TURN credentials, TLS) in the lab's
// internet namespace, and one Chromium per home, launched inside the home's namespace.
import { fileURLToPath } from 'node:url';
import { chromium, expect, type Browser } from '@playwright/test';
import { createTestCertificate, type TestCertificate } from '../signaling/test-support/test-cert';
import { randomBytes } from 'node:crypto';
import { chromiumArgs } from './browser';
import { createNatLab, startCoturn, type HomeName, type LabProcess, type NatKind, type NatLab } from './nat-lab';
import { newPeerContext, openTab, shareFiles, type TestFile, type TestPeer } from './peers';

/** The built relay entry (npm run build made it). */
const relayMain = fileURLToPath(new URL('../build/signaling/main.js', import.meta.url));

/** Deadline for the relay process to print its URL. */
const relayStartMs = 15_000;

/** A relay process in the lab's internet namespace. */
export interface LabRelay {
  readonly process: LabProcess;
  /** https://198.51.100.1:PORT/ (or http:// without TLS). */
  readonly url: string;
  stop(): Promise<void>;
}

/** Starts `node build/signaling/main.js` in the internet namespace with `env` (PORT, TLS_*, TURN_*…). */
export async function startLabRelay<H extends string>(lab: NatLab<H>, port: number, env: Readonly<Record<string, string>>): Promise<LabRelay> {
  const child = lab.spawnIn(lab.internetNs, process.execPath, [relayMain], { HOST: lab.internetIp, PORT: String(port), ...env });
  const [, url] = (await child.waitForOutput(/Swarmdrop is running at (\S+)/, relayStartMs)) as unknown as [string, string];
  return { process: child, url: `${url}/`, stop: () => child.stop() };
}

/** A certificate for the lab's internet address, which the lab's browsers are told to trust. */
export function labCertificate<H extends string>(lab: NatLab<H>): TestCertificate {
  return createTestCertificate([lab.internetIp]);
}

/** The relay env that serves HTTPS with `certificate`. */
export function tlsEnv(certificate: TestCertificate): Record<string, string> {
  return { TLS_CERT: certificate.certPath, TLS_KEY: certificate.keyPath };
}

/** A Chromium inside `home`, trusting `certificate` (by its key, as Chromium's SPKI flag does). */
export async function launchInHome<H extends string>(lab: NatLab<H>, home: H, certificate?: TestCertificate): Promise<Browser> {
  return chromium.launch({
    executablePath: lab.chromiumWrapper(home),
    args: [...chromiumArgs, ...(certificate ? [`--ignore-certificate-errors-spki-list=${certificate.spkiSha256Base64}`] : [])],
  });
}

/** One peer of a lab test: its context, page, console errors, and the app's own log events. */
export interface LabPeer extends TestPeer {
  /** `swarmdrop` console.debug events the app logged, by name, with their fields. */
  readonly events: { readonly name: string; readonly fields: Record<string, unknown>; readonly atMs: number }[];
}

/** Opens `url` in a new context of `browser` (its own IndexedDB), with real host candidates (no loopback filter). */
export async function openLabPeer(browser: Browser, url: string, preferences: Record<string, string> = {}, initScripts: readonly (() => void)[] = []): Promise<LabPeer> {
  // Media permission makes Chromium put real host addresses in candidates; an insecure origin cannot get it.
  const { origin, protocol } = new URL(url);
  const context = await newPeerContext(browser, origin, preferences, initScripts, { loopbackOnly: false, media: protocol === 'https:' });
  const events: LabPeer['events'] = [];
  const peer = await openTab(context, url, (page) =>
    page.on('console', (message) => {
      if (message.type() !== 'debug' || !message.text().startsWith('swarmdrop ')) return;
      const [, name, fields] = message.args();
      const atMs = Date.now();
      Promise.all([name?.jsonValue(), fields?.jsonValue()]).then(
        ([n, f]) => events.push({ name: String(n), fields: (f ?? {}) as Record<string, unknown>, atMs }),
        () => undefined, // a line logged as the page closes can no longer be read: nothing to record
      );
    }),
  );
  return { ...peer, events };
}

/** Opens a peer in a home's browser at a URL (the lab's browsers trust its certificate). */
export type LabOpen = (home: HomeName, url: string, prefs?: Record<string, string>, scripts?: (() => void)[]) => Promise<LabPeer>;

/** The relay's port inside the lab's private internet namespace (nothing else listens there). */
const relayPort = 8443;

/** A lab with the relay over HTTPS and one browser per home; everything is stopped in `finally`. */
export async function withLab(
  nat: NatKind,
  options: { turn: boolean },
  body: (lab: NatLab, open: LabOpen, url: string, extra: { coturnBytes(): Promise<number> }) => Promise<void>,
): Promise<void> {
  const lab = await createNatLab({ nat });
  let certificate: TestCertificate | null = null;
  const browsers: { close(): Promise<void> }[] = [];
  try {
    certificate = labCertificate(lab);
    const secret = randomBytes(16).toString('hex');
    const coturn = options.turn ? await startCoturn(lab, { secret, realm: 'swarmdrop.test' }) : null;
    const relay = await startLabRelay(lab, relayPort, {
      ...tlsEnv(certificate),
      ...(coturn ? { TURN_URLS: coturn.urlUdp, TURN_SECRET: secret } : {}),
    });
    const cert = certificate;
    const open: LabOpen = async (home, url, prefs = {}, scripts = []) => {
      const browser = await launchInHome(lab, home, cert);
      browsers.push(browser);
      return openLabPeer(browser, url, prefs, scripts);
    };
    await body(lab, open, relay.url, { coturnBytes: async () => (coturn ? coturn.relayedBytes() : 0) });
  } finally {
    await Promise.all(browsers.map((b) => b.close().catch(() => undefined)));
    await lab.close();
    certificate?.remove();
  }
}


/** Shares `file` from home A, opens the link in home B, and returns both peers. */
export async function shareAcross(open: LabOpen, url: string, file: TestFile, sharerPrefs: Record<string, string> = {}, friendScripts: (() => void)[] = []) {
  const sharer = await open('a', url, sharerPrefs);
  const link = await shareFiles(sharer, [file]);
  expect(new URL(link).origin).toBe(new URL(url).origin);
  const friend = await open('b', link, {}, friendScripts);
  return { sharer, friend };
}

/** The app's own log of each peer, printed when a lab test fails: which ICE states, restarts and routes it went through. */
export function printEvents(peers: Readonly<Record<string, LabPeer>>, sinceMs: number): void {
  for (const [name, peer] of Object.entries(peers)) {
    const lines = peer.events.filter((e) => e.name !== 'relay-notice').map((e) => `  +${e.atMs - sinceMs} ms ${e.name} ${JSON.stringify(e.fields)}`);
    console.log(`${name}:\n${lines.join('\n')}`);
  }
}
