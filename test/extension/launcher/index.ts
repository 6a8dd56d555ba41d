// Real VS Code (code-server) for tests: the extension-host launcher's parts, shared with test/ui.
export { findCodeServer, CodeServerNotInstalledError, CODE_SERVER_VERSION, REPO_ROOT, type CodeServerInstall } from './install';
export {
  startCodeServer,
  stopStartedServers,
  runCodeServerCli,
  freePort,
  delay,
  DEFAULT_SETTINGS,
  type CodeServer,
  type CodeServerFolders,
  type CodeServerOptions,
} from './code-server';
export { launchBrowser, CHROMIUM_ARGS, type BrowserOptions } from './browser';
export { parseLaunchArgs, ENABLE_WORKSPACE_TRUST, type LaunchArgs } from './args';
export { HOST_OUTPUT_ENV, redirectConsole, followFile } from './host-output';
