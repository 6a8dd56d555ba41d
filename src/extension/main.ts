import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ServerConnection } from './client';
import { watchInterrupted } from './squash/recovery';
import { registerCommands } from './commands';
import { Config } from './config';
import { ContextKeys, CommandIds, TASK_TYPE } from './constants';
import { Ctx, type LastSquash, type VerifyHook } from './ctx';
import { ReviewDocuments } from './documents/review';
import { Log } from './log';
import { ProjectStore } from './state/projects';
import { snapshotOf, type ProjectSnapshot } from './state/snapshot';
import type { TreeSnapshotNode } from './views/revisionModel';
import { RevisionsProvider, createRevisionsView } from './views/revisionsView';
import { verifyAppliedSquash } from './commands/verify';
import { VerifyTaskProvider } from './verify/task';
import type { VerifyOutcome, VerifyRecord } from './verify/results';
import { SchemaDifferencesProvider, createSchemaDifferencesView, type DifferenceSnapshotNode } from './views/schemaDifferences';
import { HeadStatus } from './views/statusBar';
import { registerGraph } from './graph';
import { GraphPanel } from './graph/panel';
import { registerDatabases } from './databases';
import type { DatabasesProvider } from './databases/view';
import { ReviewPanel } from './review/panel';
import { openCreatedMerges } from './documents/createdMerge';

/** The API returned from activate(); tests await `ready` and events instead of sleeping. */
export interface AlembicSquashApi {
  /** Resolves when the first discovery of projects has finished. */
  readonly ready: Promise<void>;
  projects(): ProjectSnapshot[];
  /** What the Revisions view shows, as plain data. */
  revisionTree(): TreeSnapshotNode[];
  /** Fires after a project's graph changed (file edits, creations, deletions, rediscovery). */
  readonly onDidChangeGraph: vscode.Event<void>;
  readonly onDidSquash: vscode.Event<LastSquash>;
  readonly lastSquash: LastSquash | undefined;
  readonly languageClient: LanguageClient | undefined;
  /** "Verify Now" after a squash calls this hook (set by activate(); tests may replace it). */
  setVerifyHook(hook: VerifyHook | undefined): void;
  /** For features built on top (verify, schema documents). */
  readonly ctx: Ctx;
  /** The latest verify with a result (equal or different). */
  readonly lastVerify: VerifyRecord | undefined;
  /** Fires when any verify ends (command, task, Verify Now), whatever its status. */
  readonly onDidFinishVerify: vscode.Event<VerifyOutcome>;
  /** What the Schema Differences view shows, as plain data. */
  schemaDifferences(): DifferenceSnapshotNode[];
  /** The squash review screen: the one open, and an event when one is shown. */
  readonly review: { readonly open: ReviewPanel | undefined; readonly onDidShow: vscode.Event<ReviewPanel> };
  /** Milliseconds spent in activate() itself (module loading excluded). */
  readonly activationMs: number;
  /** The Alembic: Graph panel when open. */
  readonly graphPanel: GraphPanel | undefined;
  /** The Databases view's data. */
  readonly databases: DatabasesProvider;
}

export function activate(context: vscode.ExtensionContext): AlembicSquashApi {
  const started = performance.now();
  const log = new Log();
  const config = new Config();
  const store = new ProjectStore(log);
  const reviews = new ReviewDocuments();
  const revisions = new RevisionsProvider(store);
  const view = createRevisionsView(revisions);
  const server = new ServerConnection(context, log);
  const ctx = new Ctx(context, log, config, store, reviews, revisions, view);
  // While a squash is being written the graph passes through states that are not the user's.
  const status = new HeadStatus(store, () => ctx.applying);
  context.subscriptions.push(ctx.onDidChangeApplying((on) => on || status.update()), openCreatedMerges(ctx));
  const graphChanged = new vscode.EventEmitter<void>();
  const differences = new SchemaDifferencesProvider(ctx.verifications);
  const differencesView = createSchemaDifferencesView(differences);
  ctx.verifyHook = verifyAppliedSquash(ctx);
  const graph = registerGraph(ctx);
  const databases = registerDatabases(ctx);
  context.subscriptions.push(
    log, config, store, reviews, revisions, view, status, server, graphChanged, differences, differencesView,
    ...registerCommands(ctx),
    watchInterrupted(ctx),
    vscode.tasks.registerTaskProvider(TASK_TYPE, new VerifyTaskProvider(ctx)),
    ...graph.disposables,
    ...databases.disposables,
  );

  // Graph updates come in bursts (a squash deletes and creates many files): one redraw per burst.
  let redraw: NodeJS.Timeout | undefined;
  context.subscriptions.push(
    store.onDidChange(() => {
      if (redraw) clearTimeout(redraw);
      redraw = setTimeout(() => {
        redraw = undefined;
        revisions.rebuild();
        status.update();
        graphChanged.fire();
        if (view.visible) void revealActive();
      }, 50);
    }),
    { dispose: () => redraw && clearTimeout(redraw) },
  );

  const revealActive = () => vscode.commands.executeCommand(CommandIds.revealRevision);
  context.subscriptions.push(
    vscode.window.onDidChangeActiveTextEditor(() => {
      if (view.visible) void revealActive();
    }),
  );
  void vscode.commands.executeCommand('setContext', ContextKeys.trusted, vscode.workspace.isTrusted);
  context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => void vscode.commands.executeCommand('setContext', ContextKeys.trusted, true)));

  // Discovery and the language server start after activate() has returned.
  const ready = new Promise<void>((resolve) => setImmediate(resolve))
    .then(() => store.refresh())
    .then(() => {
      void server.start();
    });
  const activationMs = performance.now() - started;
  log.info(`activated in ${activationMs.toFixed(1)} ms`);

  return {
    ready,
    projects: () => store.all.map((s) => snapshotOf(s.scripts)),
    revisionTree: () => revisions.snapshot(),
    onDidChangeGraph: graphChanged.event,
    onDidSquash: ctx.onDidSquash,
    get lastSquash() {
      return ctx.lastSquash;
    },
    get languageClient() {
      return server.client;
    },
    setVerifyHook: (hook) => {
      ctx.verifyHook = hook;
    },
    ctx,
    get lastVerify() {
      return ctx.verifications.last;
    },
    onDidFinishVerify: ctx.verifications.onDidFinish,
    schemaDifferences: () => differences.snapshot(),
    review: {
      get open() {
        return ReviewPanel.open;
      },
      onDidShow: ReviewPanel.onDidShow,
    },
    activationMs,
    get graphPanel() {
      return GraphPanel.current;
    },
    databases: databases.provider,
  };
}

export function deactivate(): void {}
