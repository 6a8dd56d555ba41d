// Reads the VS Code command line that @vscode/test-electron passes to its "executable".

export interface LaunchArgs {
  readonly extensionDevelopmentPaths: string[];
  readonly extensionTestsPath: string | undefined;
  /** The folder to open (the first positional argument). */
  readonly folder: string | undefined;
  /** False when the caller asked for an untrusted workspace (`--enable-workspace-trust`). */
  readonly disableWorkspaceTrust: boolean;
  /** Arguments we understand but do not need in a browser workbench (kept for the log). */
  readonly ignored: string[];
}

/** Launcher-only flag: runTests always adds `--disable-workspace-trust`, so this one wins over it. */
export const ENABLE_WORKSPACE_TRUST = '--enable-workspace-trust';

export function parseLaunchArgs(argv: readonly string[]): LaunchArgs {
  const extensionDevelopmentPaths: string[] = [];
  let extensionTestsPath: string | undefined;
  let folder: string | undefined;
  let disableTrust = false;
  let enableTrust = false;
  const ignored: string[] = [];

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      folder ??= arg;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg : arg.slice(0, eq);
    // VS Code accepts both `--name=value` and `--name value` for options that take a value.
    const value = (): string => (eq < 0 ? (argv[++i] ?? '') : arg.slice(eq + 1));
    switch (name) {
      case '--extensionDevelopmentPath':
        extensionDevelopmentPaths.push(value());
        break;
      case '--extensionTestsPath':
        extensionTestsPath = value();
        break;
      case '--folder-uri':
        folder ??= value().replace(/^file:\/\//, '');
        break;
      case '--disable-workspace-trust':
        disableTrust = true;
        break;
      case ENABLE_WORKSPACE_TRUST:
        enableTrust = true;
        break;
      case '--user-data-dir':
      case '--extensions-dir':
      case '--locale':
      case '--log':
        // Every run gets fresh directories of its own; values are dropped.
        ignored.push(`${name}=${value()}`);
        break;
      default:
        ignored.push(arg);
    }
  }
  return {
    extensionDevelopmentPaths,
    extensionTestsPath,
    folder,
    disableWorkspaceTrust: disableTrust && !enableTrust,
    ignored,
  };
}
