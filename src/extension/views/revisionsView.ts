import * as vscode from 'vscode';
import type { RevisionBadges } from '../../core/layout/badges';
import { ViewIds } from '../constants';
import type { ProjectState, ProjectStore } from '../state/projects';
import { LinkNode, ProjectNode, RevisionNode, type TreeNode } from './nodes';
import { buildRevisionModels, revisionSnapshotNodes, type TreeSnapshotNode } from './revisionModel';

/** The Revisions view's data: nodes are rebuilt per project when its graph changes; the provider delegates to them. */
export class RevisionsProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: TreeNode[] = [];
  /** Waiters for the workbench's next request of the root nodes (see reveal). */
  private readonly rootRequests: (() => void)[] = [];
  private readonly byProject = new Map<string, { project?: ProjectNode; revisions: Map<string, RevisionNode> }>();
  /** Data-operation badges known so far (set by the graph feature; computed in the background). */
  badgesOf: ((state: ProjectState) => ReadonlyMap<string, RevisionBadges>) | undefined;

  constructor(private readonly store: ProjectStore) {
    this.rebuild();
  }

  /** Recomputes the nodes from the current graphs (cheap: header data only) and refreshes the view. */
  rebuild(): void {
    const states = this.store.all;
    const several = states.length > 1;
    this.byProject.clear();
    this.roots = [];
    for (const state of states) {
      const project = several ? new ProjectNode(state) : undefined;
      const models = buildRevisionModels(state.scripts.map, state.scripts.problems(), this.badgesOf?.(state));
      const nodes = models.map((m) => new RevisionNode(state, m, project));
      if (project) {
        project.revisionNodes = nodes;
        this.roots.push(project);
      } else this.roots.push(...nodes);
      this.byProject.set(state.key, { project, revisions: new Map(nodes.map((n) => [n.revision, n])) });
    }
    this.changed.fire(undefined);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node.toTreeItem();
  }

  getChildren(node?: TreeNode): TreeNode[] {
    if (!node) {
      for (const resolve of this.rootRequests.splice(0)) resolve();
    }
    return node ? node.children() : this.roots;
  }

  /**
   * Reveals a node. Right after the view opens, or while it reloads after a graph change, the
   * workbench has not asked for the nodes yet and answers "Data tree node not found": wait until it
   * asks for the roots (at most a second), then try again.
   */
  async reveal(view: vscode.TreeView<TreeNode>, node: TreeNode): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await view.reveal(node, { select: true, focus: false, expand: false });
        return;
      } catch (err) {
        if (attempt >= 3) throw err;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 1000);
          this.rootRequests.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    }
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.parent;
  }

  resolveTreeItem(item: vscode.TreeItem, node: TreeNode, token: vscode.CancellationToken): vscode.ProviderResult<vscode.TreeItem> {
    return node.resolve ? node.resolve(item, token) : item;
  }

  nodeOf(state: ProjectState, revision: string): RevisionNode | undefined {
    return this.byProject.get(state.key)?.revisions.get(revision);
  }

  /** What the view shows, as plain data (the API's revisionTree()). */
  snapshot(): TreeSnapshotNode[] {
    const states = this.store.all;
    const projectTree = (state: ProjectState) => revisionSnapshotNodes(buildRevisionModels(state.scripts.map, state.scripts.problems(), this.badgesOf?.(state)));
    if (states.length === 1) return projectTree(states[0]!);
    return states.map((s) => {
      const item = new ProjectNode(s).toTreeItem();
      return { label: String(item.label), description: String(item.description ?? ''), contextValue: item.contextValue ?? 'project', children: projectTree(s) };
    });
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export function createRevisionsView(provider: RevisionsProvider): vscode.TreeView<TreeNode> {
  return vscode.window.createTreeView(ViewIds.revisions, { treeDataProvider: provider, canSelectMany: true, showCollapseAll: true });
}

/** The revision nodes among a selection (links and project roots are ignored). */
export function selectedRevisions(nodes: readonly TreeNode[]): RevisionNode[] {
  return nodes.filter((n): n is RevisionNode => n instanceof RevisionNode);
}

export { LinkNode, ProjectNode, RevisionNode, type TreeNode };
