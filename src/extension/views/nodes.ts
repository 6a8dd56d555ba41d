import * as path from 'node:path';
import * as vscode from 'vscode';
import { CommandIds } from '../constants';
import { classificationCounts } from './classification';
import type { ProjectState } from '../state/projects';
import { revisionLabel, shortId, type RevisionKind, type RevisionLink, type RevisionModel } from './revisionModel';

/** A node of the Revisions view; each kind renders itself, the provider only delegates. */
export interface TreeNode {
  readonly parent?: TreeNode;
  toTreeItem(): vscode.TreeItem;
  children(): TreeNode[];
  /** Expensive tooltip parts, filled when the user hovers (resolveTreeItem). */
  resolve?(item: vscode.TreeItem, token: vscode.CancellationToken): Promise<vscode.TreeItem>;
}

const ICONS: Record<RevisionKind, string> = {
  head: 'arrow-circle-up',
  base: 'circle-large-outline',
  mergepoint: 'git-merge',
  branchpoint: 'repo-forked',
  revision: 'git-commit',
};

/** A project's root, shown only when the workspace holds several projects. */
export class ProjectNode implements TreeNode {
  revisionNodes: RevisionNode[] = [];
  constructor(readonly state: ProjectState) {}

  toTreeItem(): vscode.TreeItem {
    const { project, scripts } = this.state;
    const item = new vscode.TreeItem(project.name || path.basename(project.here), vscode.TreeItemCollapsibleState.Expanded);
    const heads = scripts.map.heads;
    item.id = `project:${this.state.key}`;
    item.description = heads.length === 1 ? `head ${shortId(heads[0]!, scripts.map)}` : `${heads.length} heads`;
    item.tooltip = project.configPath ?? project.here;
    item.iconPath = new vscode.ThemeIcon(heads.length > 1 ? 'warning' : 'database');
    item.contextValue = heads.length > 1 ? 'project:multipleheads' : 'project';
    if (project.configPath) item.resourceUri = vscode.Uri.file(project.configPath);
    return item;
  }

  children(): TreeNode[] {
    return this.revisionNodes;
  }
}

export class RevisionNode implements TreeNode {
  constructor(
    readonly state: ProjectState,
    readonly model: RevisionModel,
    readonly parent?: ProjectNode,
  ) {}

  get revision(): string {
    return this.model.revision;
  }

  toTreeItem(): vscode.TreeItem {
    const m = this.model;
    const item = new vscode.TreeItem(
      revisionLabel(m),
      m.links.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
    );
    item.id = `revision:${this.state.key}:${m.revision}`;
    item.description = m.description;
    item.contextValue = m.contextValue;
    const worst = m.problems.some((p) => p.severity === 'error') ? 'error' : m.problems.some((p) => p.severity === 'warning') ? 'warning' : undefined;
    item.iconPath = worst
      ? new vscode.ThemeIcon(worst, new vscode.ThemeColor(worst === 'error' ? 'problemsErrorIcon.foreground' : 'problemsWarningIcon.foreground'))
      : new vscode.ThemeIcon(ICONS[m.kind]);
    if (m.path) {
      item.resourceUri = vscode.Uri.file(m.path);
      item.command = { command: CommandIds.openRevision, title: 'Open Revision', arguments: [this] };
    }
    return item;
  }

  children(): TreeNode[] {
    return this.model.links.map((l) => new LinkNode(this, l));
  }

  async resolve(item: vscode.TreeItem, token: vscode.CancellationToken): Promise<vscode.TreeItem> {
    const m = this.model;
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**${escape(m.message || m.revision)}**\n\n`);
    md.appendMarkdown(`\`${m.revision}\`${m.date ? ` · ${m.date}` : ''} · ${m.kind === 'revision' ? 'revision' : m.facets.filter((f) => f !== 'problem').join(', ')}\n\n`);
    if (m.path) md.appendMarkdown(`File: ${code(path.basename(m.path))}\n\n`);
    const list = (ids: string[]) => (ids.length ? ids.map((id) => `\`${id}\``).join(', ') : '—');
    md.appendMarkdown(`Parents: ${list(m.parents)}  \nChildren: ${list(m.children)}\n\n`);
    if (m.dependencies.length) md.appendMarkdown(`Depends on: ${list(m.dependencies)}\n\n`);
    if (m.dependents.length) md.appendMarkdown(`Needed by (depends_on): ${list(m.dependents)}\n\n`);
    if (m.branchLabels.length) md.appendMarkdown(`Branch labels: ${m.branchLabels.map(code).join(', ')}\n\n`);
    const counts = await classificationCounts(this.state, m.revision).catch(() => undefined);
    if (token.isCancellationRequested) return item;
    if (counts) md.appendMarkdown(`Operations: ${counts}\n\n`);
    for (const p of m.problems) md.appendMarkdown(`$(${p.severity === 'info' ? 'info' : p.severity}) ${escape(p.message)} (line ${p.line + 1})\n\n`);
    item.tooltip = md;
    return item;
  }
}

/** "merges a1b2…, c3d4…" / "depends on …" under a revision; clicking reveals the first one. */
export class LinkNode implements TreeNode {
  constructor(
    readonly parent: RevisionNode,
    readonly link: RevisionLink,
  ) {}

  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.link.label, vscode.TreeItemCollapsibleState.None);
    item.id = `revision:${this.parent.state.key}:${this.parent.revision}:${this.link.kind}`;
    item.iconPath = new vscode.ThemeIcon(this.link.kind === 'merges' ? 'git-pull-request' : 'references');
    item.contextValue = `link:${this.link.kind}`;
    item.tooltip = this.link.revisions.join('\n');
    item.command = {
      command: CommandIds.revealRevision,
      title: 'Reveal Revision',
      arguments: [{ configPath: this.parent.state.key, revision: this.link.revisions[0] }],
    };
    return item;
  }

  children(): TreeNode[] {
    return [];
  }
}

/** A Markdown code span: backslash escapes are literal inside one, so use a fence longer than any backtick run. */
function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${text.startsWith('`') || text.endsWith('`') ? ` ${text} ` : text}${fence}`;
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
