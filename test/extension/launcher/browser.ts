// Headless Debian Chromium driven by playwright-core (no browser download needed).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export interface BrowserOptions {
  readonly executablePath: string;
  /** The run's temp folder: the profile and the browser's HOME/XDG dirs go below it. */
  readonly tempDir: string;
  readonly homeEnv: NodeJS.ProcessEnv;
  readonly viewport?: { width: number; height: number };
}

/** A persistent context on a fresh profile, so nothing is shared between runs. */
export async function launchBrowser(options: BrowserOptions): Promise<BrowserContext> {
  const profile = join(options.tempDir, 'chromium-profile');
  mkdirSync(profile, { recursive: true });
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...process.env, ...options.homeEnv })) {
    if (value !== undefined) env[key] = value;
  }
  return chromium.launchPersistentContext(profile, {
    executablePath: options.executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
    env,
    viewport: options.viewport ?? { width: 1400, height: 900 },
    // The workbench asks for clipboard access when commands copy text.
    permissions: ['clipboard-read', 'clipboard-write'],
    // The launcher stops browser and server itself, in that order, on these signals.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
}
