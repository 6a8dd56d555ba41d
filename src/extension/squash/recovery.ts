import * as path from 'node:path';
import * as vscode from 'vscode';
import { interruptedJournals, journalDirOf, recoverJournals, type Interrupted, type Recovery } from '../../core/squash';
import type { Ctx } from '../ctx';
import type { ProjectState } from '../state/projects';

/**
 * A squash or undo killed mid-write (the CLI's, in a terminal) leaves its journal and a versions
 * folder that is partly old, partly new. The extension never plans on that: a squash rolls it back
 * first, as every CLI command does, and after each discovery the user is told and offered the same.
 */
export interface RecoveryOutcome {
  recovered: Recovery[];
  /** Why a journal could not be rolled back (a file was edited since); nothing was touched then. */
  blocked?: string;
}

/** Rolls back (or finishes) what killed writes left in this project; says what it did. */
export async function recoverProject(ctx: Ctx, state: ProjectState, interactive: boolean): Promise<RecoveryOutcome> {
  const dir = journalDirOf(state.project.here);
  const ours = (folder: string) => ctx.writing.has(folder);
  if (!interruptedJournals(dir, ours).length) return { recovered: [] };
  let recovered: Recovery[];
  try {
    ctx.setApplying(true);
    recovered = recoverJournals(dir, ours);
  } catch (err) {
    const blocked = `${err instanceof Error ? err.message : String(err)}. The originals are in ${path.relative(state.project.here, dir) || dir}/journal-*/backup-*: put the edited file(s) back, then run Roll Back Interrupted Squash again.`;
    ctx.log.warn(`an interrupted squash in ${state.key} cannot be rolled back: ${blocked}`);
    if (interactive) await vscode.window.showErrorMessage('An interrupted squash cannot be rolled back automatically', { modal: true, detail: blocked });
    return { recovered: [], blocked };
  } finally {
    ctx.setApplying(false);
  }
  await ctx.store.rereadFiles(recovered.flatMap((r) => r.files));
  const said = recovered.map(words).join('\n');
  ctx.log.info(`recovered in ${state.key}:\n${said}`);
  if (interactive && recovered.length) void vscode.window.showInformationMessage(said);
  return { recovered };
}

function words(r: Recovery): string {
  if (r.action === 'discarded') return 'A squash was interrupted before it touched any file; its unfinished journal was removed.';
  if (r.action === 'rolled-back') return `A squash${r.description ? ` (${r.description})` : ''} was interrupted mid-write and is rolled back: ${r.files.length} file(s) are as they were before it.`;
  return `An interrupted undo is finished: ${r.files.length} file(s) are as they were before the squash.`;
}

/** After a discovery: name each interrupted write once and offer the roll back. */
export function watchInterrupted(ctx: Ctx): vscode.Disposable {
  const told = new Set<string>();
  return ctx.store.onDidChange((changed) => {
    if (changed) return;
    for (const state of ctx.store.all) {
      const fresh = interruptedJournals(journalDirOf(state.project.here), (folder) => ctx.writing.has(folder)).filter((j) => !told.has(j.journal));
      if (!fresh.length) continue;
      for (const j of fresh) told.add(j.journal);
      void offer(ctx, state, fresh);
    }
  });
}

async function offer(ctx: Ctx, state: ProjectState, found: Interrupted[]): Promise<void> {
  const first = found[0]!;
  const what = first.state === 'pending' ? `A squash${first.description ? ` (${first.description})` : ''} was interrupted mid-write` : 'An undo of a squash was interrupted';
  const rollBack = first.state === 'pending' ? 'Roll Back' : 'Finish the Undo';
  const name = path.basename(state.project.configPath ?? state.project.here);
  ctx.log.warn(`${what} in ${state.key} (journal ${first.journal}): ${first.files.length} file(s) involved`);
  const choice = await vscode.window.showWarningMessage(
    `${what} in ${name}: its ${first.files.length} file(s) may be partly old, partly new. Roll it back before anything reads the versions folder.`,
    rollBack,
    'Show Log',
  );
  if (choice === rollBack) await recoverProject(ctx, state, true);
  else if (choice === 'Show Log') ctx.log.show();
}

/** Roll Back Interrupted Squash: every project, or the one given (scripts and tests pass `configPath`). */
export function rollBackInterrupted(ctx: Ctx) {
  return async (args?: { configPath?: string; interactive?: boolean }): Promise<RecoveryOutcome> => {
    await ctx.store.ready;
    const interactive = args?.interactive !== false;
    const states = args?.configPath ? [ctx.store.find(args.configPath)].filter((s): s is ProjectState => !!s) : ctx.store.all;
    const out: RecoveryOutcome = { recovered: [] };
    for (const state of states) {
      const r = await recoverProject(ctx, state, interactive);
      out.recovered.push(...r.recovered);
      if (r.blocked) out.blocked = r.blocked;
    }
    if (interactive && !out.recovered.length && !out.blocked) void vscode.window.showInformationMessage('No interrupted squash to roll back.');
    return out;
  };
}
