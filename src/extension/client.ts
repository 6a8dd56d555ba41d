import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { LanguageClient, LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
import { SECTION } from './constants';
import type { Log } from './log';

/**
 * The language server (dist/server.js) over IPC, for Python files; the server ignores files outside
 * version locations. Restarted when the workspace becomes trusted (its initializationOptions change).
 */
export class ServerConnection implements vscode.Disposable {
  client: LanguageClient | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: Log,
  ) {
    this.disposables.push(vscode.workspace.onDidGrantWorkspaceTrust(() => void this.restart()));
  }

  async start(): Promise<LanguageClient | undefined> {
    const module = vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'server.js').fsPath;
    if (!fs.existsSync(module)) {
      this.log.info(`language server not started: ${module} does not exist`);
      return undefined;
    }
    // Loaded here, after activation: the client library is most of the bundle and is not needed to show the tree.
    const { LanguageClient, TransportKind } = require('vscode-languageclient/node') as typeof import('vscode-languageclient/node');
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [{ scheme: 'file', language: 'python' }],
      initializationOptions: { trusted: vscode.workspace.isTrusted },
      synchronize: { configurationSection: SECTION },
      outputChannel: this.log.channel,
    };
    const client = new LanguageClient('alembicSquash', 'Alembic Squash Language Server', serverOptions, clientOptions);
    this.client = client;
    try {
      await client.start();
      this.log.info('language server started');
    } catch (err) {
      this.log.error('language server failed to start', err);
    }
    return client;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client?.isRunning()) await client.stop().catch((err) => this.log.error('stopping the language server failed', err));
  }

  dispose(): void {
    void this.stop();
    for (const d of this.disposables) d.dispose();
  }
}
