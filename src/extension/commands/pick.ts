import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { fromCandidates, refusalSummary } from '../squash/candidates';
import type { ProjectState } from '../state/projects';
import { displayOrder, shortDate } from '../views/revisionModel';

/** The project named by `configPath`, the only one, or the one the user picks. */
export async function pickProject(ctx: Ctx, configPath?: string): Promise<ProjectState | undefined> {
  await ctx.store.ready;
  if (configPath) {
    const found = ctx.store.find(configPath);
    if (!found) throw new Error(`No Alembic project at ${configPath}`);
    return found;
  }
  const all = ctx.store.all;
  if (all.length <= 1) {
    if (!all[0]) void vscode.window.showWarningMessage('No Alembic project was found in this workspace (an alembic.ini or a pyproject.toml with [tool.alembic]).');
    return all[0];
  }
  const item = await vscode.window.showQuickPick(
    all.map((s) => ({ label: s.project.name, description: s.project.configPath, state: s })),
    { title: 'Alembic project' },
  );
  return item?.state;
}

/** The command the pickers serve, in their titles. */
export type Purpose = 'Squash Revisions' | 'Verify Squash';

/** The newest revision of the range: heads first, then every revision newest first. */
export async function pickTip(state: ProjectState, purpose: Purpose = 'Squash Revisions'): Promise<string | undefined> {
  const map = state.scripts.map;
  const items = displayOrder(map).map((id) => {
    const r = map.get(id)!;
    return {
      label: `${map.isHead(id) ? '$(arrow-circle-up) ' : ''}${r.message || id}`,
      description: [id, shortDate(r.createDate)].filter(Boolean).join(' · '),
      id,
    };
  });
  const item = await vscode.window.showQuickPick(items, { title: `${purpose}: last revision of the range (the tip)`, matchOnDescription: true });
  return item?.id;
}

/** The first revision of the range, each choice marked squashable or not, with why not. */
export async function pickFrom(state: ProjectState, to: string, purpose: Purpose = 'Squash Revisions'): Promise<string | undefined> {
  const map = state.scripts.map;
  const items = fromCandidates(map, to).map((c) => {
    const r = c.from === 'base' ? undefined : map.get(c.from);
    return {
      label: `${c.check.ok ? '$(pass)' : '$(circle-slash)'} ${c.from === 'base' ? 'base (every revision up to the tip)' : r?.message || c.from}`,
      description: `${c.from === 'base' ? '' : c.from + ' · '}${c.members.length} revision${c.members.length === 1 ? '' : 's'}`,
      detail: c.check.ok ? (c.members.length === 1 ? 'Only the tip: nothing to squash into' : 'Squashable') : `Not squashable: ${refusalSummary(c.check)}`,
      from: c.from,
    };
  });
  const item = await vscode.window.showQuickPick(items, {
    title: `${purpose}: first revision of the range ending at ${to}`,
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return item?.from;
}
