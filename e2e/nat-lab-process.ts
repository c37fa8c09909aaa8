// Bounded process helpers for the NAT lab: every command has a deadline, every spawned process is
// tracked by its own pid and stopped with SIGTERM, then SIGKILL after a bound.
import { execFile, execFileSync, spawn } from 'node:child_process';

/** Default deadline for one short command (`ip`, `iptables`, `sysctl`): they take milliseconds, a hang is a bug. */
export const commandTimeoutMs = 10_000;

/** How long a process gets after SIGTERM before SIGKILL: coturn and node exit well within this. */
export const terminateGraceMs = 2_000;

/** Most output kept per spawned process: coturn's verbose log over a long test stays far below this. */
const maxOutputChars = 8_000_000;

/** Poll period while waiting for a killed pid to disappear: short enough not to slow close(). */
const exitPollMs = 25;

/** What a finished command printed. */
export interface CommandResult {
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command with a deadline; rejects with its stderr when it fails or overruns. */
export function run(cmd: string, args: readonly string[], timeoutMs = commandTimeoutMs): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${cmd} ${args.join(' ')} failed: ${stderr.trim() || error.message}`));
      else resolve({ stdout, stderr });
    });
  });
}

/** The synchronous twin of `run`, for the process 'exit' hook and the skip check; returns null on failure. */
export function runSync(cmd: string, args: readonly string[], timeoutMs = commandTimeoutMs): string | null {
  try {
    return execFileSync(cmd, args, { timeout: timeoutMs, killSignal: 'SIGKILL', stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  } catch {
    return null;
  }
}

/** Whether a pid is alive (EPERM means alive but not ours). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Sends a signal, ignoring a pid that is already gone. */
function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** Stops pids: SIGTERM, then SIGKILL for whatever is still alive after `graceMs`. Bounded. */
export async function terminate(pids: readonly number[], graceMs = terminateGraceMs): Promise<void> {
  for (const pid of pids) signal(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (pids.some(isAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, exitPollMs));
  for (const pid of pids.filter(isAlive)) signal(pid, 'SIGKILL');
}

/** A long-running process the lab started, with its output captured. */
export interface LabProcess {
  readonly pid: number;
  /** Everything it printed so far on stdout and stderr, interleaved. */
  output(): string;
  /** Resolves with the first match of `pattern` in its output; rejects after `timeoutMs` or if it exits first. */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code (or the signal name) once it has exited. */
  readonly exited: Promise<number | string>;
  /** SIGTERM, then SIGKILL after a bound; resolves when it is gone. */
  stop(): Promise<void>;
}

/** Spawns a process (no shell) with its output captured; the caller keeps its pid for cleanup. */
export function spawnTracked(cmd: string, args: readonly string[], env: Readonly<Record<string, string>>, cwd: string): LabProcess {
  const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.once('error', (error) => {
    text += `\nspawn error: ${error.message}\n`;
  });
  if (child.pid === undefined) throw new Error(`could not spawn ${cmd}`);
  const pid = child.pid;
  const waiters = new Set<() => void>();
  const append = (chunk: Buffer): void => {
    text = (text + chunk.toString('utf8')).slice(-maxOutputChars);
    for (const wake of waiters) wake();
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  let exitState: number | string | null = null;
  let outputEnded = false; // 'close': the pipes are drained, so no more output can match
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, sig) => {
      exitState = code ?? sig ?? 'unknown';
      resolve(exitState);
    });
  });
  child.once('close', () => {
    outputEnded = true;
    for (const wake of waiters) wake();
  });
  const waitForOutput = (pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const match = text.match(pattern);
        if (match) finish(() => resolve(match));
        else if (outputEnded) finish(() => reject(new Error(`${cmd} exited (${String(exitState)}) before printing ${String(pattern)}:\n${text.slice(-2000)}`)));
      };
      const timer = setTimeout(() => finish(() => reject(new Error(`${cmd} did not print ${String(pattern)} within ${timeoutMs} ms:\n${text.slice(-2000)}`))), timeoutMs);
      const finish = (settle: () => void): void => {
        clearTimeout(timer);
        waiters.delete(check);
        settle();
      };
      waiters.add(check);
      check();
    });
  return {
    pid,
    output: () => text,
    waitForOutput,
    exited,
    stop: async () => {
      if (exitState === null) await terminate([pid]);
      await Promise.race([exited, new Promise((r) => setTimeout(r, terminateGraceMs))]);
    },
  };
}
