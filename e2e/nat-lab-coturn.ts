// coturn (Debian's 4.6.1 `turnserver`) inside the lab's internet namespace, with REST-style
// (use-auth-secret) credentials, and a count of the bytes it relayed read from iptables counters.
import { mintTurnCredential } from '../signaling/turn-credentials';
import { join } from 'node:path';
import type { NatLab } from './nat-lab';
import type { LabProcess } from './nat-lab-process';

/** TURN's standard port; free inside the lab's private internet namespace. */
const defaultListenPort = 3478;

/** coturn's own default relay range (RFC 5766 suggests the dynamic ports). */
const defaultRelayPorts = { min: 49_152, max: 65_535 } as const;

/** Deadline for coturn to open its UDP and TCP listeners: it takes ~100 ms; SQLite init is the slow part. */
const startTimeoutMs = 10_000;

/** How long REST credentials stay valid: far longer than any test. */
const credentialTtlS = 3_600;

export interface CoturnOptions {
  readonly secret: string;
  readonly realm: string;
  /** UDP and TCP listening port on the internet address. Default 3478. */
  readonly port?: number;
  /** Relay (allocation) port range; give a second coturn in the same lab a disjoint one. */
  readonly relayPorts?: { readonly min: number; readonly max: number };
}

export interface Coturn {
  readonly process: LabProcess;
  /** `turn:IP:PORT?transport=udp`, for `iceServers`. */
  readonly urlUdp: string;
  /** `turn:IP:PORT?transport=tcp`. */
  readonly urlTcp: string;
  /** `stun:IP:PORT` (coturn answers Binding requests without credentials). */
  readonly urlStun: string;
  /**
   * Bytes that crossed coturn's relay (allocation) ports so far, IP + UDP headers included: sent out
   * of one towards a peer (a client relaying through its own allocation) plus received on one from a
   * peer (a peer sending to a client's allocation). Every relayed datagram crosses a relay port, so a
   * relayed transfer counts at least once whichever end holds the allocation (a relay ↔ relay pair
   * counts twice). Read from iptables counters in the internet namespace: exact and immediate, unlike the log.
   */
  relayedBytes(): Promise<number>;
  /**
   * Sums of coturn's own client-side `usage: … rb=…, sb=…` log lines. Informational only: coturn
   * logs a session's usage only every 2,048 packets and at session end, so small transfers and
   * live allocations are under-counted.
   */
  loggedUsage(): { readonly receivedBytes: number; readonly sentBytes: number; readonly lines: number };
  /** Allocations coturn logged as created (a TURN Allocate that succeeded). */
  allocations(): number;
  stop(): Promise<void>;
}

/** Credentials for coturn's `use-auth-secret` mode (the TURN REST API draft). */
export interface TurnCredentials {
  readonly username: string;
  readonly credential: string;
}

/** The relay's own minting (username `<expiry>:<random>`, password base64(HMAC-SHA1(secret, username))), for lab checks without the relay. */
export function turnRestCredentials(secret: string, nowMs = Date.now(), ttlS = credentialTtlS): TurnCredentials {
  const { username, credential } = mintTurnCredential(secret, ttlS, nowMs);
  return { username, credential };
}

/** Parses the rb/sb totals out of coturn's `session …: usage: realm=<…>, username=<…>, rp=…, rb=…, sp=…, sb=…` lines. */
export function parseUsage(log: string): { receivedBytes: number; sentBytes: number; lines: number } {
  let receivedBytes = 0;
  let sentBytes = 0;
  let lines = 0;
  for (const match of log.matchAll(/: usage: realm=<[^>]*>, username=<[^>]*>, rp=\d+, rb=(\d+), sp=\d+, sb=(\d+)/g)) {
    receivedBytes += Number(match[1]);
    sentBytes += Number(match[2]);
    lines += 1;
  }
  return { receivedBytes, sentBytes, lines };
}

/** Starts coturn in the foreground inside the lab's internet namespace and waits until it listens. */
export async function startCoturn(lab: NatLab, options: CoturnOptions): Promise<Coturn> {
  const ip = lab.internetIp;
  const port = options.port ?? defaultListenPort;
  const relay = options.relayPorts ?? defaultRelayPorts;
  const ns = lab.internetNs;
  const counterRules = [
    ['OUTPUT', '-s', ip, '-p', 'udp', '--sport', `${relay.min}:${relay.max}`, '-m', 'comment', '--comment', `turn-relay-${port}`],
    ['INPUT', '-d', ip, '-p', 'udp', '--dport', `${relay.min}:${relay.max}`, '-m', 'comment', '--comment', `turn-relay-${port}`],
  ];
  for (const rule of counterRules) await lab.exec(ns, 'iptables', ['-w', '5', '-A', ...rule]);
  const args = [
    '-n', // no config file: every setting is on this line
    '-v', // logs "listener opened" (our readiness signal) and the per-session usage lines
    '--log-file=stdout',
    '--simple-log',
    `--listening-ip=${ip}`,
    `--relay-ip=${ip}`,
    `--listening-port=${port}`,
    `--min-port=${relay.min}`,
    `--max-port=${relay.max}`,
    '--use-auth-secret',
    `--static-auth-secret=${options.secret}`,
    `--realm=${options.realm}`,
    '--fingerprint',
    '--no-tls',
    '--no-dtls',
    '--no-cli',
    '--no-rfc5780', // one address only: NAT behaviour discovery cannot work and only warns
    '--no-multicast-peers',
    `--userdb=${join(lab.tempDir, `turndb-${port}`)}`, // SQLite file in the lab's temp dir, not /var/lib/turn
    `--pidfile=${join(lab.tempDir, `turnserver-${port}.pid`)}`,
  ];
  const child = lab.spawnIn(ns, 'turnserver', args);
  try {
    await child.waitForOutput(new RegExp(`UDP listener opened on: ${ip.replace(/\./g, '\\.')}:${port}`), startTimeoutMs);
    await child.waitForOutput(new RegExp(`TCP listener opened on : ${ip.replace(/\./g, '\\.')}:${port}`), startTimeoutMs);
  } catch (error) {
    await child.stop();
    throw error;
  }
  return {
    process: child,
    urlUdp: `turn:${ip}:${port}?transport=udp`,
    urlTcp: `turn:${ip}:${port}?transport=tcp`,
    urlStun: `stun:${ip}:${port}`,
    relayedBytes: async () => {
      let total = 0;
      for (const chain of ['OUTPUT', 'INPUT']) {
        const { stdout } = await lab.exec(ns, 'iptables', ['-w', '5', '-L', chain, '-v', '-x', '-n']);
        const line = stdout.split('\n').find((l) => l.includes(`/* turn-relay-${port} */`));
        const bytes = Number(line?.trim().split(/\s+/)[1]);
        if (!Number.isFinite(bytes)) throw new Error(`coturn relay counter not found in ${chain}:\n${stdout}`);
        total += bytes;
      }
      return total;
    },
    loggedUsage: () => parseUsage(child.output()),
    allocations: () => (child.output().match(/ ALLOCATE processed, success/g) ?? []).length,
    stop: () => child.stop(),
  };
}
