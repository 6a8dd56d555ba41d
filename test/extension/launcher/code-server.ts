// Starts code-server on 127.0.0.1 in a throwaway home and stops its whole process group.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findCodeServer, type CodeServerInstall } from './install';

export interface CodeServerOptions {
  /** Honours `extensionTestsPath` payloads; it also hides notification toasts, so UI runs go without. */
  readonly smokeTestDriver: boolean;
  readonly workspaceTrust: boolean;
  /** Merged over the defaults in User/settings.json. */
  readonly settings?: Record<string, unknown>;
  /** Extra environment for the server and so for the extension host. */
  readonly env?: NodeJS.ProcessEnv;
  /** Called with each chunk code-server prints (default: dropped unless ALEMBIC_SQUASH_VSCODE_VERBOSE). */
  readonly onOutput?: (text: string) => void;
  readonly install?: CodeServerInstall;
  /** Runs after the folders exist and before the server starts (e.g. to install an extension). */
  readonly prepare?: (folders: CodeServerFolders) => Promise<void>;
}

export interface CodeServerFolders {
  readonly tempDir: string;
  readonly homeEnv: NodeJS.ProcessEnv;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  readonly install: CodeServerInstall;
}

/**
 * A running server and the throwaway folders it owns: tempDir is the root of this run's folders
 * (home, XDG dirs, user data, extensions, browser profile); homeEnv is HOME and XDG_* for anything
 * else the run starts (the browser).
 */
export interface CodeServer extends CodeServerFolders {
  readonly port: number;
  readonly origin: string;
  readonly process: ChildProcess;
  /** Resolves with a description when the server exits on its own. */
  readonly exited: Promise<string>;
  /** A `vscode-remote://` URI for a path on this machine, as the workbench expects in payloads. */
  remoteUri(path: string): string;
  /** Kills the process group and removes the temp folders; safe to call twice. */
  stop(): Promise<void>;
}

export const DEFAULT_SETTINGS: Record<string, unknown> = {
  'chat.disableAIFeatures': true,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
  'security.workspace.trust.emptyWindow': false,
};

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** Strips what a parent VS Code or a TypeScript loader would leak into the server and its hosts. */
function cleanEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(env)) {
    if (key.startsWith('VSCODE_') || key === 'ELECTRON_RUN_AS_NODE' || key === 'NODE_OPTIONS') continue;
    out[key] = value;
  }
  return out;
}

export function homeEnvFor(tempDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    HOME: join(tempDir, 'home'),
    XDG_CONFIG_HOME: join(tempDir, 'xdg/config'),
    XDG_DATA_HOME: join(tempDir, 'xdg/data'),
    XDG_CACHE_HOME: join(tempDir, 'xdg/cache'),
    XDG_STATE_HOME: join(tempDir, 'xdg/state'),
    XDG_RUNTIME_DIR: join(tempDir, 'xdg/runtime'),
  };
  for (const dir of Object.values(env)) mkdirSync(dir!, { recursive: true, mode: 0o700 });
  return env;
}

function healthy(origin: string): Promise<boolean> {
  return new Promise((done) => {
    const req = request(`${origin}/healthz`, { timeout: 2000 }, (res) => {
      res.resume();
      done(res.statusCode === 200);
    });
    req.on('error', () => done(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

function killGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false; // ESRCH: the group is gone
  }
}

function serverEnv(folders: Pick<CodeServerFolders, 'homeEnv' | 'install'>, extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return {
    ...cleanEnv(process.env),
    ...extra,
    ...folders.homeEnv,
    // No extension marketplace: it would only try to reach the network.
    EXTENSIONS_GALLERY: '{"serviceUrl":""}',
    PATH: `${folders.install.nodeBin}:${process.env.PATH ?? ''}`,
  };
}

/** Runs code-server's CLI (e.g. `--install-extension x.vsix`) on this run's folders; rejects on failure. */
export function runCodeServerCli(folders: CodeServerFolders, args: string[]): Promise<string> {
  const child = spawn(
    folders.install.node,
    [folders.install.entry, '--user-data-dir', folders.userDataDir, '--extensions-dir', folders.extensionsDir, ...args],
    { stdio: ['ignore', 'pipe', 'pipe'], env: serverEnv(folders) },
  );
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (t: string) => (output += t));
  child.stderr!.setEncoding('utf8').on('data', (t: string) => (output += t));
  return new Promise((done, fail) => {
    child.once('error', fail);
    child.once('exit', (code) =>
      code === 0 ? done(output) : fail(new Error(`code-server ${args.join(' ')} failed (${code}):\n${output}`)),
    );
  });
}

interface Unstopped {
  stop(): Promise<void>;
  /** Synchronous last resort for process exit. */
  killNow(): void;
}
/** Every server this process started and has not stopped yet. */
const unstopped = new Set<Unstopped>();
// A test runner that exits early (Ctrl-C, process.exit) must not leave a server behind: the
// browser dies with us (playwright sees to it), the detached server group would not.
process.once('exit', () => {
  for (const server of unstopped) server.killNow();
});

/** Stops every server this process started, including one still starting (for signal handlers). */
export async function stopStartedServers(): Promise<void> {
  await Promise.all([...unstopped].map((server) => server.stop()));
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const install = options.install ?? findCodeServer();
  const tempDir = mkdtempSync(join(tmpdir(), 'alembic-squash-vscode-'));

  // Tracked from the first folder on, so a signal at any point below still cleans up.
  let child: ChildProcess | undefined;
  let exited: Promise<string> = Promise.resolve('code-server was never started');
  let stopped = false;
  let stopping: Promise<void> | undefined;
  // Every caller waits for the one real stop.
  const stop = (): Promise<void> => (stopping ??= doStop());
  const doStop = async (): Promise<void> => {
    stopped = true;
    unstopped.delete(tracked);
    const pid = child?.pid;
    if (pid !== undefined && killGroup(pid, 'SIGTERM')) {
      const gone = await Promise.race([exited.then(() => true), delay(5000).then(() => false)]);
      if (!gone) process.stderr.write('code-server did not stop on SIGTERM; killing its process group\n');
      // Children (extension host, file watcher) may outlive the leader: always sweep the group.
      killGroup(pid, 'SIGKILL');
    }
    removeQuietly(tempDir);
  };
  const tracked: Unstopped = {
    stop,
    killNow() {
      if (child?.pid !== undefined) killGroup(child.pid, 'SIGKILL');
      removeQuietly(tempDir);
    },
  };
  unstopped.add(tracked);
  const failStarting = async (err: unknown): Promise<never> => {
    await stop();
    throw err;
  };

  const homeEnv = homeEnvFor(tempDir);
  const userDataDir = join(tempDir, 'user-data');
  const extensionsDir = join(tempDir, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  const settings = {
    ...DEFAULT_SETTINGS,
    'security.workspace.trust.enabled': options.workspaceTrust,
    ...options.settings,
  };
  writeFileSync(join(userDataDir, 'User/settings.json'), JSON.stringify(settings, null, 2));
  await options.prepare?.({ tempDir, homeEnv, userDataDir, extensionsDir, install }).catch(failStarting);

  const port = await freePort();
  if (stopped) return failStarting(new Error('code-server start was cancelled'));
  const origin = `http://127.0.0.1:${port}`;
  const args = [
    install.entry,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--reconnection-grace-time', '5',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
  ];
  if (!options.workspaceTrust) args.push('--disable-workspace-trust');
  if (options.smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');

  const verbose = !!process.env.ALEMBIC_SQUASH_VSCODE_VERBOSE;
  const onOutput = options.onOutput ?? ((text: string) => verbose && process.stderr.write(text));
  const spawned = spawn(install.node, args, {
    // Its own process group, so stop() reaches the extension host, pty host and watchers too.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: serverEnv({ homeEnv, install }, options.env),
  });
  child = spawned;
  spawned.stdout!.setEncoding('utf8').on('data', onOutput);
  spawned.stderr!.setEncoding('utf8').on('data', onOutput);
  exited = new Promise<string>((done) => {
    spawned.once('error', (err) => done(`code-server could not start: ${err.message}`));
    spawned.once('exit', (code, signal) => done(`code-server exited (${signal ?? `code ${code}`})`));
  });

  const server: CodeServer = {
    port,
    origin,
    tempDir,
    homeEnv,
    userDataDir,
    extensionsDir,
    install,
    process: spawned,
    exited,
    remoteUri: (path) => `vscode-remote://127.0.0.1:${port}${encodeURI(path)}`,
    stop,
  };

  const deadline = Date.now() + 60_000;
  let early: string | undefined;
  void exited.then((why) => (early = why));
  while (!(await healthy(origin))) {
    if (early !== undefined || stopped || Date.now() > deadline) {
      return failStarting(new Error(early ?? `code-server did not answer on ${origin} within 60 s`));
    }
    await delay(200);
  }
  return server;
}

function removeQuietly(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  } catch (err) {
    process.stderr.write(`could not remove ${dir}: ${(err as Error).message}\n`);
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
