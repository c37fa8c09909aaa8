// Whether this machine can run the NAT lab, and the skip-or-fail rule specs apply when it cannot:
// skipped locally, a failure in CI (CI must never silently lose the NAT tests).
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { TestType } from '@playwright/test';
import { runSync } from './nat-lab-process';

/** Browser the lab's wrapper runs: Debian's, the only one Playwright can drive here. */
const chromiumPath = '/usr/bin/chromium';

/** Deadline for each probe command: they take milliseconds when things work. */
const probeTimeoutMs = 5_000;

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first executable `name` on PATH (the lab runs its tools by name, so PATH is what counts), or null. */
function findExecutable(name: string): string | null {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  return dirs.map((dir) => join(dir, name)).find(isExecutable) ?? null;
}

/** Creates and deletes a probe namespace with a veth pair and a NAT table; returns why that failed, or null. */
function probeNamespaces(): string | null {
  const ns = `sd-${process.pid}-probe`;
  try {
    if (runSync('ip', ['netns', 'add', ns], probeTimeoutMs) === null) return '`ip netns add` is not permitted here';
    if (runSync('ip', ['-n', ns, 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1'], probeTimeoutMs) === null) {
      return 'veth pairs cannot be created in a network namespace here';
    }
    if (runSync('ip', ['netns', 'exec', ns, 'iptables', '-w', '5', '-t', 'nat', '-L', '-n'], probeTimeoutMs) === null) {
      return 'iptables cannot use the nat table in a network namespace here';
    }
    return null;
  } finally {
    runSync('ip', ['netns', 'del', ns], probeTimeoutMs);
  }
}

let cachedReason: string | null | undefined;

/** A one-line reason the NAT lab cannot run on this machine, or null when it can. Probed once per process. */
export function natLabUnavailableReason(): string | null {
  if (cachedReason !== undefined) return cachedReason;
  const uid = process.getuid?.();
  if (uid !== 0) cachedReason = `NAT lab needs root (uid is ${uid ?? 'unknown'})`;
  else {
    const missing = ['ip', 'tc', 'iptables', 'turnserver'].filter((tool) => findExecutable(tool) === null);
    if (!isExecutable(chromiumPath)) missing.push(chromiumPath);
    cachedReason = missing.length > 0 ? `NAT lab needs ${missing.join(', ')} (not found on PATH)` : probeNamespaces();
  }
  return cachedReason;
}

/**
 * Call at the top of a spec file (or a describe block) that needs the lab: its tests are skipped
 * with the reason when the lab cannot run, except under CI=true, where the file fails with it.
 */
export function requireNatLab<T extends object, W extends object>(test: TestType<T, W>): void {
  const reason = natLabUnavailableReason();
  if (reason === null) return;
  if (process.env.CI === 'true') {
    // beforeAll: it runs before any describe-level beforeAll that would build a lab.
    test.beforeAll(() => {
      throw new Error(`NAT lab unavailable in CI: ${reason}`);
    });
  } else {
    test.skip(true, reason);
  }
}
