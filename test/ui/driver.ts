// Drives the real workbench in headless Chromium for UI scenarios. The server runs WITHOUT the
// smoke-test driver flag, so notifications show as they do for a user.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import {
  launchBrowser,
  REPO_ROOT,
  runCodeServerCli,
  startCodeServer,
  type CodeServer,
  type CodeServerFolders,
} from '../extension/launcher';

export const ARTIFACTS_DIR = join(REPO_ROOT, 'test/ui/artifacts');

export interface WorkbenchOptions {
  /** Folder opened in the workbench. */
  readonly folder: string;
  /** A built extension folder (package.json + dist/) linked into the run's extensions dir. */
  readonly extensionPath?: string;
  /** A packaged .vsix installed with `code-server --install-extension`; wins over extensionPath. */
  readonly vsix?: string;
  readonly trusted?: boolean;
  readonly settings?: Record<string, unknown>;
  /** Extra environment for the server and so for the extension host. */
  readonly env?: NodeJS.ProcessEnv;
  /** Where screenshot(name) writes; default test/ui/artifacts/. */
  readonly artifactsDir?: string;
  /** How long to wait for the workbench and its explorer. Default 60 s. */
  readonly timeoutMs?: number;
}

export interface Workbench {
  readonly page: Page;
  readonly server: CodeServer;
  /** Saves a PNG of the page as `<artifactsDir>/<name>.png` and returns its path. */
  screenshot(name: string): Promise<string>;
  /** Runs a command from the palette by its exact title; `waitForClose: false` for commands that open a picker. */
  runCommand(title: string, options?: { waitForClose?: boolean }): Promise<void>;
  /** A row of any tree or list (explorer, custom views, quick pick) whose text matches. */
  treeRow(label: string | RegExp): Locator;
  /** Waits for a notification toast whose text matches and returns it. */
  notification(text: string | RegExp, timeoutMs?: number): Promise<Locator>;
  /** Stops the browser and the server, removes their temp folders. */
  close(): Promise<void>;
}

export const Selectors = {
  workbench: '.monaco-workbench',
  explorer: '.explorer-folders-view',
  listRow: '.monaco-list-row',
  notificationToast: '.notification-toast',
  quickInput: '.quick-input-widget',
  quickInputBox: '.quick-input-widget .quick-input-box input',
  quickInputRow: '.quick-input-widget .monaco-list-row',
} as const;

async function installExtension(folders: CodeServerFolders, options: WorkbenchOptions): Promise<void> {
  if (options.vsix) {
    await runCodeServerCli(folders, ['--install-extension', resolve(options.vsix), '--force']);
  } else if (options.extensionPath) {
    const path = resolve(options.extensionPath);
    const manifest = JSON.parse(readFileSync(join(path, 'package.json'), 'utf8')) as {
      publisher: string;
      name: string;
      version: string;
    };
    // The extensions dir's manifest may point at a folder anywhere: the built extension stays in place.
    const entry = {
      identifier: { id: `${manifest.publisher}.${manifest.name}` },
      version: manifest.version,
      location: { $mid: 1, path, scheme: 'file' },
      metadata: { installedTimestamp: Date.now(), pinned: true, source: 'vsix' },
    };
    writeFileSync(join(folders.extensionsDir, 'extensions.json'), JSON.stringify([entry]));
  }
}

export async function startWorkbench(options: WorkbenchOptions): Promise<Workbench> {
  const timeout = options.timeoutMs ?? 60_000;
  const artifactsDir = options.artifactsDir ?? ARTIFACTS_DIR;
  const server = await startCodeServer({
    smokeTestDriver: false,
    workspaceTrust: options.trusted === false,
    settings: options.settings,
    env: options.env,
    prepare: (folders) => installExtension(folders, options),
  });
  let browser: BrowserContext | undefined;
  const close = async (): Promise<void> => {
    await browser?.close().catch(() => undefined);
    await server.stop();
  };
  try {
    browser = await launchBrowser({ executablePath: server.install.chromium, tempDir: server.tempDir, homeEnv: server.homeEnv });
    const page = browser.pages()[0] ?? (await browser.newPage());
    page.setDefaultTimeout(timeout);
    await page.goto(`${server.origin}/?${new URLSearchParams({ folder: resolve(options.folder) })}`);
    await page.locator(Selectors.workbench).waitFor();
    await page.locator(`${Selectors.explorer} ${Selectors.listRow}`).first().waitFor();

    const treeRow = (label: string | RegExp): Locator => page.locator(Selectors.listRow).filter({ hasText: label });
    return {
      page,
      server,
      treeRow,
      async screenshot(name) {
        mkdirSync(artifactsDir, { recursive: true });
        const path = join(artifactsDir, `${name}.png`);
        await page.screenshot({ path });
        return path;
      },
      async runCommand(title, options = {}) {
        // The palette's command list fills in asynchronously while the workbench is still starting
        // (extensions registering): when the row does not show up, close the palette and ask again.
        const row = page
          .locator(Selectors.quickInputRow)
          .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(title)}$`) }) })
          .first();
        for (let attempt = 1; ; attempt++) {
          await page.keyboard.press('F1');
          const input = page.locator(Selectors.quickInputBox);
          await input.waitFor();
          await input.fill(`>${title}`);
          try {
            await row.waitFor({ timeout: attempt < 4 ? 15_000 : timeout });
            break;
          } catch (err) {
            if (attempt >= 4) throw err;
            await page.keyboard.press('Escape');
          }
        }
        await row.click();
        // A command that opens its own picker keeps the quick input open.
        if (options.waitForClose !== false) await page.locator(Selectors.quickInput).waitFor({ state: 'hidden' });
      },
      async notification(text, timeoutMs = timeout) {
        const toast = page.locator(Selectors.notificationToast).filter({ hasText: text }).first();
        await toast.waitFor({ timeout: timeoutMs });
        return toast;
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
