import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { driverPath } from './driverPath';
import { AlembicAbortedError } from './errors';
import type { DriverOutcome } from './spawn';

/** Grace period between SIGTERM and SIGKILL when a session is cancelled or disposed. */
const KILL_GRACE_MS = 2000;

interface Pending {
  resolve(outcome: DriverOutcome): void;
  reject(error: Error): void;
  stderr: string;
  onStderrLine?: (line: string) => void;
}

export interface DriverRequest {
  argv: string[];
  /** Variables set for this request only (null removes one). */
  env?: Record<string, string | null>;
  cwd?: string;
  /** What the command reads from stdin (render-template's variables, snapshot's request). */
  input?: string;
  onStderrLine?: (line: string) => void;
}

/**
 * One long-lived python/driver.py (`serve`) for many Alembic commands: the interpreter starts and
 * imports Alembic once, while the caller does other work (a verify starts its server meanwhile).
 * Requests run one at a time, in order. Its own process group, so a cancel also ends whatever the
 * project's env.py or migrations started.
 */
export class AlembicSession {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private stdout = '';
  private pendingLine = '';
  private spawnError?: Error;
  private closed = false;
  private killTimer?: NodeJS.Timeout;

  constructor(
    readonly python: string,
    private readonly signal?: AbortSignal,
  ) {
    this.child = spawn(python, [driverPath(), 'serve'], {
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1' },
      detached: process.platform !== 'win32',
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stdout.setEncoding('utf8');
    this.child.stderr.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => this.onStdout(chunk));
    this.child.stderr.on('data', (chunk: string) => this.onStderr(chunk));
    this.child.stdin.on('error', () => undefined);
    this.child.on('error', (err) => (this.spawnError = err));
    this.child.on('close', (code) => this.onClose(code));
    signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** Sends one command; resolves with the driver's answer (or what is known when it died). */
  request(request: DriverRequest): Promise<DriverOutcome> {
    if (this.signal?.aborted) return Promise.reject(new AlembicAbortedError());
    return new Promise((resolve, reject) => {
      if (this.closed) {
        resolve({ stderr: 'the Alembic driver has exited', exitCode: this.child.exitCode, spawnError: this.spawnError });
        return;
      }
      const id = this.nextId++;
      this.queue.push({ resolve, reject, stderr: '', onStderrLine: request.onStderrLine });
      this.child.stdin.write(`${JSON.stringify({ id, argv: request.argv, env: request.env ?? {}, cwd: request.cwd, input: request.input })}\n`);
    });
  }

  /** Ends the driver (stdin closed; killed if it does not exit). Idempotent. */
  async dispose(): Promise<void> {
    this.signal?.removeEventListener('abort', this.onAbort);
    if (this.closed) return;
    const exited = new Promise<void>((resolve) => this.child.once('close', () => resolve()));
    this.child.stdin.end();
    // Idle between requests: nothing to finish, and an interpreter's orderly exit takes a while.
    if (!this.queue.length) this.killGroup('SIGTERM');
    const timer = setTimeout(() => this.killGroup('SIGKILL'), KILL_GRACE_MS);
    timer.unref();
    await exited;
    clearTimeout(timer);
  }

  private readonly onAbort = (): void => {
    this.killGroup('SIGTERM');
    this.killTimer = setTimeout(() => this.killGroup('SIGKILL'), KILL_GRACE_MS);
    this.killTimer.unref();
  };

  private killGroup(sig: NodeJS.Signals): void {
    if (this.child.pid === undefined || this.closed) return;
    try {
      if (process.platform === 'win32') this.child.kill(sig);
      else process.kill(-this.child.pid, sig);
    } catch {
      // already gone
    }
  }

  private onStdout(chunk: string): void {
    this.stdout += chunk;
    let at: number;
    while ((at = this.stdout.indexOf('\n')) >= 0) {
      const line = this.stdout.slice(0, at).trim();
      this.stdout = this.stdout.slice(at + 1);
      if (!line) continue;
      let document: Record<string, unknown>;
      try {
        document = JSON.parse(line) as Record<string, unknown>;
      } catch {
        continue;
      }
      const pending = this.queue.shift();
      if (!pending) continue;
      this.flushStderr(pending);
      const { id: _id, ...rest } = document;
      pending.resolve({ document: rest, stderr: pending.stderr, exitCode: null });
    }
  }

  private onStderr(chunk: string): void {
    const current = this.queue[0];
    if (current) current.stderr += chunk;
    if (!current?.onStderrLine) return;
    this.pendingLine += chunk;
    const lines = this.pendingLine.split('\n');
    this.pendingLine = lines.pop() ?? '';
    for (const line of lines) current.onStderrLine(line);
  }

  private flushStderr(p: Pending): void {
    if (this.pendingLine && p.onStderrLine) p.onStderrLine(this.pendingLine);
    this.pendingLine = '';
  }

  private onClose(code: number | null): void {
    this.closed = true;
    if (this.killTimer) clearTimeout(this.killTimer);
    const aborted = this.signal?.aborted;
    for (const p of this.queue.splice(0)) {
      this.flushStderr(p);
      if (aborted) p.reject(new AlembicAbortedError());
      else p.resolve({ stderr: p.stderr, exitCode: code, spawnError: this.spawnError });
    }
  }
}
