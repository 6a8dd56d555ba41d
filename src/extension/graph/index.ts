import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { BadgeCache } from './badges';
import { GRAPH_VIEW_TYPE, GraphPanel, type GraphWebviewState } from './panel';

export const SHOW_GRAPH = 'alembicSquash.showGraph';

/**
 * The Alembic: Graph panel (command, reload serializer) and the badge cache it shares with the
 * Revisions view (data-operation badges in the tree's descriptions).
 */
export function registerGraph(ctx: Ctx): { badges: BadgeCache; disposables: vscode.Disposable[] } {
  const badges = new BadgeCache();
  ctx.revisions.badgesOf = (state) => badges.of(state);
  const disposables: vscode.Disposable[] = [
    badges,
    vscode.commands.registerCommand(SHOW_GRAPH, async (arg?: { configPath?: string } | { state?: { key: string } }) => {
      await ctx.store.ready;
      const key = arg && 'state' in arg && arg.state ? arg.state.key : arg && 'configPath' in arg && arg.configPath ? ctx.store.find(arg.configPath)?.key : undefined;
      return GraphPanel.createOrShow(ctx, badges, key);
    }),
    vscode.window.registerWebviewPanelSerializer(GRAPH_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel, state: GraphWebviewState | undefined) => {
        await ctx.store.ready;
        GraphPanel.revive(panel, ctx, badges, state);
      },
    }),
    badges.onDidChange(() => ctx.revisions.rebuild()),
    ctx.store.onDidChange(() => void badges.update(ctx.store.all)),
    { dispose: () => GraphPanel.current?.dispose() },
  ];
  void ctx.store.ready.then(() => badges.update(ctx.store.all));
  return { badges, disposables };
}
