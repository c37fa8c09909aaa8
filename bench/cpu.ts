// CPU time read from /proc (Linux): what our Chromium spends per MB, by process type, which is steadier than
// MB/s on a 2-core machine (MEASURED.md), and how much CPU other processes took meanwhile (noise warning).
import { readdirSync, readFileSync } from 'node:fs';

/** Milliseconds per clock tick of /proc times: USER_HZ is 100 on Linux (`getconf CLK_TCK`). */
const msPerTick = 10;
/** Cores of foreign CPU use above which figures are flagged as disturbed: a quarter core, ~10% of this machine. */
export const noisyOtherCores = 0.25;

/** Where a moment's CPU counters stood. */
export interface CpuSnapshot {
  readonly wallMs: number;
  /** CPU ms of our browser's processes (descendants of this worker), by process type. */
  readonly browserMs: ReadonlyMap<string, number>;
  /** Busy CPU ms of the whole machine. */
  readonly machineMs: number;
  /** CPU ms of this Node process (the Playwright worker). */
  readonly selfMs: number;
}

/** CPU used between two snapshots. */
export interface CpuUse {
  readonly browserMs: number;
  readonly browserMsByType: Readonly<Record<string, number>>;
  /** Average cores busy with processes other than our browser and this worker during the interval. */
  readonly otherCores: number;
}

interface ProcInfo {
  readonly ppid: number;
  readonly ticks: number;
  readonly type: string;
}

/** Chromium's process type from its command line, with renderers' zygote counted as renderer (it reaps them). */
function processType(pid: string): string {
  // Split on NUL and space: Chromium rewrites its process title into one space-separated string.
  const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/);
  const type = args.find((a) => a.startsWith('--type='))?.slice('--type='.length);
  if (type === undefined) return 'browser';
  if (type === 'zygote' || type === 'renderer') return 'renderer';
  if (type === 'gpu-process') return 'gpu';
  const sub = args.find((a) => a.startsWith('--utility-sub-type='));
  if (sub?.includes('NetworkService')) return 'network';
  if (sub?.includes('StorageService')) return 'storage';
  return type;
}

function readProc(pid: string): ProcInfo | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state ppid ... utime(14) stime cutime cstime.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
    const ticks = (rest[11] ?? 0) + (rest[12] ?? 0) + (rest[13] ?? 0) + (rest[14] ?? 0);
    return { ppid: rest[1] ?? 0, ticks, type: processType(pid) };
  } catch {
    return null; // exited while we looked
  }
}

function browserCpuMs(): Map<string, number> {
  const procs = new Map<number, ProcInfo>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const info = readProc(name);
    if (info) procs.set(Number(name), info);
  }
  const ours = new Set([process.pid]);
  const byType = new Map<string, number>();
  // Parents have lower pids than their children unless pids wrapped; repeat until nothing new is found.
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, info] of procs) {
      if (ours.has(pid) || !ours.has(info.ppid)) continue;
      ours.add(pid);
      byType.set(info.type, (byType.get(info.type) ?? 0) + info.ticks * msPerTick);
      grew = true;
    }
  }
  return byType;
}

function machineBusyMs(): number {
  const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return (user + nice + system + irq + softirq + steal) * msPerTick;
}

/** Reads every counter now. */
export function snapshotCpu(): CpuSnapshot {
  const { user, system } = process.cpuUsage();
  return { wallMs: performance.now(), browserMs: browserCpuMs(), machineMs: machineBusyMs(), selfMs: (user + system) / 1000 };
}

/** CPU used since `start`. */
export function cpuSince(start: CpuSnapshot): CpuUse {
  const end = snapshotCpu();
  const browserMsByType: Record<string, number> = {};
  for (const [type, ms] of end.browserMs) browserMsByType[type] = ms - (start.browserMs.get(type) ?? 0);
  const browserMs = Object.values(browserMsByType).reduce((a, b) => a + b, 0);
  const otherMs = end.machineMs - start.machineMs - browserMs - (end.selfMs - start.selfMs);
  return { browserMs, browserMsByType, otherCores: Math.max(0, otherMs) / (end.wallMs - start.wallMs) };
}

/** Adds CPU uses of several intervals (other load as the mean of the intervals). */
export function sumCpu(uses: readonly CpuUse[]): CpuUse {
  const browserMsByType: Record<string, number> = {};
  for (const use of uses) for (const [type, ms] of Object.entries(use.browserMsByType)) browserMsByType[type] = (browserMsByType[type] ?? 0) + ms;
  const browserMs = uses.reduce((a, u) => a + u.browserMs, 0);
  const otherCores = uses.reduce((a, u) => a + u.otherCores, 0) / Math.max(1, uses.length);
  return { browserMs, browserMsByType, otherCores };
}
