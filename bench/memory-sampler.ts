// Memory of two peers sampled while they work: each page's JS heap and ArrayBuffer backing stores (CDP
// Runtime.getHeapUsage) and each browser's resident memory (RSS and PSS of its processes, from /proc on Linux).
import { readdirSync, readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import type { PersistentPeer } from './persistent-peer';

/** Milliseconds between samples: fine enough to catch a peak of a few seconds, cheap on 2 cores (/proc walk ~3 ms, 2 CDP calls ~2 ms). */
export const sampleEveryMs = 250;
/** Milliseconds between PSS reads of a process: PSS moves slowly, and smaps_rollup costs ~2 ms of CPU per Chromium process. */
const pssEveryMs = 2000;

/** One moment, in bytes. */
export interface MemorySample {
  readonly ms: number;
  readonly phase: string;
  /** V8 heap in use (includes garbage not yet collected). */
  readonly receiverHeap: number;
  /** ArrayBuffer backing stores and external strings: outside the V8 heap, where received bytes sit. */
  readonly receiverBuffers: number;
  readonly sharerHeap: number;
  readonly sharerBuffers: number;
  /** Largest renderer of the receiver's browser: its page's (the only tab). */
  readonly receiverRendererRss: number;
  /** The same renderer's proportional set size (shared pages divided among their users), at most `pssEveryMs` old. */
  readonly receiverRendererPss: number;
  /** Sum over each browser's processes: counts the shared Chromium binary once per process, so overstates. */
  readonly receiverBrowserRss: number;
  /** Sum of PSS over each browser's processes (each at most `pssEveryMs` old): what the browser costs the machine. */
  readonly receiverBrowserPss: number;
  readonly sharerBrowserRss: number;
  readonly sharerBrowserPss: number;
}

type Metric = Exclude<keyof MemorySample, 'ms' | 'phase'>;
/** Peaks by phase and metric. */
export type MemoryPeaks = Record<string, Record<Metric, number>>;
/** What sampling found. */
export interface Sampled {
  readonly samples: MemorySample[];
  readonly peaks: MemoryPeaks;
  /** Samples that failed (a CDP call during a navigation, say): reported, not fatal. */
  readonly failed: number;
}

interface Proc {
  readonly ppid: number;
  readonly cmdline: string;
}

function readProcs(): Map<number, Proc> {
  const procs = new Map<number, Proc>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // After the command name (which may hold spaces): state, then ppid.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      // Chromium rewrites its title into one space-separated string; NULs separate the arguments otherwise.
      procs.set(Number(name), { ppid, cmdline: readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ') });
    } catch {
      // exited while we looked
    }
  }
  return procs;
}

/** Bytes of a `field: N kB` line of a /proc file, 0 if the process exited while we looked. */
function procKB(path: string, field: string): number {
  try {
    return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(path, 'utf8'))?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

/**
 * A process's proportional set size (shared pages divided among their users), re-read at most every
 * `pssEveryMs`: smaps_rollup walks the whole address space, ~2 ms of CPU per Chromium process.
 */
function createPssReader(): (pid: number) => number {
  const cache = new Map<number, { pss: number; atMs: number }>();
  return (pid) => {
    const now = performance.now();
    const cached = cache.get(pid);
    if (cached && now - cached.atMs < pssEveryMs) return cached.pss;
    const pss = procKB(`/proc/${pid}/smaps_rollup`, 'Pss');
    cache.set(pid, { pss, atMs: now });
    return pss;
  };
}

/** Memory of the browser launched on `userDataDir` with its descendants, and of its largest renderer. */
function browserMemory(procs: ReadonlyMap<number, Proc>, userDataDir: string, pssOf: (pid: number) => number) {
  const ours = new Set<number>();
  for (const [pid, proc] of procs) if (!proc.cmdline.includes('--type=') && proc.cmdline.includes(`--user-data-dir=${userDataDir}`)) ours.add(pid);
  // Parents usually have lower pids than their children; repeat until nothing new is found.
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, proc] of procs) {
      if (ours.has(pid) || !ours.has(proc.ppid)) continue;
      ours.add(pid);
      grew = true;
    }
  }
  const memory = { rss: 0, pss: 0, rendererRss: 0, rendererPss: 0 };
  for (const pid of ours) {
    const rss = procKB(`/proc/${pid}/status`, 'VmRSS');
    const pss = pssOf(pid);
    memory.rss += rss;
    memory.pss += pss;
    if (procs.get(pid)?.cmdline.includes('--type=renderer') && rss > memory.rendererRss) Object.assign(memory, { rendererRss: rss, rendererPss: pss });
  }
  return memory;
}

/** Reads a page's heap usage through a CDP session of its own (it survives navigations). */
async function heapReader(page: Page): Promise<() => Promise<{ heap: number; buffers: number }>> {
  const cdp = await page.context().newCDPSession(page);
  return async () => {
    const usage = await cdp.send('Runtime.getHeapUsage');
    return { heap: usage.usedSize, buffers: usage.backingStorageSize };
  };
}

function peaksOf(samples: readonly MemorySample[]): MemoryPeaks {
  const peaks: MemoryPeaks = {};
  for (const { ms: _ms, phase, ...values } of samples) {
    const peak = (peaks[phase] ??= { ...values });
    for (const key of Object.keys(values) as Metric[]) peak[key] = Math.max(peak[key], values[key]);
  }
  return peaks;
}

/** Samples both peers every `sampleEveryMs` until stopped; `setPhase` labels the samples taken from then on. */
export async function startSampling(sharer: PersistentPeer, receiver: PersistentPeer) {
  const [receiverHeap, sharerHeap] = await Promise.all([heapReader(receiver.page), heapReader(sharer.page)]);
  const samples: MemorySample[] = [];
  const startMs = performance.now();
  let phase = 'start';
  let running = true;
  let failed = 0;
  let stopped: Promise<Sampled> | undefined;
  const pssOf = createPssReader();
  const take = async (): Promise<void> => {
    const [r, s] = await Promise.all([receiverHeap(), sharerHeap()]);
    const procs = readProcs();
    const receiverMemory = browserMemory(procs, receiver.userDataDir, pssOf);
    const sharerMemory = browserMemory(procs, sharer.userDataDir, pssOf);
    samples.push({
      ms: performance.now() - startMs,
      phase,
      receiverHeap: r.heap,
      receiverBuffers: r.buffers,
      sharerHeap: s.heap,
      sharerBuffers: s.buffers,
      receiverRendererRss: receiverMemory.rendererRss,
      receiverRendererPss: receiverMemory.rendererPss,
      receiverBrowserRss: receiverMemory.rss,
      receiverBrowserPss: receiverMemory.pss,
      sharerBrowserRss: sharerMemory.rss,
      sharerBrowserPss: sharerMemory.pss,
    });
  };
  const loop = (async () => {
    while (running) {
      const next = performance.now() + sampleEveryMs;
      await take().catch(() => failed++);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - performance.now())));
    }
  })();
  return {
    setPhase(name: string): void {
      phase = name;
    },
    /** Takes a last sample and returns all with each phase's peaks (the same result if called again). */
    stop(): Promise<Sampled> {
      stopped ??= (async () => {
        running = false;
        await loop;
        await take().catch(() => failed++);
        return { samples, peaks: peaksOf(samples), failed };
      })();
      return stopped;
    },
  };
}
