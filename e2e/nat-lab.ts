// NAT lab for end-to-end tests: an "internet" namespace (198.51.100.0/24) and homes behind NAT
// routers, built from network namespaces, veth pairs and iptables (shared/MEASURED.md, "Beyond one
// machine"): the classic two homes `a` and `b` (createNatLab), or 1–16 homes whose access links are
// shaped with tc tbf (createShapedLab; docs/shaped-lab.md). Needs root; specs call requireNatLab(test)
// first. Typical use:
//
//   const lab = await createNatLab({ nat: 'symmetric' });
//   try {
//     const turn = await startCoturn(lab, { secret, realm });
//     const relay = await startLabRelay(lab, port, env); // reach-lab.ts: the built relay process
//     const a = await chromium.launch({ executablePath: lab.chromiumWrapper('a'), args: chromiumArgs });
//     …  await lab.setLinkDown('a', true); …  expect(await turn.relayedBytes()).toBe(0);
//     …  await lab.shapeLink('a', { upMbit: 1, downMbit: 20 }); …  (await lab.linkCounters('a')).upBytes
//   } finally {
//     await lab.close();
//   }
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installExitHook, openLabs, removeStaleLabs, tempPrefix, type OpenLab } from './nat-lab-cleanup';
import { run, spawnTracked, terminate, type CommandResult, type LabProcess } from './nat-lab-process';
import { invalidLinkReason, parseQueueCounters, tbfArgs, unshapeArgs, type HomeLink, type QueueCounters } from './nat-lab-shaping';
import {
  buildSteps,
  homeNameAt,
  homeNames,
  homePlanAt,
  ifaces,
  internetPlan,
  labNames,
  maxHomes,
  wanPortName,
  type HomeName,
  type HomeSpec,
  type LabNames,
  type NatKind,
} from './nat-lab-topology';

export type { CommandResult, LabProcess } from './nat-lab-process';
export type { HomeLink, QueueCounters } from './nat-lab-shaping';
export type { HomeName, NatKind } from './nat-lab-topology';
export { removeStaleLabs } from './nat-lab-cleanup';
export { natLabUnavailableReason, requireNatLab } from './nat-lab-env';
export { startCoturn, turnRestCredentials, type Coturn, type CoturnOptions, type TurnCredentials } from './nat-lab-coturn';

/** Deadline for building a whole lab: ~25 short commands per home, ~0.5 s per home in practice. */
const createTimeoutMsPerHome = 15_000;

/** Deadline for a home's link to report carrier again after setLinkDown(home, false). */
const linkUpTimeoutMs = 5_000;

/** Poll period while waiting for carrier: veth carrier follows within milliseconds. */
const linkPollMs = 20;

/** One home as a test sees it. */
export interface LabHome<H extends string = HomeName> {
  readonly name: H;
  /** The home host's namespace: browsers and clients run here. */
  readonly ns: string;
  readonly routerNs: string;
  readonly hostIp: string;
  readonly routerLanIp: string;
  /** The NAT's public address: what servers on the internet see as the source. */
  readonly routerWanIp: string;
  readonly lanCidr: string;
  readonly nat: NatKind;
  /** Its access link's shaping, or null while it runs at veth speed. */
  readonly link: HomeLink | null;
}

export interface NatLabOptions {
  /** One NAT kind for both homes, or one per home. Default 'endpoint-independent'. */
  readonly nat?: NatKind | Readonly<Record<HomeName, NatKind>>;
}

/** One home of a shaped lab: its access link (null: unshaped) and NAT kind (default 'endpoint-independent'). */
export interface ShapedHomeOptions {
  readonly link: HomeLink | null;
  readonly nat?: NatKind;
}

/** Bytes that crossed a home's access link (its router's WAN veth) since the lab was built, and its queues' drops. */
export interface LinkCounters {
  readonly upBytes: number;
  readonly downBytes: number;
  readonly up: QueueCounters;
  readonly down: QueueCounters;
}

export interface NatLab<H extends string = HomeName> {
  /** `sd-<pid>-<seq>`: every namespace of this lab starts with it. */
  readonly prefix: string;
  readonly internetNs: string;
  /** The internet's server address (coturn, relay, page server listen here). */
  readonly internetIp: string;
  readonly homes: Readonly<Record<H, LabHome<H>>>;
  /** The same homes in order (home 0 first). */
  readonly homeList: readonly LabHome<H>[];
  /** A private directory for this lab's files; removed by close(). */
  readonly tempDir: string;
  /** Runs a command inside `ns` with a deadline; rejects with its stderr on failure. */
  exec(ns: string, cmd: string, args: readonly string[], timeoutMs?: number): Promise<CommandResult>;
  /** Starts a long-running process inside `ns`; close() stops it if the test did not. */
  spawnIn(ns: string, cmd: string, args: readonly string[], env?: Readonly<Record<string, string>>): LabProcess;
  /** An executable script that runs /usr/bin/chromium inside the home, for `chromium.launch({ executablePath })`. */
  chromiumWrapper(home: H): string;
  /** Unplugs (or replugs) the cable between the home host and its router. */
  setLinkDown(home: H, down: boolean): Promise<void>;
  /** Shapes (or, with null, unshapes) a home's access link, now: `tc tbf` on both ends of its router's WAN veth. */
  shapeLink(home: H, link: HomeLink | null): Promise<void>;
  /** What crossed the home's access link so far, each way. */
  linkCounters(home: H): Promise<LinkCounters>;
  /** Stops every process the lab started or that still runs in its namespaces, deletes the namespaces and temp files. Idempotent. */
  close(): Promise<void>;
}

/** Numbers the labs of this process, so their namespace names differ. */
let labSeq = 0;

/** Resolves `promise` or rejects after `ms` with `what` in the message. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Builds the classic two-home lab (homes `a` and `b`, unshaped). Rejects (after cleaning up what it made) if any step fails. */
export async function createNatLab(options: NatLabOptions = {}): Promise<NatLab> {
  const natOption = options.nat ?? 'endpoint-independent';
  const nat: Record<HomeName, NatKind> = typeof natOption === 'string' ? { a: natOption, b: natOption } : { ...natOption };
  return buildLab(homeNames.map((name, index) => ({ name, plan: homePlanAt(index), nat: nat[name], link: null })));
}

/**
 * Builds a lab of `homes.length` homes (1..maxHomes), named a, b, c, … in order, each behind its own
 * NAT router with the stateful firewall, each access link shaped as given. Rejects (after cleaning up
 * what it made) if any step fails.
 */
export async function createShapedLab(homes: readonly ShapedHomeOptions[]): Promise<NatLab<string>> {
  if (homes.length < 1 || homes.length > maxHomes) throw new RangeError(`a lab has 1..${maxHomes} homes, not ${homes.length}`);
  return buildLab(homes.map((home, index) => ({ name: homeNameAt(index), plan: homePlanAt(index), nat: home.nat ?? 'endpoint-independent', link: home.link })));
}

async function buildLab<H extends string>(specs: readonly (HomeSpec<H> & { readonly link: HomeLink | null })[]): Promise<NatLab<H>> {
  for (const { link } of specs) {
    const invalid = link && invalidLinkReason(link);
    if (invalid) throw new RangeError(`cannot shape a home link: ${invalid}`);
  }
  removeStaleLabs();
  installExitHook();
  const names: LabNames<H> = labNames(process.pid, labSeq++, specs.map((spec) => spec.name));
  const open: OpenLab = { names, tempDir: mkdtempSync(join(tmpdir(), `${tempPrefix}${process.pid}-`)), pids: new Set() };
  openLabs.add(open);
  const processes = new Set<LabProcess>();
  const wrappers = new Map<H, string>();
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

  const links = new Map<H, HomeLink | null>(specs.map((spec) => [spec.name, spec.link]));
  const homeList: LabHome<H>[] = specs.map(({ name, plan, nat }) => ({
    name,
    ns: names.hosts[name],
    routerNs: names.routers[name],
    ...plan,
    nat,
    get link() {
      return links.get(name) ?? null;
    },
  }));
  const homes = Object.fromEntries(homeList.map((home) => [home.name, home])) as Record<H, LabHome<H>>;

  const setLinkDown = async (home: H, down: boolean): Promise<void> => {
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

  // The upload is the router's WAN veth sending; the download is the same cable's internet end sending.
  const shapeLink = async (home: H, link: HomeLink | null): Promise<void> => {
    const invalid = link && invalidLinkReason(link);
    if (invalid) throw new RangeError(`cannot shape home ${home}: ${invalid}`);
    const ends = [
      { ns: homes[home].routerNs, dev: ifaces.wan, mbit: link?.upMbit },
      { ns: names.internet, dev: wanPortName(home), mbit: link?.downMbit },
    ];
    for (const { ns, dev, mbit } of ends) {
      if (mbit !== undefined) await exec(ns, 'tc', tbfArgs(dev, mbit));
      else if (links.get(home)) await exec(ns, 'tc', unshapeArgs(dev));
    }
    links.set(home, link);
  };

  const linkCounters = async (home: H): Promise<LinkCounters> => {
    const { routerNs } = homes[home];
    const [stats, up, down] = await Promise.all([
      exec(routerNs, 'ip', ['-s', '-j', 'link', 'show', 'dev', ifaces.wan]),
      exec(routerNs, 'tc', ['-s', 'qdisc', 'show', 'dev', ifaces.wan]),
      exec(names.internet, 'tc', ['-s', 'qdisc', 'show', 'dev', wanPortName(home)]),
    ]);
    const [wan] = JSON.parse(stats.stdout) as [{ stats64?: { tx?: { bytes?: number }; rx?: { bytes?: number } } }?];
    return { upBytes: wan?.stats64?.tx?.bytes ?? 0, downBytes: wan?.stats64?.rx?.bytes ?? 0, up: parseQueueCounters(up.stdout), down: parseQueueCounters(down.stdout) };
  };

  const chromiumWrapper = (home: H): string => {
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
        for (const step of buildSteps(names, specs)) {
          if (closing) throw new Error('NAT lab closed while it was being built');
          await (step.ns === null ? run(step.cmd, step.args) : exec(step.ns, step.cmd, step.args));
        }
        for (const spec of specs) {
          links.set(spec.name, null);
          if (spec.link) await shapeLink(spec.name, spec.link);
        }
      })(),
      createTimeoutMsPerHome * specs.length,
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
    homeList,
    tempDir: open.tempDir,
    exec,
    spawnIn,
    chromiumWrapper,
    setLinkDown,
    shapeLink,
    linkCounters,
    close,
  };
}
