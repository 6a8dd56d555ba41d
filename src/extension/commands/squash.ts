import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { rangeForSelection } from '../squash/candidates';
import { ReviewPanel } from '../review/panel';
import { saveFirst, showStampPlan, squash, undoAndSay, type SquashOutcome } from '../squash/flow';
import { RevisionNode, selectedRevisions, type TreeNode } from '../views/revisionsView';
import type { Cmd } from './types';
import { pickFrom, pickProject, pickTip } from './pick';

/** Arguments scripts and tests pass to skip the pickers. */
export interface SquashRangeArgs {
  configPath?: string;
  from?: string;
  to?: string;
  message?: string;
  revisionId?: string;
  interactive?: boolean;
}

/** Squash Revisions…: a project, the tip, then the first revision (pickers for what is not given). */
export function squashRange(ctx: Ctx): Cmd {
  return (args?: SquashRangeArgs) => pickAndSquash(ctx, args);
}

async function pickAndSquash(ctx: Ctx, args?: SquashRangeArgs): Promise<SquashOutcome | undefined> {
  if (!(await unsavedChecked(ctx, args))) return undefined;
  const state = await pickProject(ctx, args?.configPath);
  if (!state) return undefined;
  const to = args?.to ?? (await pickTip(state));
  if (!to) return undefined;
  const from = args?.from ?? (await pickFrom(state, to));
  if (!from) return undefined;
  return squash(ctx, state, { ...args, from, to });
}

/** Squash Selected Revisions: the tree's multi-selection, which must be one convex range. */
export function squashSelected(ctx: Ctx): Cmd {
  return async (node?: TreeNode, nodes?: TreeNode[]): Promise<SquashOutcome | undefined> => {
    const chosen = selectedRevisions(nodes?.length ? nodes : node ? [node] : ctx.view.selection);
    if (chosen.length === 0) {
      void vscode.window.showInformationMessage('Select the revisions to squash in the Revisions view (Ctrl/Cmd-click or Shift-click for several).');
      return undefined;
    }
    const state = chosen[0]!.state;
    if (!(await saveFirst(ctx, [state]))) return undefined;
    if (chosen.some((n) => n.state !== state)) {
      await vscode.window.showErrorMessage('Cannot squash revisions of different projects together.', { modal: true });
      return { status: 'refused', reasons: ['The selection spans several projects'] };
    }
    const range = rangeForSelection(state.scripts.map, chosen.map((n) => n.revision));
    if (!range.ok) {
      ctx.log.warn(`selection not squashable:\n${range.reasons.map((r) => `  - ${r}`).join('\n')}`);
      await vscode.window.showErrorMessage(`Cannot squash the ${chosen.length} selected revisions`, {
        modal: true,
        detail: range.reasons.map((r) => `• ${r}`).join('\n\n'),
      });
      return { status: 'refused', reasons: range.reasons };
    }
    return squash(ctx, state, { from: range.from, to: range.to });
  };
}

/** What the language server's code lens passes (src/server/lens.ts). */
export interface UpToHereArgs {
  /** Undefined for a bare versions folder. */
  configPath?: string;
  /** The project folder (the config's `%(here)s`). */
  here?: string;
  revision: string;
  interactive?: boolean;
}

/** Squash Up to Here: base..that revision, from a tree node or the code lens. */
export function squashUpToHere(ctx: Ctx): Cmd {
  return async (arg?: RevisionNode | UpToHereArgs): Promise<SquashOutcome | undefined> => {
    if (arg instanceof RevisionNode) {
      if (!(await saveFirst(ctx, [arg.state]))) return undefined;
      return squash(ctx, arg.state, { from: 'base', to: arg.revision });
    }
    if (arg?.revision) {
      await ctx.store.ready;
      const where = arg.configPath ?? arg.here;
      const state = where ? ctx.store.find(where) : ctx.store.all.find((s) => s.scripts.map.has(arg.revision));
      if (!state) throw new Error(`No Alembic project for revision ${arg.revision}`);
      if (arg.interactive !== false && !(await saveFirst(ctx, [state]))) return undefined;
      return squash(ctx, state, { from: 'base', to: arg.revision, interactive: arg.interactive });
    }
    return pickAndSquash(ctx, { from: 'base' });
  };
}

/** Squash Migrations… on a version location in the explorer. */
export function squashFolder(ctx: Ctx): Cmd {
  return async (uri?: vscode.Uri, args?: Omit<SquashRangeArgs, 'configPath'>): Promise<SquashOutcome | undefined> => {
    if (!uri) return pickAndSquash(ctx, args);
    await ctx.store.ready;
    const state = ctx.store.find(uri.fsPath);
    if (!state) throw new Error(`${uri.fsPath} is not a version location of an Alembic project in this workspace`);
    return pickAndSquash(ctx, { ...args, configPath: state.key });
  };
}

/** Review Squash: back to the review screen while it is open, else the last squash's diff. */
export function reviewSquash(ctx: Ctx): Cmd {
  return async () => {
    const open = ReviewPanel.open;
    if (open) return void open.panel.reveal();
    if (!ctx.lastSquash) return void vscode.window.showInformationMessage('No squash to review yet: run Squash Revisions… first.');
    await ctx.reviews.open(ctx.lastSquash.review);
  };
}

/** Unsaved migration files are named before any picker (scripted runs refuse at the write instead). */
function unsavedChecked(ctx: Ctx, args?: SquashRangeArgs): Promise<boolean> {
  if (args?.interactive === false) return Promise.resolve(true);
  const state = args?.configPath ? ctx.store.find(args.configPath) : undefined;
  return saveFirst(ctx, state ? [state] : ctx.store.all);
}

export function showStampPlanCommand(ctx: Ctx): Cmd {
  return async () => {
    if (!ctx.lastSquash) return void vscode.window.showInformationMessage('No squash yet: the stamp plan comes with a squash.');
    await showStampPlan(ctx, ctx.lastSquash);
  };
}

export function undoLastSquash(ctx: Ctx): Cmd {
  return async (args?: { interactive?: boolean }) => {
    if (!ctx.lastSquash?.applied) {
      if (args?.interactive !== false) void vscode.window.showInformationMessage('There is no applied squash to undo.');
      return { undone: false };
    }
    return undoAndSay(ctx, ctx.lastSquash, args?.interactive !== false);
  };
}
