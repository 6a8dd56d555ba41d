import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL, fileURLToPath } from 'node:url';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import type { Diagnostic, InitializeResult, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { createConnection } from 'vscode-languageserver/node';
import { startServer, type ServerHandle, type ServerOptions } from '../../../src/server/server';

export const repoRoot = path.resolve(__dirname, '../../..');
export const fixtures = path.join(repoRoot, 'test/fixtures');

export const uri = (p: string): string => pathToFileURL(p).href;

export interface ClientOptions {
  /** Answer to `workspace/configuration` (section alembicSquash), per scope URI. */
  settings?: (scopeUri: string) => unknown;
  trusted?: boolean;
  /** Advertise codeAction resolve support (VS Code does). */
  resolveSupport?: boolean;
  /** For a server in this process. */
  server?: ServerOptions;
}

/** A minimal LSP client: records published diagnostics and lets tests await them. */
export class TestClient {
  readonly diagnostics = new Map<string, Diagnostic[]>();
  private waiters: (() => void)[] = [];
  private versions = new Map<string, number>();
  settings: (scopeUri: string) => unknown;
  configurationRequests = 0;
  /** The server's own handle, for a server in this process (its workspace, to see what it is doing). */
  handle?: ServerHandle;

  private constructor(
    readonly connection: MessageConnection,
    private readonly stop: () => void,
    private readonly options: ClientOptions,
    /** A server in this process must not watch this process for exit (it would keep the event loop alive). */
    private readonly processId: number | null,
  ) {
    this.settings = options.settings ?? (() => ({}));
    connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.diagnostics.set(fileURLToPath(p.uri), p.diagnostics);
      const waiting = this.waiters;
      this.waiters = [];
      waiting.forEach((w) => w());
    });
    connection.onRequest('workspace/configuration', (p: { items: { scopeUri?: string }[] }) => {
      this.configurationRequests++;
      return p.items.map((i) => this.settings(i.scopeUri ?? ''));
    });
    connection.onRequest('client/registerCapability', () => null);
    connection.onRequest('workspace/codeLens/refresh', () => null);
    connection.onNotification('window/logMessage', () => undefined);
    connection.listen();
  }

  /** The server module over in-memory streams, in this process. */
  static inProcess(options: ClientOptions = {}): TestClient {
    const toServer = new PassThrough();
    const toClient = new PassThrough();
    const serverConnection = createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
    const handle = startServer(serverConnection, options.server);
    const client = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
    const test = new TestClient(client, () => {
      client.dispose();
      serverConnection.dispose();
      toServer.destroy();
      toClient.destroy();
    }, options, null);
    test.handle = handle;
    return test;
  }

  /** The bundle, as other editors start it: `node dist/server.js --stdio`. */
  static spawned(options: ClientOptions = {}): TestClient {
    const child: ChildProcess = spawn(process.execPath, [path.join(repoRoot, 'dist/server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const client = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    return new TestClient(client, () => {
      client.dispose();
      if (child.exitCode === null) child.kill();
    }, options, process.pid);
  }

  async initialize(folder: string): Promise<InitializeResult> {
    const result = await this.connection.sendRequest<InitializeResult>('initialize', {
      processId: this.processId,
      rootUri: uri(folder),
      workspaceFolders: [{ uri: uri(folder), name: path.basename(folder) }],
      initializationOptions: { trusted: this.options.trusted ?? true },
      capabilities: {
        workspace: {
          configuration: true,
          workspaceFolders: true,
          didChangeWatchedFiles: { dynamicRegistration: true },
          workspaceEdit: { documentChanges: true, resourceOperations: ['create'] },
          codeLens: { refreshSupport: true },
        },
        textDocument: {
          codeAction: this.options.resolveSupport ? { resolveSupport: { properties: ['edit'] } } : {},
          rename: { prepareSupport: true },
        },
      },
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  /** Resolves when `test` holds for the diagnostics received so far (checked after each publish). */
  async until<T>(test: () => T | undefined | false, what: string, timeoutMs = 15000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = test();
      if (value) return value;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  codes(file: string): string[] {
    return (this.diagnostics.get(file) ?? []).map((d) => String(d.code)).sort();
  }

  open(file: string, text = fs.readFileSync(file, 'utf8')): void {
    this.versions.set(file, 1);
    void this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uri(file), languageId: 'python', version: 1, text } });
  }

  change(file: string, text: string): void {
    const version = (this.versions.get(file) ?? 1) + 1;
    this.versions.set(file, version);
    void this.connection.sendNotification('textDocument/didChange', { textDocument: { uri: uri(file), version }, contentChanges: [{ text }] });
  }

  close(file: string): void {
    void this.connection.sendNotification('textDocument/didClose', { textDocument: { uri: uri(file) } });
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest<R>(method, params);
  }

  async dispose(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
    } catch {
      // The server may already be gone.
    }
    this.stop();
  }
}

/** A copy of a fixture in a fresh temp folder (tests that write to disk). */
export function copyFixture(name: string): { dir: string; remove: () => void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'alembic-squash-lsp-'));
  const dir = path.join(root, path.basename(name));
  fs.cpSync(path.join(fixtures, name), dir, { recursive: true });
  return { dir, remove: () => fs.rmSync(root, { recursive: true, force: true }) };
}

export function versionsOf(dir: string): string {
  return path.join(dir, 'migrations', 'versions');
}

/** The migration file of `rev` in a fixture (files are named `<rev>_<slug>.py`). */
export function fileOf(dir: string, rev: string): string {
  const versions = versionsOf(dir);
  const name = fs.readdirSync(versions).find((f) => f.startsWith(`${rev}_`));
  if (!name) throw new Error(`no file for ${rev} in ${versions}`);
  return path.join(versions, name);
}

/** LSP position of the first occurrence of `needle` (+ `delta` characters) in `text`. */
export function positionOf(text: string, needle: string, delta = 1): { line: number; character: number } {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`'${needle}' not found`);
  const before = text.slice(0, at + delta);
  const lines = before.split('\n');
  return { line: lines.length - 1, character: lines[lines.length - 1]!.length };
}
