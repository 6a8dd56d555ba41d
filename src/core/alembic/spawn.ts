import { spawn } from 'node:child_process';
import { driverPath } from './driverPath';
import { AlembicAbortedError } from './errors';

export interface DriverOutcome {
  /** The JSON document the driver printed, when it printed one. */
  document?: Record<string, unknown>;
  stderr: string;
  exitCode: number | null;
  /** Set when the interpreter could not be started at all (ENOENT, EACCES). */
  spawnError?: Error;
}

export interface SpawnDriverOptions {
  python: string;
  /** The helper script to run (default python/driver.py). */
  script?: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  stdin?: string;
  signal?: AbortSignal;
  /** Each stderr line as it arrives (the caller masks secrets). */
  onStderrLine?: (line: string) => void;
}

/** Grace period between SIGTERM and SIGKILL of a cancelled run. */
const KILL_GRACE_MS = 2000;

/**
 * Runs python/driver.py in its own process group, so a cancel also ends whatever the project's
 * env.py or migrations started. Resolves with the outcome; rejects only on abort.
 */
export function spawnDriver(options: SpawnDriverOptions): Promise<DriverOutcome> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new AlembicAbortedError());
      return;
    }
    const child = spawn(options.python, [options.script ?? driverPath(), ...options.args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      detached: process.platform !== 'win32',
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let pending = '';
    let spawnError: Error | undefined;
    let aborted = false;
    let killTimer: NodeJS.Timeout | undefined;

    const killGroup = (sig: NodeJS.Signals): void => {
      if (child.pid === undefined) return;
      try {
        if (process.platform === 'win32') child.kill(sig);
        else process.kill(-child.pid, sig);
      } catch {
        // already gone
      }
    };
    const onAbort = (): void => {
      aborted = true;
      killGroup('SIGTERM');
      killTimer = setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS);
      killTimer.unref();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (stdout += chunk));
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
      if (!options.onStderrLine) return;
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) options.onStderrLine(line);
    });
    child.on('error', (err) => (spawnError = err));
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.stdin ?? '');

    child.on('close', (code) => {
      options.signal?.removeEventListener('abort', onAbort);
      if (killTimer) clearTimeout(killTimer);
      if (pending && options.onStderrLine) options.onStderrLine(pending);
      if (aborted) {
        reject(new AlembicAbortedError());
        return;
      }
      resolve({ document: lastJson(stdout), stderr, exitCode: code, spawnError });
    });
  });
}

function lastJson(stdout: string): Record<string, unknown> | undefined {
  const lines = stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  for (let i = lines.length - 1; i >= 0; i--) {
    try {
      const value: unknown = JSON.parse(lines[i]!);
      if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    } catch {
      // not the answer line
    }
  }
  return undefined;
}
