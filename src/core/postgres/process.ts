import { spawn, type ChildProcess } from 'node:child_process';
import { isAlive } from '../common/alive';
import { OperationAbortedError } from './errors';

export { isAlive };

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Run as another user (root → postgres); the data folder must be theirs. */
  uid?: number;
  gid?: number;
  signal?: AbortSignal;
  /** Killed (SIGKILL) after this long; the result then has `timedOut`. */
  timeoutMs?: number;
  /**
   * On abort, SIGTERM to its process group first, SIGKILL only if it is still there after this long:
   * a program that cleans up after itself (initdb's postgres removes its shared memory in /dev/shm
   * and initdb its folder) gets the chance. Default: SIGKILL at once.
   */
  termGraceMs?: number;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/**
 * Runs a program to completion, never through a shell (arguments are passed as-is).
 * Rejects only when it cannot start (e.g. `code: 'ENOENT'`) or when aborted; a non-zero exit resolves.
 */
export function run(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) return reject(new OperationAbortedError());
    let child: ChildProcess;
    try {
      child = spawn(command, args, {
        env: options.env ?? process.env,
        cwd: options.cwd,
        uid: options.uid,
        gid: options.gid,
        stdio: ['ignore', 'pipe', 'pipe'],
        // Own process group, so a kill also reaches helpers it started (initdb runs postgres --single).
        detached: process.platform !== 'win32',
      });
    } catch (error) {
      return reject(error);
    }
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let aborted = false;
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const killGroup = (sig: NodeJS.Signals = 'SIGKILL') => {
      try {
        if (child.pid && process.platform !== 'win32') process.kill(-child.pid, sig);
        else child.kill(sig);
      } catch {
        child.kill(sig);
      }
    };
    let graceTimer: NodeJS.Timeout | undefined;
    const timer = options.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          killGroup();
        }, options.timeoutMs)
      : undefined;
    const onAbort = () => {
      aborted = true;
      if (options.termGraceMs === undefined) return killGroup();
      killGroup('SIGTERM');
      graceTimer = setTimeout(() => killGroup(), options.termGraceMs);
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => {
      if (timer) clearTimeout(timer);
      if (graceTimer) clearTimeout(graceTimer);
      options.signal?.removeEventListener('abort', onAbort);
    };
    child.once('error', (error) => {
      done();
      reject(error);
    });
    child.once('close', (code, signal) => {
      done();
      if (aborted) reject(new OperationAbortedError());
      else resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls until the pid is gone; false when it is still there after `timeoutMs`. */
export async function waitForPidExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await delay(50);
  }
  return true;
}

/**
 * Stops a child we spawned: `first` (SIGINT = PostgreSQL's fast shutdown), then SIGKILL after
 * `graceMs`. Resolves once the child has exited.
 */
export async function stopChild(child: ChildProcess, graceMs = 10_000, first: NodeJS.Signals = 'SIGINT'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(first);
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Stops a process we only know by pid (a leftover from a crashed run). */
export async function stopPid(pid: number, graceMs = 5_000): Promise<void> {
  try {
    // SIGQUIT = PostgreSQL's immediate shutdown; the data is thrown away anyway.
    process.kill(pid, 'SIGQUIT');
  } catch {
    return;
  }
  if (!(await waitForPidExit(pid, graceMs))) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
    await waitForPidExit(pid, 2_000);
  }
}

/** The last lines of a log, for error messages. */
export function tail(text: string, lines = 15): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
