import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import type { ProjectState } from '../state/projects';
import type { BadgeCache } from './badges';
import { checkSelection, graphView, selectionBetween, type GraphView, type SelectionCheck } from './model';

export const GRAPH_VIEW_TYPE = 'alembicSquash.graph';

/** What the webview keeps with vscode.setState (restored on reload) and hands back to revive(). */
export interface GraphWebviewState {
  projectKey?: string;
  selection?: string[];
  filter?: string;
  scrollTop?: number;
}

/** Messages from the webview script (media/graph/graph.js). */
export type FromWebview =
  | { type: 'ready' }
  | { type: 'open'; revision: string }
  | { type: 'select'; anchor: string; revision: string; extend: boolean; toggle: boolean; current: string[] }
  | { type: 'recheck'; revisions: string[] }
  | { type: 'squash'; revisions: string[] };

/**
 * The Alembic: Graph panel: one per window, showing one project's graph. It follows the store
 * (file edits, squashes), the active editor (the revision of the file shown is marked) and the
 * badge cache; selections are checked with core's convexity rules.
 */
export class GraphPanel implements vscode.Disposable {
  static current: GraphPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private projectKey: string | undefined;
  private pending: NodeJS.Timeout | undefined;
  /** The last graph and check sent, for tests (the API reads them). */
  lastView: GraphView | undefined;
  lastCheck: SelectionCheck | undefined;
  /** The revision of the active editor, as last marked in the picture. */
  lastActive: string | undefined;
  private readonly posted = new vscode.EventEmitter<{ type: string }>();
  readonly onDidPost = this.posted.event;

  static createOrShow(ctx: Ctx, badges: BadgeCache, projectKey?: string): GraphPanel {
    if (GraphPanel.current) {
      if (projectKey) GraphPanel.current.show(projectKey);
      GraphPanel.current.panel.reveal();
      return GraphPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(GRAPH_VIEW_TYPE, 'Alembic: Graph', vscode.ViewColumn.Active, GraphPanel.options(ctx));
    return (GraphPanel.current = new GraphPanel(panel, ctx, badges, projectKey));
  }

  static revive(panel: vscode.WebviewPanel, ctx: Ctx, badges: BadgeCache, state: GraphWebviewState | undefined): GraphPanel {
    panel.webview.options = GraphPanel.options(ctx);
    GraphPanel.current?.dispose();
    return (GraphPanel.current = new GraphPanel(panel, ctx, badges, state?.projectKey));
  }

  private static options(ctx: Ctx): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(ctx.extension.extensionUri, 'media')] };
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly ctx: Ctx,
    private readonly badges: BadgeCache,
    projectKey: string | undefined,
  ) {
    this.projectKey = projectKey;
    panel.iconPath = vscode.Uri.joinPath(ctx.extension.extensionUri, 'media', 'alembic.svg');
    panel.webview.html = this.html();
    this.disposables.push(
      this.posted,
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: FromWebview) => void this.handle(m).catch((e) => ctx.log.error('graph view', e))),
      ctx.store.onDidChange(() => this.schedule()),
      badges.onDidChange(() => this.schedule()),
      vscode.window.onDidChangeActiveTextEditor(() => this.postActive()),
    );
  }

  /** The project shown: the one asked for, else the active editor's, else the first. */
  private state(): ProjectState | undefined {
    const all = this.ctx.store.all;
    const doc = vscode.window.activeTextEditor?.document;
    return (
      all.find((s) => s.key === this.projectKey) ??
      (doc?.uri.scheme === 'file' ? this.ctx.store.projectOfFile(doc.uri.fsPath) : undefined) ??
      all[0]
    );
  }

  show(projectKey: string): void {
    this.projectKey = projectKey;
    this.postGraph();
  }

  /** Graph updates come in bursts (a squash deletes and creates many files): one redraw per burst. */
  private schedule(): void {
    clearTimeout(this.pending);
    this.pending = setTimeout(() => this.postGraph(), 60);
  }

  private post(message: { type: string } & Record<string, unknown>): void {
    void this.panel.webview.postMessage(message).then(() => this.posted.fire(message));
  }

  postGraph(): void {
    const state = this.state();
    if (!state) {
      this.post({ type: 'empty', text: 'No Alembic project in this workspace.' });
      return;
    }
    this.projectKey = state.key;
    void this.badges.update(this.ctx.store.all);
    this.lastView = graphView(state.project, state.scripts.map, state.scripts.problems(), this.badges.of(state));
    this.panel.title = `Alembic: Graph${this.ctx.store.all.length > 1 ? ` (${state.project.name})` : ''}`;
    this.post({ type: 'graph', projectKey: state.key, view: this.lastView });
    this.postActive();
  }

  private postActive(): void {
    const doc = vscode.window.activeTextEditor?.document;
    const state = this.state();
    if (!doc || doc.uri.scheme !== 'file' || !state) return;
    const revision = state.scripts.file(doc.uri.fsPath)?.migration.revision;
    if (!revision) return;
    this.lastActive = revision;
    this.post({ type: 'active', revision });
  }

  /** Handles one message of the webview (tests call it to act as the user would). */
  async handle(m: FromWebview): Promise<void> {
    const state = this.state();
    switch (m.type) {
      case 'ready':
        this.postGraph();
        return;
      case 'open': {
        const path = state?.scripts.fileOf(m.revision)?.path;
        if (path) await vscode.window.showTextDocument(vscode.Uri.file(path), { preview: true, viewColumn: vscode.ViewColumn.Beside });
        return;
      }
      case 'select': {
        if (!state) return;
        const map = state.scripts.map;
        const order = this.lastView?.rows.map((r) => r.revision) ?? [];
        let revisions: string[];
        if (m.toggle) revisions = m.current.includes(m.revision) ? m.current.filter((r) => r !== m.revision) : [...m.current, m.revision];
        else if (m.extend) revisions = selectionBetween(map, order, m.anchor, m.revision);
        else revisions = [m.revision];
        this.lastCheck = checkSelection(map, revisions.filter((r) => map.has(r)));
        this.post({ type: 'check', check: this.lastCheck });
        return;
      }
      case 'recheck': {
        if (!state) return;
        const map = state.scripts.map;
        this.lastCheck = checkSelection(map, m.revisions.filter((r) => map.has(r)));
        this.post({ type: 'check', check: this.lastCheck });
        return;
      }
      case 'squash': {
        if (!state) return;
        const check = checkSelection(state.scripts.map, m.revisions);
        if (!check.ok) {
          this.post({ type: 'check', check });
          return;
        }
        // The existing squash command entry, with the range: it leads into the review.
        await vscode.commands.executeCommand('alembicSquash.squashRange', { configPath: state.project.configPath ?? state.project.here, from: check.from, to: check.to });
        return;
      }
    }
  }

  private html(): string {
    const webview = this.panel.webview;
    const media = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(this.ctx.extension.extensionUri, 'media', 'graph', file));
    const nonce = randomNonce();
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${webview.cspSource}; style-src ${webview.cspSource}; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${media('graph.css')}">
<title>Alembic: Graph</title>
</head>
<body>
<header class="toolbar">
  <input id="filter" type="search" placeholder="Filter: message, id, file, label" aria-label="Filter revisions">
  <span id="count" class="muted"></span>
  <span id="selection" class="selection"></span>
  <button id="squash" disabled>Squash\u2026</button>
</header>
<div id="reasons" class="reasons" hidden></div>
<div id="scroller" class="scroller" tabindex="0"><div id="sizer" class="sizer"><svg id="lanes" class="lanes"></svg><div id="rows"></div></div></div>
<script nonce="${nonce}" src="${media('graph.js')}"></script>
</body>
</html>`;
  }

  dispose(): void {
    clearTimeout(this.pending);
    if (GraphPanel.current === this) GraphPanel.current = undefined;
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}

function randomNonce(): string {
  return randomBytes(18).toString('base64');
}
