// Stands in for the VS Code executable given to @vscode/test-electron's runTests(): starts code-server
// with the smoke-test driver, opens the extension-test payload in headless Chromium and exits with the
// extension host's exit code.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { format } from 'node:util';
import type { BrowserContext } from 'playwright-core';
import { parseLaunchArgs } from './args';
import { launchBrowser } from './browser';
import { startCodeServer, stopStartedServers, type CodeServer } from './code-server';
import { followFile, HOST_OUTPUT_ENV } from './host-output';

const DEFAULT_TIMEOUT_S = 600;

/** Exit codes of the launcher itself, apart from the host's own. */
const enum LauncherExit {
  Usage = 2,
  Failure = 3,
  Timeout = 124,
}

function payloadUrl(server: CodeServer, devPaths: string[], testsPath: string, folder: string | undefined): string {
  const payload: [string, string][] = [
    ...devPaths.map((p): [string, string] => ['extensionDevelopmentPath', server.remoteUri(p)]),
    ['extensionTestsPath', server.remoteUri(testsPath)],
  ];
  const query = new URLSearchParams();
  if (folder) query.set('folder', folder);
  else query.set('ew', 'true');
  query.set('payload', JSON.stringify(payload));
  return `${server.origin}/?${query.toString()}`;
}

const verbose = !!process.env.ALEMBIC_SQUASH_VSCODE_VERBOSE;
/** Set by SIGINT/SIGTERM: the launcher then exits with 128 + signal whatever else happens. */
let interrupted: number | undefined;

/** The workbench's own log (the host's console too, see host-output.ts): only its errors by default. */
function printWorkbenchLog(level: unknown, args: unknown): void {
  const text = format(...(Array.isArray(args) ? args : [args]));
  // Stopping the host cancels pending requests; those "Canceled" errors are expected.
  if (!verbose && (level !== 'error' || text.startsWith('Canceled'))) return;
  process.stdout.write(`[workbench ${String(level)}] ${text}\n`);
}

async function main(argv: string[]): Promise<number> {
  const args = parseLaunchArgs(argv);
  if (!args.extensionTestsPath || args.extensionDevelopmentPaths.length === 0) {
    process.stderr.write('launcher: --extensionTestsPath and --extensionDevelopmentPath are required\n');
    return LauncherExit.Usage;
  }
  const timeoutS = Number(process.env.ALEMBIC_SQUASH_VSCODE_TIMEOUT ?? DEFAULT_TIMEOUT_S);
  const started = Date.now();

  let server: CodeServer | undefined;
  let browserLaunch: Promise<BrowserContext> | undefined;
  const cleanupPaths: string[] = [];
  const cleanup = async (): Promise<void> => {
    // Wait for a launch under way, or Chromium keeps writing into the folders being removed.
    const browser = await browserLaunch?.catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await server?.stop();
    await stopStartedServers(); // one still starting when a signal came
    for (const path of cleanupPaths) rmSync(path, { recursive: true, force: true });
  };
  // A signal wins the race below and the normal path cleans up in `finally` (browser before server:
  // the browser profile lives in the server's temp folder). A server still starting is stopped at
  // once to end the wait for it. The timer is a last resort if that path hangs.
  let onInterrupt!: (code: number) => void;
  const interruption = new Promise<number>((done) => (onInterrupt = done));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      interrupted = 128 + (signal === 'SIGINT' ? 2 : 15);
      process.stderr.write(`launcher: ${signal}, stopping code-server\n`);
      onInterrupt(interrupted);
      if (!server) void stopStartedServers();
      setTimeout(() => process.exit(interrupted), 20_000).unref();
    });
  }

  let timer: NodeJS.Timeout | undefined;
  let follower: { stop(): void } | undefined;
  try {
    // The host's env comes from the server's; the file lives in a folder only this run uses.
    const hostOutput = join(mkdtempSync(join(tmpdir(), 'alembic-squash-host-')), 'output.log');
    cleanupPaths.push(dirname(hostOutput));
    follower = followFile(hostOutput, (text) => process.stdout.write(text));
    server = await startCodeServer({
      smokeTestDriver: true,
      workspaceTrust: !args.disableWorkspaceTrust,
      env: { [HOST_OUTPUT_ENV]: hostOutput },
    });
    if (interrupted) return interrupted;
    browserLaunch = launchBrowser({ executablePath: server.install.chromium, tempDir: server.tempDir, homeEnv: server.homeEnv });
    const browser = await browserLaunch;
    if (interrupted) return interrupted;
    const page = browser.pages()[0] ?? (await browser.newPage());

    let reportExit!: (code: number) => void;
    const hostExit = new Promise<number>((done) => (reportExit = done));
    await page.exposeFunction('codeAutomationExit', (code: unknown) => reportExit(typeof code === 'number' ? code : 1));
    await page.exposeFunction('codeAutomationLog', printWorkbenchLog);

    let finished = false;
    const failure = new Promise<number>((done) => {
      void server!.exited.then((why) => {
        if (finished || interrupted) return;
        process.stderr.write(`launcher: ${why} before the tests finished\n`);
        done(LauncherExit.Failure);
      });
      page.on('crash', () => {
        process.stderr.write('launcher: the browser page crashed\n');
        done(LauncherExit.Failure);
      });
      timer = setTimeout(() => {
        process.stderr.write(
          `launcher: extension tests did not finish within ${timeoutS} s (ALEMBIC_SQUASH_VSCODE_TIMEOUT); stopping\n`,
        );
        done(LauncherExit.Timeout);
      }, timeoutS * 1000);
    });

    const folder = args.folder ? resolve(args.folder) : undefined;
    const url = payloadUrl(server, args.extensionDevelopmentPaths.map((p) => resolve(p)), resolve(args.extensionTestsPath), folder);
    // Not awaited: the host may finish before the page counts as loaded.
    const navigation = page.goto(url).then(
      () => new Promise<number>(() => undefined),
      (err: Error) => {
        if (!finished && !interrupted) process.stderr.write(`launcher: could not open the workbench: ${err.message}\n`);
        return LauncherExit.Failure;
      },
    );
    let fromHost = false;
    const code = await Promise.race([hostExit.then((c) => ((fromHost = true), c)), failure, navigation, interruption]);
    finished = true;
    follower.stop(); // the host's last lines before ours
    const after = `after ${((Date.now() - started) / 1000).toFixed(1)} s`;
    process.stdout.write(`launcher: ${fromHost ? 'extension host exited with' : 'exiting with'} ${code} ${after}\n`);
    return code;
  } catch (err) {
    if (interrupted) return interrupted;
    process.stderr.write(`launcher: ${err instanceof Error ? err.message : String(err)}\n`);
    return LauncherExit.Failure;
  } finally {
    clearTimeout(timer);
    follower?.stop();
    await cleanup();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(interrupted ?? code),
  (err) => {
    process.stderr.write(`launcher: ${String(err)}\n`);
    process.exit(LauncherExit.Failure);
  },
);
