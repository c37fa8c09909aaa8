// Cleaning up after NAT labs: the process 'exit' hook that deletes what a test left open, and the
// removal of namespaces and temp directories left by runs that crashed or were killed.
import { readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive, runSync } from './nat-lab-process';
import { staleNamePattern, type LabNames } from './nat-lab-topology';

/** Temp directories are named `${tempPrefix}<pid>-…`, so a crashed run's leftovers can be found. */
export const tempPrefix = 'sd-natlab-';
const staleTempPattern = new RegExp(`^${tempPrefix}(\\d+)-`);

/** What the 'exit' hook needs to clean up synchronously. */
export interface OpenLab {
  readonly names: LabNames<string>;
  readonly tempDir: string;
  readonly pids: Set<number>;
}

export const openLabs = new Set<OpenLab>();
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

export function installExitHook(): void {
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

