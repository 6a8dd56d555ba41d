import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { registerDatabaseCommands } from './commands';
import { Connections } from './connections';
import { DATABASES_VIEW, DatabasesProvider } from './view';

/** The Databases view: connections in SecretStorage, read-only positions, Stamp… as the one write. */
export function registerDatabases(ctx: Ctx): { provider: DatabasesProvider; disposables: vscode.Disposable[] } {
  const connections = new Connections(ctx.extension.secrets);
  const provider = new DatabasesProvider(ctx, connections);
  const view = vscode.window.createTreeView(DATABASES_VIEW, { treeDataProvider: provider, showCollapseAll: false });
  const disposables: vscode.Disposable[] = [
    connections,
    provider,
    view,
    ...registerDatabaseCommands(ctx, connections, provider),
    // A squash changes where databases stand: read them again (still only on the user's actions).
    ctx.onDidSquash(() => void provider.refresh()),
  ];
  void provider.refresh();
  return { provider, disposables };
}
