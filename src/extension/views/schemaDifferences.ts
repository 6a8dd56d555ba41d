import * as vscode from 'vscode';
import { OBJECT_KINDS, type ObjectDifference, type ObjectKind, type TableDataDifference } from '../../core/schema';
import { CommandIds, ViewIds } from '../constants';
import { changeWords } from '../verify/diagnostics';
import { differenceCount, seconds } from '../verify/format';
import { chainSquashTitle } from '../verify/present';
import type { Verifications, VerifyRecord } from '../verify/results';
import { informationOf, type InformationItem } from '../verify/information';

/** What the Schema Differences view shows, as plain data (the API's schemaDifferences()). */
export interface DifferenceSnapshotNode {
  label: string;
  description?: string;
  tooltip?: string;
  children?: DifferenceSnapshotNode[];
}

const KIND_ICONS: Record<ObjectKind, string> = {
  extension: 'extensions',
  schema: 'symbol-namespace',
  type: 'symbol-enum',
  sequence: 'symbol-number',
  table: 'table',
  column: 'symbol-field',
  constraint: 'key',
  index: 'list-tree',
  view: 'eye',
  'materialized view': 'layers',
  function: 'symbol-method',
  trigger: 'zap',
  policy: 'shield',
  rule: 'law',
  comment: 'comment',
  other: 'symbol-misc',
};

const CHANGE_COLORS: Record<ObjectDifference['change'], string> = {
  added: 'gitDecoration.addedResourceForeground',
  removed: 'gitDecoration.deletedResourceForeground',
  changed: 'gitDecoration.modifiedResourceForeground',
};

const SHORT_CHANGE: Record<ObjectDifference['change'], string> = { added: 'only in squash', removed: 'only in chain', changed: 'changed' };

interface Node {
  item(): vscode.TreeItem;
  children(): Node[];
}

class SummaryNode implements Node {
  constructor(private readonly record: VerifyRecord) {}
  item(): vscode.TreeItem {
    const r = this.record.result;
    const n = differenceCount(r);
    const item = new vscode.TreeItem(r.equal ? 'Equal' : `${n} difference${n === 1 ? '' : 's'}`, vscode.TreeItemCollapsibleState.None);
    item.description = this.record.title;
    item.iconPath = new vscode.ThemeIcon(r.equal ? 'pass' : 'error', new vscode.ThemeColor(r.equal ? 'testing.iconPassed' : 'problemsErrorIcon.foreground'));
    item.tooltip = [
      r.equal ? 'The squash gives the same schema and seed data as the chain.' : 'The squash does not give the same database as the chain.',
      r.downgrade ? `Downgrade to ${r.downgrade.target}: ${r.downgrade.schema.equal ? 'same schema as the chain there' : `${r.downgrade.schema.differences.length} difference(s)`}` : `Downgrade not checked${this.record.downgradeSkipped ? `: ${this.record.downgradeSkipped}` : ''}`,
      `On ${r.provider.description} (${r.provider.reason}), ${seconds(r.totalMs)}`,
      ...(r.provider.versionNote ? [r.provider.versionNote] : []),
    ].join('\n');
    item.command = { command: CommandIds.showSchemaDiff, title: chainSquashTitle(this.record), arguments: [] };
    item.contextValue = 'verify:summary';
    return item;
  }
  children(): Node[] {
    return [];
  }
}

class GroupNode implements Node {
  constructor(
    private readonly label: string,
    private readonly icon: string,
    private readonly members: Node[],
    private readonly id: string,
  ) {}
  item(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.id;
    item.description = String(this.members.length);
    item.iconPath = new vscode.ThemeIcon(this.icon);
    item.contextValue = 'verify:group';
    return item;
  }
  children(): Node[] {
    return this.members;
  }
}

class DifferenceNode implements Node {
  constructor(
    private readonly d: ObjectDifference,
    private readonly id: string,
  ) {}
  item(): vscode.TreeItem {
    const d = this.d;
    const item = new vscode.TreeItem(d.name, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = SHORT_CHANGE[d.change];
    item.tooltip = `${d.kind} ${d.name} ${changeWords(d.change)}${d.detail ? `\n${d.detail}` : ''}`;
    item.iconPath = new vscode.ThemeIcon(KIND_ICONS[d.kind] ?? 'symbol-misc', new vscode.ThemeColor(CHANGE_COLORS[d.change]));
    item.command = { command: CommandIds.openSchemaDifference, title: 'Open Difference', arguments: [d] };
    item.contextValue = `verify:difference:${d.change}`;
    return item;
  }
  children(): Node[] {
    return [];
  }
}

class DataNode implements Node {
  constructor(
    private readonly d: TableDataDifference,
    private readonly id: string,
  ) {}
  item(): vscode.TreeItem {
    const d = this.d;
    const item = new vscode.TreeItem(d.table, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = `chain ${d.leftCount} rows, squash ${d.rightCount}`;
    const rows = (title: string, examples: TableDataDifference['missing']) =>
      examples.count ? [`${title} (${examples.count}):`, ...examples.examples.map((e) => `  ${JSON.stringify(e)}`)] : [];
    item.tooltip = [d.detail, ...rows('Rows missing in the squash', d.missing), ...rows('Rows only in the squash', d.extra)].join('\n');
    item.iconPath = new vscode.ThemeIcon('database', new vscode.ThemeColor(CHANGE_COLORS[d.change]));
    item.command = { command: CommandIds.openSchemaDifference, title: 'Show Rows Side by Side', arguments: [d] };
    item.contextValue = 'verify:data';
    return item;
  }
  children(): Node[] {
    return [];
  }
}

/** Something the verify found that is not the squash's fault (e.g. about the history itself). */
class InformationNode implements Node {
  constructor(
    private readonly info: InformationItem,
    private readonly id: string,
  ) {}
  item(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.info.label, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = this.info.detail;
    item.tooltip = `${this.info.label}: ${this.info.detail}\n(information, not a difference between the chain and the squash)`;
    item.iconPath = new vscode.ThemeIcon('info', new vscode.ThemeColor('problemsInfoIcon.foreground'));
    item.contextValue = 'verify:information';
    return item;
  }
  children(): Node[] {
    return [];
  }
}

/** The nodes for one verify: a summary, then differing objects grouped by kind, seed data, the downgrade. */
export function differenceNodes(record: VerifyRecord): Node[] {
  const r = record.result;
  const nodes: Node[] = [new SummaryNode(record)];
  const byKind = (diffs: ObjectDifference[], prefix: string) =>
    OBJECT_KINDS.flatMap((kind) => {
      const members = diffs.filter((d) => d.kind === kind);
      if (!members.length) return [];
      return [new GroupNode(kind, KIND_ICONS[kind], members.map((d, i) => new DifferenceNode(d, `${prefix}:${kind}:${i}:${d.name}`)), `${prefix}:${kind}`)];
    });
  nodes.push(...byKind(r.schema.differences, `${record.id}:tip`));
  if (r.data.differences.length) {
    nodes.push(new GroupNode('seed data', 'database', r.data.differences.map((d, i) => new DataNode(d, `${record.id}:data:${i}`)), `${record.id}:data`));
  }
  if (r.downgrade && !r.downgrade.schema.equal) {
    const prefix = `${record.id}:downgrade`;
    const inner = r.downgrade.schema.differences.map((d, i) => new DifferenceNode(d, `${prefix}:${i}:${d.name}`));
    nodes.push(new GroupNode(`after downgrade to ${r.downgrade.target}`, 'history', inner, prefix));
  }
  const info = informationOf(record);
  if (info.length) {
    const prefix = `${record.id}:information`;
    nodes.push(new GroupNode('information (not differences)', 'info', info.map((i, n) => new InformationNode(i, `${prefix}:${n}`)), prefix));
  }
  return nodes;
}

/** The Schema Differences view: empty (viewsWelcome) until a verify publishes a result. */
export class SchemaDifferencesProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: Node[] = [];
  private readonly subscription: vscode.Disposable;

  constructor(verifications: Verifications) {
    this.subscription = verifications.onDidChange((record) => {
      this.roots = record ? differenceNodes(record) : [];
      this.changed.fire(undefined);
    });
  }

  getTreeItem(node: Node): vscode.TreeItem {
    return node.item();
  }

  getChildren(node?: Node): Node[] {
    return node ? node.children() : this.roots;
  }

  snapshot(): DifferenceSnapshotNode[] {
    const walk = (n: Node): DifferenceSnapshotNode => {
      const item = n.item();
      const children = n.children();
      return {
        label: typeof item.label === 'string' ? item.label : (item.label?.label ?? ''),
        ...(item.description !== undefined ? { description: String(item.description) } : {}),
        ...(typeof item.tooltip === 'string' ? { tooltip: item.tooltip } : {}),
        ...(children.length ? { children: children.map(walk) } : {}),
      };
    };
    return this.roots.map(walk);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

export function createSchemaDifferencesView(provider: SchemaDifferencesProvider): vscode.TreeView<unknown> {
  return vscode.window.createTreeView(ViewIds.schemaDifferences, { treeDataProvider: provider as vscode.TreeDataProvider<unknown>, showCollapseAll: true });
}
