// NAT lab for end-to-end tests: an "internet" namespace (198.51.100.0/24) and two homes behind NAT
// routers, built from network namespaces, veth pairs and iptables (shared/MEASURED.md, "Beyond one
// machine"). Needs root; specs call requireNatLab(test) first. Typical use:
//
//   const lab = await createNatLab({ nat: 'symmetric' });
//   try {
//     const turn = await startCoturn(lab, { secret, realm });
//     const relay = await startLabRelay(lab, port, env); // reach-lab.ts: the built relay process
//     const a = await chromium.launch({ executablePath: lab.chromiumWrapper('a'), args: chromiumArgs });
//     …  await lab.setLinkDown('a', true); …  expect(await turn.relayedBytes()).toBe(0);
//   } finally {
//     await lab.close();
//   }
import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive, run, runSync, spawnTracked, terminate, type CommandResult, type LabProcess } from './nat-lab-process';
import {
  buildSteps,
  homeNames,
  homePlans,
  ifaces,
  internetPlan,
  labNames,
  staleNamePattern,
  type HomeName,
  type LabNames,
  type NatKind,
} from './nat-lab-topology';

export type { CommandResult, LabProcess } from './nat-lab-process';
export type { HomeName, NatKind } from './nat-lab-topology';
export { natLabUnavailableReason, requireNatLab } from './nat-lab-env';
export { startCoturn, turnRestCredentials, type Coturn, type CoturnOptions, type TurnCredentials } from './nat-lab-coturn';

/** Deadline for building a whole lab (~60 short commands, ~1 s in practice). */
const createTimeoutMs = 30_000;

/** Deadline for a home's link to report carrier again after setLinkDown(home, false). */
const linkUpTimeoutMs = 5_000;

/** Poll period while waiting for carrier: veth carrier follows within milliseconds. */
const linkPollMs = 20;

/** Temp directories are named `${tempPrefix}<pid>-…`, so a crashed run's leftovers can be found. */
const tempPrefix = 'sd-natlab-';
const staleTempPattern = new RegExp(`^${tempPrefix}(\\d+)-`);

/** One home as a test sees it. */
export interface LabHome {
  readonly name: HomeName;
  /** The home host's namespace: browsers and clients run here. */
  readonly ns: string;
  readonly routerNs: string;
  readonly hostIp: string;
  readonly routerLanIp: string;
  /** The NAT's public address: what servers on the internet see as the source. */
  readonly routerWanIp: string;
  readonly lanCidr: string;
  readonly nat: NatKind;
}

export interface NatLabOptions {
  /** One NAT kind for both homes, or one per home. Default 'endpoint-independent'. */
  readonly nat?: NatKind | Readonly<Record<HomeName, NatKind>>;
}

export interface NatLab {
  /** `sd-<pid>-<seq>`: every namespace of this lab starts with it. */
  readonly prefix: string;
  readonly internetNs: string;
  /** The internet's server address (coturn, relay, page server listen here). */
  readonly internetIp: string;
  readonly homes: Readonly<Record<HomeName, LabHome>>;
  /** A private directory for this lab's files; removed by close(). */
  readonly tempDir: string;
  /** Runs a command inside `ns` with a deadline; rejects with its stderr on failure. */
  exec(ns: string, cmd: string, args: readonly string[], timeoutMs?: number): Promise<CommandResult>;
  /** Starts a long-running process inside `ns`; close() stops it if the test did not. */
  spawnIn(ns: string, cmd: string, args: readonly string[], env?: Readonly<Record<string, string>>): LabProcess;
  /** An executable script that runs /usr/bin/chromium inside the home, for `chromium.launch({ executablePath })`. */
  chromiumWrapper(home: HomeName): string;
  /** Unplugs (or replugs) the cable between the home host and its router. */
  setLinkDown(home: HomeName, down: boolean): Promise<void>;
  /** Stops every process the lab started or that still runs in its namespaces, deletes the namespaces and temp files. Idempotent. */
  close(): Promise<void>;
}

/** What the 'exit' hook needs to clean up synchronously. */
interface OpenLab {
  readonly names: LabNames;
  readonly tempDir: string;
  readonly pids: Set<number>;
}

const openLabs = new Set<OpenLab>();
let labSeq = 0;
let exitHookInstalled = false;

/** Last resort when a test process exits without close(): kill what is left and delete namespaces, synchronously. */
function cleanUpSync(lab: OpenLab): void {
  for (const pid of lab.pids) killQuietly(pid);
  for (const ns of lab.names.all) deleteNamespaceSync(ns);
  rmSync(lab.tempDir, { recursive: true, force: true });
  openLabs.delete(lab);
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone: nothing to do.
  }
}

/** Kills whatever still runs in `ns` (by pid, from `ip netns pids`), then deletes it. */
function deleteNamespaceSync(ns: string): void {
  for (const pid of (runSync('ip', ['netns', 'pids', ns]) ?? '').split(/\s+/).filter(Boolean)) killQuietly(Number(pid));
  runSync('ip', ['netns', 'del', ns]);
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const lab of [...openLabs]) cleanUpSync(lab);
  });
}

/** Deletes namespaces and temp dirs left by lab runs whose process is gone (a crash, a SIGKILL). */
export function removeStaleLabs(): string[] {
  const removed: string[] = [];
  const listing = runSync('ip', ['netns', 'list']) ?? '';
  for (const ns of listing.split('\n').map((line) => line.split(' ')[0] ?? '')) {
    const pid = Number(staleNamePattern.exec(ns)?.[1] ?? Number.NaN);
    if (Number.isInteger(pid) && pid !== process.pid && !isAlive(pid)) {
      deleteNamespaceSync(ns);
      removed.push(ns);
    }
  }
  for (const entry of readdirSync(tmpdir())) {
    const pid = Number(staleTempPattern.exec(entry)?.[1] ?? Number.NaN);
    if (Number.isInteger(pid) && pid !== process.pid && !isAlive(pid)) rmSync(join(tmpdir(), entry), { recursive: true, force: true });
  }
  return removed;
}

/** Resolves `promise` or rejects after `ms` with `what` in the message. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Builds a lab. Rejects (after cleaning up what it made) if any step fails. */
export async function createNatLab(options: NatLabOptions = {}): Promise<NatLab> {
  removeStaleLabs();
  installExitHook();
  const natOption = options.nat ?? 'endpoint-independent';
  const nat: Record<HomeName, NatKind> = typeof natOption === 'string' ? { a: natOption, b: natOption } : { ...natOption };
  const names = labNames(process.pid, labSeq++);
  const open: OpenLab = { names, tempDir: mkdtempSync(join(tmpdir(), `${tempPrefix}${process.pid}-`)), pids: new Set() };
  openLabs.add(open);
  const processes = new Set<LabProcess>();
  const wrappers = new Map<HomeName, string>();
  let closing: Promise<void> | null = null;

  const exec = (ns: string, cmd: string, args: readonly string[], timeoutMs?: number): Promise<CommandResult> =>
    run('ip', ['netns', 'exec', ns, cmd, ...args], timeoutMs);

  const spawnIn = (ns: string, cmd: string, args: readonly string[], env: Readonly<Record<string, string>> = {}): LabProcess => {
    if (closing) throw new Error('NAT lab is closed');
    const child = spawnTracked('ip', ['netns', 'exec', ns, cmd, ...args], env, open.tempDir);
    processes.add(child);
    open.pids.add(child.pid);
    void child.exited.then(() => open.pids.delete(child.pid));
    return child;
  };

  const close = (): Promise<void> => {
    closing ??= (async () => {
      await Promise.all([...processes].map((child) => child.stop()));
      // Then whatever else runs in the lab (a browser a test did not close), found by namespace.
      const listings = await Promise.all(names.all.map((ns) => run('ip', ['netns', 'pids', ns]).catch(() => ({ stdout: '' }))));
      await terminate(listings.flatMap(({ stdout }) => stdout.split(/\s+/).filter(Boolean).map(Number)));
      await Promise.all(names.all.map((ns) => run('ip', ['netns', 'del', ns]).catch(() => undefined)));
      rmSync(open.tempDir, { recursive: true, force: true });
      openLabs.delete(open);
    })();
    return closing;
  };

  const homes = Object.fromEntries(
    homeNames.map((name) => {
      const plan = homePlans[name];
      const home: LabHome = { name, ns: names.hosts[name], routerNs: names.routers[name], ...plan, nat: nat[name] };
      return [name, home];
    }),
  ) as Record<HomeName, LabHome>;

  const setLinkDown = async (home: HomeName, down: boolean): Promise<void> => {
    const { routerNs, ns, routerLanIp } = homes[home];
    await run('ip', ['-n', routerNs, 'link', 'set', ifaces.lan, down ? 'down' : 'up']);
    if (down) return;
    const deadline = Date.now() + linkUpTimeoutMs;
    while (!(await run('ip', ['-n', ns, 'link', 'show', ifaces.host])).stdout.includes('LOWER_UP')) {
      if (Date.now() > deadline) throw new Error(`home ${home}: link did not come back within ${linkUpTimeoutMs} ms`);
      await new Promise((r) => setTimeout(r, linkPollMs));
    }
    // The host keeps its routes on carrier loss; replace the default route anyway in case it went.
    await run('ip', ['-n', ns, 'route', 'replace', 'default', 'via', routerLanIp]);
  };

  const chromiumWrapper = (home: HomeName): string => {
    const existing = wrappers.get(home);
    if (existing) return existing;
    const path = join(open.tempDir, `chromium-${home}.sh`);
    writeFileSync(path, `#!/bin/sh\n# NAT lab: Chromium inside home ${home}'s network namespace.\nexec ip netns exec ${homes[home].ns} /usr/bin/chromium "$@"\n`);
    chmodSync(path, 0o755);
    wrappers.set(home, path);
    return path;
  };

  try {
    await within(
      (async () => {
        for (const ns of names.all) await run('ip', ['netns', 'add', ns]);
        for (const step of buildSteps(names, nat)) {
          if (closing) throw new Error('NAT lab closed while it was being built');
          await (step.ns === null ? run(step.cmd, step.args) : exec(step.ns, step.cmd, step.args));
        }
      })(),
      createTimeoutMs,
      'building the NAT lab',
    );
  } catch (error) {
    await close();
    throw error;
  }

  return {
    prefix: names.prefix,
    internetNs: names.internet,
    internetIp: internetPlan.serverIp,
    homes,
    tempDir: open.tempDir,
    exec,
    spawnIn,
    chromiumWrapper,
    setLinkDown,
    close,
  };
}
