import * as vscode from 'vscode';
import { maskUrl } from '../../core/common/mask';
import { appliedSquashes, DatabaseUnreachableError, needWords, placeDatabase, readVersionRows, rowWords, type DatabasePlacement } from '../../core/databases';
import { shortIdIn } from '../../core/layout';
import type { Ctx } from '../ctx';
import { textOf } from '../graph/badges';
import type { ProjectState } from '../state/projects';
import type { Connections, DatabaseConnection } from './connections';

export const DATABASES_VIEW = 'alembicSquash.databases';
export const HAS_DATABASES = 'alembicSquash.hasDatabases';

/** What one connection shows after its last read. */
export interface DatabaseStatus {
  connection: DatabaseConnection;
  state?: ProjectState;
  placement?: DatabasePlacement;
  /** Why it could not be read (password masked). */
  reason?: string;
  reading: boolean;
}

export class DatabaseNode {
  constructor(readonly status: DatabaseStatus) {}
}
class DetailNode {
  constructor(readonly label: string, readonly description: string | undefined, readonly icon: string, readonly tooltip?: string) {}
}
type Node = DatabaseNode | DetailNode;

/**
 * The Databases view: each connection with its alembic_version rows (read-only), where they sit
 * on the graph and what the database needs. Reads happen on demand (Refresh), never on a timer.
 */
export class DatabasesProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private statuses: DatabaseStatus[] = [];
  private readonly finished = new vscode.EventEmitter<DatabaseStatus[]>();
  /** Fires after a refresh has read every connection (tests await it). */
  readonly onDidRefresh = this.finished.event;

  constructor(
    private readonly ctx: Ctx,
    private readonly connections: Connections,
  ) {}

  get all(): readonly DatabaseStatus[] {
    return this.statuses;
  }

  projectFor(c: DatabaseConnection): ProjectState | undefined {
    return (c.project ? this.ctx.store.find(c.project) : undefined) ?? this.ctx.store.all[0];
  }

  /** Reads every connection (or one) again. */
  async refresh(only?: string): Promise<DatabaseStatus[]> {
    await this.ctx.store.ready;
    const list = await this.connections.list();
    void vscode.commands.executeCommand('setContext', HAS_DATABASES, list.length > 0);
    const previous = new Map(this.statuses.map((s) => [s.connection.id, s]));
    this.statuses = list.map((connection) => ({ ...previous.get(connection.id), connection, reading: !only || only === connection.id }));
    this.changed.fire(undefined);
    await Promise.all(this.statuses.filter((s) => s.reading).map((s) => this.read(s)));
    this.changed.fire(undefined);
    this.finished.fire(this.statuses);
    return this.statuses;
  }

  private async read(status: DatabaseStatus): Promise<void> {
    const state = this.projectFor(status.connection);
    status.state = state;
    try {
      const rows = await readVersionRows(status.connection.url);
      if (!state) throw new DatabaseUnreachableError('no Alembic project in this workspace to place it on');
      const pending = this.ctx.lastSquash && !this.ctx.lastSquash.applied && this.ctx.lastSquash.configPath === (state.project.configPath ?? state.project.here) ? this.ctx.lastSquash.plan : undefined;
      status.placement = placeDatabase({ map: state.scripts.map, ...rows, pending, applied: appliedSquashes(state.scripts, (f) => textOf(f.path)) });
      status.reason = undefined;
    } catch (e) {
      status.placement = undefined;
      status.reason = e instanceof DatabaseUnreachableError ? e.reason : maskUrl(String((e as Error).message));
      this.ctx.log.warn(`database ${status.connection.name}: ${status.reason}`);
    } finally {
      status.reading = false;
    }
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node instanceof DetailNode) {
      const item = new vscode.TreeItem(node.label);
      item.description = node.description;
      item.iconPath = new vscode.ThemeIcon(node.icon);
      item.tooltip = node.tooltip;
      return item;
    }
    const s = node.status;
    const item = new vscode.TreeItem(s.connection.name, vscode.TreeItemCollapsibleState.Expanded);
    item.id = `database:${s.connection.id}`;
    item.description = summary(s);
    const need = s.placement?.need.kind;
    item.iconPath = new vscode.ThemeIcon(
      s.reading ? 'loading~spin' : s.reason ? 'error' : need === 'nothing' ? 'database' : 'warning',
      s.reason ? new vscode.ThemeColor('problemsErrorIcon.foreground') : need && need !== 'nothing' ? new vscode.ThemeColor('problemsWarningIcon.foreground') : undefined,
    );
    item.contextValue = `database${need === 'stamp' ? ':stamp' : ''}`;
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**${escape(s.connection.name)}**  \n`);
    md.appendCodeblock(maskUrl(s.connection.url), 'text');
    if (s.reason) md.appendMarkdown(`Unreachable: ${escape(s.reason)}`);
    if (s.placement) for (const step of s.placement.steps) md.appendMarkdown(`- ${escape(step)}\n`);
    item.tooltip = md;
    return item;
  }

  getChildren(node?: Node): Node[] {
    if (!node) return this.statuses.map((s) => new DatabaseNode(s));
    if (node instanceof DetailNode) return [];
    const s = node.status;
    if (s.reason) return [new DetailNode('unreachable', s.reason, 'debug-disconnect', s.reason)];
    if (!s.placement) return [];
    const short = (id: string) => (s.state?.scripts.map.has(id) ? shortIdIn(s.state.scripts.map, id) : id);
    const rows = s.placement.rows.map((r) => new DetailNode(r.version, rowWords(r, short), 'symbol-key', `alembic_version row ${r.version}`));
    if (!s.placement.rows.length) rows.push(new DetailNode(s.placement.tableExists ? 'alembic_version is empty' : 'no alembic_version table', undefined, 'circle-slash'));
    return [...rows, new DetailNode('needs', needWords(s.placement), s.placement.need.kind === 'nothing' ? 'check' : 'arrow-right')];
  }

  /** Plain data of what the view shows (the extension API; tests read it). */
  snapshot(): { name: string; description: string; children: { label: string; description?: string }[] }[] {
    return this.statuses.map((s) => ({
      name: s.connection.name,
      description: summary(s),
      children: this.getChildren(new DatabaseNode(s)).map((c) => ({ label: (c as DetailNode).label, description: (c as DetailNode).description })),
    }));
  }

  dispose(): void {
    this.changed.dispose();
    this.finished.dispose();
  }
}

function summary(s: DatabaseStatus): string {
  if (s.reading) return 'reading…';
  if (s.reason) return 'unreachable';
  const p = s.placement;
  if (!p) return '';
  const places = p.rows.map((r) => (r.at === 'behind' ? `behind by ${r.behind}` : r.at === 'replaced' ? 'at a replaced revision' : r.at === 'head' ? 'at head' : 'unknown revision'));
  const where = [...new Set(places)].join(', ') || 'empty';
  const need = p.need;
  const what = need.kind === 'nothing' ? '' : need.kind === 'upgrade' ? (need.beforeSquash ? ' · needs upgrade first' : ' · needs upgrade') : need.kind === 'stamp' ? ' · needs stamp' : ' · cannot tell';
  return where + what;
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
