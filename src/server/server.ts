import {
  CodeActionKind,
  CodeLensRefreshRequest,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  TextDocumentSyncKind,
  TextDocuments,
  type CodeAction,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { codeActions, mergeEdit, type MergeActionData } from './actions';
import { completion } from './completion';
import { DiagnosticsPublisher } from './diagnostics';
import { codeLenses, workspaceSymbols } from './lens';
import { definition, documentLinks, hover, references } from './navigation';
import { toOffset } from './positions';
import { prepareRename, rename } from './rename';
import { settingsFor } from './settings';
import { pathOf } from './uris';
import { BackgroundParser } from './backgroundParser';
import { Workspace, type FileContext, type ProjectState } from './workspace';

/** What the client tells us in `initializationOptions`. */
export interface InitializationOptions {
  /** False in an untrusted workspace: the server then never runs Python. */
  trusted?: boolean;
}

/** Handles for tests and the benchmark. */
export interface ServerHandle {
  workspace: Workspace;
  /** Settles once the workspace folders are loaded and first diagnostics are published. */
  ready: Promise<void>;
}

/**
 * Wires the language features over src/core onto a connection. The server finds the Alembic projects
 * of its workspace folders itself and keeps their graphs current from open buffers and watched files.
 */
export interface ServerOptions {
  /**
   * Full parses of large documents on a worker thread (default true); false parses them on the
   * request thread, as before (benchmarks compare both; results are the same).
   */
  backgroundParse?: boolean;
}

export function startServer(connection: Connection, options: ServerOptions = {}): ServerHandle {
  const background = options.backgroundParse === false ? undefined : new BackgroundParser();
  const workspace = new Workspace({ background });
  const documents = new TextDocuments(TextDocument);
  let trusted = true;
  let configurationSupported = false;
  let watchRegistration = false;
  let resolveSupported = false;
  let workspaceFoldersSupported = false;
  let lensRefreshSupported = false;
  let folders: string[] = [];
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const publisher = new DiagnosticsPublisher(connection, () => workspace.projects, () => configurationSupported);

  const refresh = (touched: ProjectState[]) => (touched.length ? publisher.refresh(touched) : Promise.resolve());

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const caps = params.capabilities;
    trusted = (params.initializationOptions as InitializationOptions | undefined)?.trusted !== false;
    configurationSupported = !!caps.workspace?.configuration;
    watchRegistration = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    resolveSupported = !!caps.textDocument?.codeAction?.resolveSupport?.properties.includes('edit');
    workspaceFoldersSupported = !!caps.workspace?.workspaceFolders;
    lensRefreshSupported = !!caps.workspace?.codeLens?.refreshSupport;
    folders = (params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []))
      .map(pathOf)
      .filter((p): p is string => p !== undefined);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        documentLinkProvider: { resolveProvider: false },
        completionProvider: { triggerCharacters: ["'", '"'] },
        codeLensProvider: { resolveProvider: false },
        workspaceSymbolProvider: true,
        renameProvider: { prepareProvider: true },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix], resolveProvider: true },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'alembic-squash' },
    };
  });

  connection.onInitialized(() => {
    if (watchRegistration) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: '**/*.py' }, { globPattern: '**/alembic.ini' }, { globPattern: '**/pyproject.toml' }],
      });
    }
    if (configurationSupported) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'alembicSquash' });
    if (workspaceFoldersSupported) {
      connection.workspace.onDidChangeWorkspaceFolders(async (e) => {
        await ready;
        const touched: ProjectState[] = [];
        for (const f of e.removed) {
          const p = pathOf(f.uri);
          if (p) touched.push(...workspace.removeFolder(p));
        }
        for (const f of e.added) {
          const p = pathOf(f.uri);
          if (p) touched.push(...(await workspace.loadFolder(p)));
        }
        await refresh(touched);
      });
    }
    void (async () => {
      const loaded = (await Promise.all(folders.map((f) => workspace.loadFolder(f)))).flat();
      await refresh(loaded);
      markReady();
    })();
  });

  documents.onDidOpen((e) => track(e.document));
  documents.onDidChangeContent((e) => track(e.document));
  documents.onDidClose((e) => {
    const p = pathOf(e.document.uri);
    if (p) {
      clearTimeout(timers.get(p));
      timers.delete(p);
    }
    if (p) void ready.then(() => refresh(workspace.closeBuffer(p)));
  });
  workspace.onFlushed = (touched) => void ready.then(() => refresh(touched));
  /**
   * Edits are parsed off the notification path: queued, then parsed from a timer, so the requests of
   * other documents waiting in the queue run first; a newer edit of the same document replaces the
   * queued one (stale work is dropped, never parsed). Large documents wait a little longer for typing
   * to pause.
   */
  const timers = new Map<string, NodeJS.Timeout>();
  function track(doc: TextDocument): void {
    const p = pathOf(doc.uri);
    if (!p) return;
    const text = doc.getText();
    workspace.queueBuffer(p, text);
    clearTimeout(timers.get(p));
    timers.set(
      p,
      setTimeout(() => {
        timers.delete(p);
        const touched = workspace.flush(p);
        if (touched.length) void ready.then(() => refresh(touched));
        // A file of a project the watcher has not told us about yet: look for its config now.
        else void ready.then(async () => {
          const found = await workspace.adoptOrphan(p);
          if (found.length) await refresh(found);
        });
      }, text.length > 100_000 ? 150 : 0),
    );
  }

  connection.onDidChangeWatchedFiles(async (e) => {
    await ready;
    const touched: ProjectState[] = [];
    for (const change of e.changes) {
      const p = pathOf(change.uri);
      if (!p) continue;
      // Create, change and delete all come down to "read the disk again" (a rename is a delete + a create).
      touched.push(...(await workspace.diskChanged(p)));
    }
    await refresh(touched);
  });

  connection.onDidChangeConfiguration(async () => {
    await ready;
    await refresh(workspace.projects);
    if (lensRefreshSupported) connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
  });

  /** The project file behind a request, once the workspace is loaded and the file's newest text parsed. */
  async function contextOf(uri: string): Promise<FileContext | undefined> {
    await ready;
    const p = pathOf(uri);
    if (!p) return undefined;
    await workspace.settled(p);
    return workspace.context(p);
  }
  const at = (ctx: FileContext, position: { line: number; character: number }) => toOffset(ctx.file, position);

  connection.onHover(async ({ textDocument, position }) => {
    const ctx = await contextOf(textDocument.uri);
    return ctx ? (hover(ctx, at(ctx, position)) ?? null) : null;
  });
  connection.onDefinition(async ({ textDocument, position }) => {
    const ctx = await contextOf(textDocument.uri);
    return ctx ? (definition(ctx, at(ctx, position)) ?? null) : null;
  });
  connection.onReferences(async ({ textDocument, position, context }) => {
    const ctx = await contextOf(textDocument.uri);
    return ctx ? (references(ctx, at(ctx, position), context.includeDeclaration) ?? null) : null;
  });
  connection.onDocumentLinks(async ({ textDocument }) => {
    const ctx = await contextOf(textDocument.uri);
    return ctx ? documentLinks(ctx) : null;
  });
  connection.onCompletion(async ({ textDocument, position }) => {
    const ctx = await contextOf(textDocument.uri);
    return ctx ? (completion(ctx, at(ctx, position)) ?? null) : null;
  });
  connection.onCodeLens(async ({ textDocument }) => {
    const ctx = await contextOf(textDocument.uri);
    if (!ctx) return null;
    const [settings] = await settingsFor(connection, configurationSupported, [textDocument.uri]);
    return settings!.codeLens ? codeLenses(ctx) : [];
  });
  connection.onWorkspaceSymbol(async ({ query }) => {
    await ready;
    return workspaceSymbols(workspace.projects, query);
  });
  connection.onPrepareRename(async ({ textDocument, position }) => {
    const ctx = await contextOf(textDocument.uri);
    return ctx ? prepareRename(ctx, at(ctx, position)) : null;
  });
  connection.onRenameRequest(async ({ textDocument, position, newName }) => {
    const ctx = await contextOf(textDocument.uri);
    return ctx ? rename(ctx, at(ctx, position), newName) : null;
  });

  async function withMergeEdit(action: CodeAction): Promise<CodeAction> {
    const data = action.data as MergeActionData | undefined;
    if (data?.kind !== 'merge') return action;
    const ctx = await contextOf(data.uri);
    if (!ctx) return action;
    const [settings] = await settingsFor(connection, configurationSupported, [data.uri]);
    const edit = await mergeEdit(ctx.state, { trusted, python: settings!.python });
    return edit ? { ...action, edit } : action;
  }
  connection.onCodeAction(async ({ textDocument, context }) => {
    const ctx = await contextOf(textDocument.uri);
    if (!ctx) return null;
    const actions = codeActions(ctx, textDocument.uri, context.diagnostics);
    // Rendering the merge file may start Python: only when the client picks the action, if it can ask later.
    return resolveSupported ? actions : Promise.all(actions.map(withMergeEdit));
  });
  connection.onCodeActionResolve(withMergeEdit);

  // The worker ends with the session (nothing is parsed after a shutdown request).
  connection.onShutdown(() => background?.dispose());
  connection.onExit(() => background?.dispose());
  documents.listen(connection);
  connection.listen();
  return { workspace, ready };
}
