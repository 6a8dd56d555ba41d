import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { driverPath } from './driverPath';
import { AlembicAbortedError } from './errors';
import type { DriverOutcome } from './spawn';

/** Grace period between SIGTERM and SIGKILL when a session is cancelled or disposed. */
const KILL_GRACE_MS = 2000;
/** How long a fork may take to connect before a new interpreter is started instead. */
const FORK_CONNECT_MS = 10_000;

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

/** Where requests go to a driver: its stdin pipe, or the socket of a forked one. */
interface Channel {
  /** Its process group (the driver leads one). */
  pid: number | undefined;
  write(line: string): void;
  end(): void;
  exitCode(): number | null;
}

/**
 * One long-lived python/driver.py (`serve`) for many Alembic commands: the interpreter starts and
 * imports Alembic once, while the caller does other work (a verify starts its server meanwhile).
 * Requests run one at a time, in order. Its own process group, so a cancel also ends whatever the
 * project's env.py or migrations started.
 */
export class AlembicSession {
  private channel?: Channel;
  /** Settles once the channel is there (a fork connected, or an interpreter spawned), or never will be. */
  private readonly ready: Promise<void>;
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private stdout = '';
  private pendingLine = '';
  private spawnError?: Error;
  private closed = false;
  private readonly closedOnce: Promise<void>;
  private markClosed!: () => void;
  private killTimer?: NodeJS.Timeout;
  private disposing = false;

  constructor(
    readonly python: string,
    private readonly signal?: AbortSignal,
    from?: AlembicSession,
  ) {
    this.closedOnce = new Promise((resolve) => (this.markClosed = resolve));
    signal?.addEventListener('abort', this.onAbort, { once: true });
    this.ready =
      from && process.platform !== 'win32'
        ? this.forkFrom(from).catch(() => (signal?.aborted || this.disposing ? this.onClose(null) : this.spawnChannel()))
        : Promise.resolve(this.spawnChannel());
  }

  /**
   * A second session made from this one before it runs a command: its driver forks, so the new one
   * does not import Alembic and SQLAlchemy again (most of an interpreter's start). Where it cannot
   * fork (Windows, a driver that ran a command), the new session starts an interpreter of its own.
   */
  fork(signal = this.signal): AlembicSession {
    return new AlembicSession(this.python, signal, this);
  }

  /** The driver's process id (it leads its process group); undefined until a fork has connected. */
  get pid(): number | undefined {
    return this.channel?.pid;
  }

  /** Settles once requests reach the driver: at once for a spawned one, once connected for a fork. */
  connected(): Promise<void> {
    return this.ready;
  }

  /** Sends one command; resolves with the driver's answer (or what is known when it died). */
  request(request: DriverRequest): Promise<DriverOutcome> {
    if (this.signal?.aborted) return Promise.reject(new AlembicAbortedError());
    return new Promise((resolve, reject) => {
      if (this.closed) {
        resolve({ stderr: 'the Alembic driver has exited', exitCode: this.channel?.exitCode() ?? null, spawnError: this.spawnError });
        return;
      }
      const id = this.nextId++;
      this.queue.push({ resolve, reject, stderr: '', onStderrLine: request.onStderrLine });
      const line = `${JSON.stringify({ id, argv: request.argv, env: request.env ?? {}, cwd: request.cwd, input: request.input })}\n`;
      // Written in the order asked, once the channel is there (a fork connects first).
      if (this.channel) this.channel.write(line);
      else void this.ready.then(() => this.channel?.write(line));
    });
  }

  /** Ends the driver (stdin closed; killed if it does not exit). Idempotent. */
  async dispose(): Promise<void> {
    this.signal?.removeEventListener('abort', this.onAbort);
    // A fork that fails from now on (its parent ended first) starts no interpreter in its place.
    this.disposing = true;
    await this.ready;
    if (this.closed || !this.channel) return;
    this.channel.end();
    // Idle between requests: nothing to finish, and an interpreter's orderly exit takes a while.
    if (!this.queue.length) this.killGroup('SIGTERM');
    const timer = setTimeout(() => this.killGroup('SIGKILL'), KILL_GRACE_MS);
    timer.unref();
    await this.closedOnce;
    clearTimeout(timer);
  }

  private spawnChannel(): void {
    const child = spawn(this.python, [driverPath(), 'serve'], {
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1' },
      detached: process.platform !== 'win32',
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => this.onStdout(chunk));
    child.stderr.on('data', (chunk: string) => this.onStderr(chunk));
    child.stdin.on('error', () => undefined);
    child.on('error', (err) => (this.spawnError = err));
    child.on('close', (code) => this.onClose(code));
    this.channel = { pid: child.pid, write: (line) => child.stdin.write(line), end: () => child.stdin.end(), exitCode: () => child.exitCode };
  }

  /**
   * Asks `from`'s driver to fork into two Unix sockets of a private folder: requests and answers on
   * one, stderr on the other. Rejects when it cannot (the caller then spawns an interpreter).
   */
  private forkFrom(from: AlembicSession): Promise<void> {
    // Asked synchronously: the fork must be the parent driver's first request, before any command.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'alembic-squash-fork-'));
    const servers: Server[] = [];
    const accept = (name: string) =>
      new Promise<Socket>((resolve, reject) => {
        const server = createServer((socket) => {
          server.close();
          resolve(socket);
        });
        servers.push(server);
        server.once('error', reject);
        server.listen(path.join(dir, name));
      });
    const connections = Promise.all([accept('io'), accept('err')]);
    connections.catch(() => undefined);
    const answered = from.request({ argv: ['fork', path.join(dir, 'io'), path.join(dir, 'err')] });
    let timer: NodeJS.Timeout | undefined;
    return (async () => {
      try {
        const answer = await answered;
        const pid = answer.document?.ok === true ? Number(answer.document.pid) : NaN;
        if (!Number.isInteger(pid) || pid <= 0) throw new Error(`the driver did not fork: ${JSON.stringify(answer.document?.error ?? answer.stderr)}`);
        const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('the forked driver did not connect')), FORK_CONNECT_MS)));
        const [io, err] = await Promise.race([connections, late]).catch((error: Error) => {
          // A child that forked but never reached us would wait for requests forever: it ends here
          // (with its sockets, should they arrive), and a new interpreter takes its place.
          void connections.then((sockets) => sockets.forEach((s) => s.destroy()), () => undefined);
          try {
            process.kill(-pid, 'SIGKILL');
          } catch {
            // already gone
          }
          throw error;
        });
        this.useSockets(io, err, pid);
      } finally {
        clearTimeout(timer);
        for (const server of servers) server.close();
        await rm(dir, { recursive: true, force: true }).catch(() => undefined);
      }
    })();
  }

  private useSockets(io: Socket, err: Socket, pid: number): void {
    io.setEncoding('utf8');
    err.setEncoding('utf8');
    io.on('data', (chunk: string) => this.onStdout(chunk));
    err.on('data', (chunk: string) => this.onStderr(chunk));
    io.on('error', () => undefined);
    err.on('error', () => undefined);
    // The driver's end of both sockets closes when it exits: all of its stderr has arrived by then.
    const closed = (s: Socket) => new Promise<void>((resolve) => (s.destroyed ? resolve() : s.once('close', () => resolve())));
    void Promise.all([closed(io), closed(err)]).then(() => this.onClose(null));
    this.channel = { pid, write: (line) => io.write(line), end: () => io.end(), exitCode: () => null };
    // A cancel that came while it forked: the new driver ends at once.
    if (this.signal?.aborted) this.onAbort();
  }

  private readonly onAbort = (): void => {
    this.killGroup('SIGTERM');
    this.killTimer = setTimeout(() => this.killGroup('SIGKILL'), KILL_GRACE_MS);
    this.killTimer.unref();
  };

  private killGroup(sig: NodeJS.Signals): void {
    const pid = this.channel?.pid;
    if (pid === undefined || this.closed) return;
    try {
      if (process.platform === 'win32') process.kill(pid, sig);
      else process.kill(-pid, sig);
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
    if (this.closed) return;
    this.closed = true;
    this.markClosed();
    if (this.killTimer) clearTimeout(this.killTimer);
    const aborted = this.signal?.aborted;
    for (const p of this.queue.splice(0)) {
      this.flushStderr(p);
      if (aborted) p.reject(new AlembicAbortedError());
      else p.resolve({ stderr: p.stderr, exitCode: code, spawnError: this.spawnError });
    }
  }
}
