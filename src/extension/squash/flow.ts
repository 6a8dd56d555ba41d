import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { GraphError, NotSquashableError } from '../../core/graph';
import {
  RenderFailedError,
  SquashError,
  buildEdits,
  planSquash,
  renderSquash,
  stampPlan,
  type RenderResult,
  type SourceFile,
  type SquashOptions,
  type SquashPlan,
  type FileEdit,
  type PendingWrite,
  abandonWrite,
  beginWrite,
  completeWrite,
  forget,
  journalDirOf,
} from '../../core/squash';
import type { Ctx, LastSquash } from '../ctx';
import type { ProjectState } from '../state/projects';
import { ReviewPanel } from '../review/panel';
import { reviewActions } from '../review/actions';
import { reviewModel, type Strategy } from '../review/model';
import { applyFileEdits, dirtyAmong, undoFileEdits, writeBlockers, type ApplyReport, type UndoReport } from './apply';
import { involvedPaths } from './editOps';
import { interpreterFor } from '../verify/environment';
import { replacedBodiesText, stampPlanMarkdown } from './reviewText';
import { chooseStrategy, makeSnapshot } from './strategy';
import { recoverProject } from './recovery';

export interface SquashRequest {
  from: string;
  to: string;
  message?: string;
  /** `tip`, `new`, or an explicit id; default from the `revisionId` setting. */
  revisionId?: string;
  /** How the new file is made (`auto` asks when a person is there); default from the `strategy` setting. */
  strategy?: Strategy;
  /**
   * False for scripted use (tests, other extensions): no prompts, no review, no refactor preview;
   * the outcome is returned instead. Default true.
   */
  interactive?: boolean;
}

export interface SquashOutcome {
  status: 'applied' | 'refused' | 'cancelled' | 'restored';
  /** Why it was refused, one entry per reason; for `restored`, the files put back. */
  reasons?: string[];
  newRevision?: string;
  /** Files created, deleted, moved or changed. */
  files?: string[];
}

/**
 * Plan → options → render (parse-checked) → the review screen → apply all or nothing → offers.
 * Unsaved files were checked before the pickers (`saveFirst`); they are checked again right before
 * the write, as is every file the squash read.
 */
export async function squash(ctx: Ctx, live: ProjectState, request: SquashRequest): Promise<SquashOutcome> {
  const interactive = request.interactive !== false;
  // A squash killed mid-write (in a terminal) is rolled back before this one reads the folder.
  const recovery = await recoverProject(ctx, live, interactive);
  if (recovery.blocked) return refuse(ctx, interactive, 'An interrupted squash must be rolled back first', [recovery.blocked]);
  const state = await ctx.store.current(live);
  const scope = state.folder.uri;
  const files = sourceFiles(state);
  const strategy: Strategy = request.strategy ?? ctx.config.strategy(scope);
  const options: SquashOptions = {
    revisionId: request.revisionId ?? ctx.config.revisionId(scope),
    partialDowngrade: ctx.config.partialDowngrade(scope),
    archiveDir: ctx.config.archiveFolder(scope) || undefined,
    ...(request.message !== undefined ? { message: request.message } : {}),
  };
  const rangeText = `${request.from}..${request.to}`;
  ctx.log.info(`squash ${rangeText} in ${state.key} (${JSON.stringify({ ...options, strategy })})`);

  const planFor = () => planSquash({ map: state.scripts.map, files, project: state.project, from: request.from, to: request.to, options });
  let plan: SquashPlan;
  try {
    plan = planFor();
  } catch (err) {
    return refuse(ctx, interactive, `Cannot squash ${rangeText}`, reasonsOf(err));
  }
  // Files the squash reads must be on disk as the editor shows them: refuse before any more work.
  const unsaved = dirtyAmong([...plan.members.map((m) => m.path), ...plan.children.map((c) => c.path)]);
  if (unsaved.length) return refuse(ctx, interactive, 'Save or revert these files before squashing: they have unsaved changes', unsaved.map((f) => rel(state, f)));

  // The message and id are asked for unless the caller gave both.
  if (interactive && (request.message === undefined || request.revisionId === undefined)) {
    const chosen = await askOptions(plan, options);
    if (!chosen) return { status: 'cancelled' };
    if (chosen.message !== plan.message || chosen.revisionId !== options.revisionId) {
      Object.assign(options, chosen);
      plan = planFor();
    }
  }

  const python = await interpreterFor(ctx, state);
  if (!python) ctx.log.warn('Restricted Mode: the squash is rendered with the built-in template (the project\'s Python is not run)');
  const choice = await chooseStrategy(strategy, plan, interactive, !!python);
  if (!choice) return { status: 'cancelled' };
  ctx.log.info(`squash strategy ${choice.strategy}: ${choice.reason}`);
  let render: RenderResult;
  let edits: FileEdit[];
  let used: Strategy = 'ops';
  try {
    if (choice.strategy !== 'ops' && python) {
      const outcome = await makeSnapshot(ctx, state, { strategy: choice.strategy, from: request.from, to: request.to, options, python });
      if (outcome.kind === 'cancelled') return { status: 'cancelled' };
      if (outcome.kind === 'refused') return refuse(ctx, interactive, `Cannot squash ${rangeText} as a snapshot`, outcome.reasons);
      ({ plan, render, edits } = outcome.made.prepared);
      used = outcome.made.strategy;
      // `auto` may fall back to the operations (the chain cannot run here, say): the review says why.
      if (used === 'ops') render = { ...render, warnings: [`Written with the operations, not as a snapshot: ${outcome.made.reason}`, ...render.warnings] };
    } else {
      render = await renderSquash({ plan, files, project: state.project, python });
      edits = buildEdits(plan, render, files, { archiveDir: options.archiveDir });
    }
  } catch (err) {
    if (!(err instanceof RenderFailedError)) throw err;
    if (interactive) await showRenderFailure(ctx, plan, err);
    return refuse(ctx, false, `Cannot squash ${rangeText}: ${err.message}`, [err.message]);
  }
  for (const w of render.warnings) ctx.log.warn(w);
  if (interactive && render.hookProblems.length) warnHookProblems(ctx, render.hookProblems);
  const squashRecord: LastSquash = {
    configPath: state.key,
    from: request.from,
    to: request.to,
    plan,
    stamp: stampPlan(plan),
    edits,
    review: {
      id: `${plan.tip}-${Date.now().toString(36)}`,
      title: `Review Squash: ${plan.members.length} revisions → ${render.fileName}`,
      fileName: render.fileName,
      replaced: replacedBodiesText(plan, files),
      squashed: render.text,
    },
    applied: false,
    renderedWith: render.renderedWith,
    warnings: render.warnings,
  };
  ctx.recordSquash(squashRecord);

  let panel: ReviewPanel | undefined;
  if (interactive) {
    const model = reviewModel({ plan, render, edits, stamp: squashRecord.stamp, strategy: used, refactorPreview: ctx.config.refactorPreview(scope), here: state.project.here });
    panel = ReviewPanel.show(ctx.extension.extensionUri, model, reviewActions(ctx, state, squashRecord, files));
    if ((await panel.decision) === 'cancel') {
      panel.setStatus({ phase: 'cancelled', text: 'Cancelled: nothing was written.' });
      return { status: 'cancelled' };
    }
    panel.setStatus({ phase: 'applying', text: 'Applying…' });
  }

  const blocked = writeBlockers(edits);
  if (blocked.dirty.length || blocked.mismatches.length) {
    const words = { changed: 'changed since it was read', missing: 'no longer exists', exists: 'already exists' };
    const reasons = [
      ...blocked.dirty.map((f) => `${rel(state, f)} has unsaved changes: save or revert it`),
      ...blocked.mismatches.map((m) => `${rel(state, m.path)}: ${words[m.reason]}`),
    ];
    panel?.setStatus({ phase: 'refused', text: 'Nothing was written: the files changed while the squash was reviewed. Run the squash again.', details: reasons });
    return refuse(ctx, interactive, 'Nothing was written: the files changed while the squash was reviewed', reasons);
  }

  const preview = interactive && ctx.config.refactorPreview(scope);
  if (preview) panel?.setStatus({ phase: 'applying', text: 'In the refactor preview below: tick every entry and press Apply there, or Discard. A partial application is undone.' });
  ctx.setApplying(true);
  // The same write-ahead journal as the CLI's, written before VS Code touches a file: if the window
  // or the extension host dies mid-apply, the next squash (or Roll Back Interrupted Squash, or the
  // CLI) puts the folder back; once applied, `alembic-squash squash --undo` can undo it too.
  let pending: PendingWrite;
  try {
    pending = beginWrite(edits, { journalDir: journalDirOf(state.project.here), description: `squash ${rangeText} into ${plan.newRevision} (VS Code)` });
  } catch (err) {
    ctx.setApplying(false);
    const reason = err instanceof Error ? err.message : String(err);
    panel?.setStatus({ phase: 'refused', text: 'Nothing was written.', details: [reason] });
    return refuse(ctx, interactive, 'Nothing was written: the journal of the squash could not be written', [reason]);
  }
  const writing = path.dirname(pending.journalPath);
  ctx.writing.add(writing);
  const report = await applyFileEdits(edits, { preview, describe: (f) => rel(state, f) }).finally(() => {
    ctx.writing.delete(writing);
    ctx.setApplying(false);
  });
  if (report.status !== 'cancelled') await ctx.store.rereadFiles(involvedPaths(edits));
  if (report.status === 'applied') {
    completeWrite(pending);
    squashRecord.journalPath = pending.journalPath;
  } else if (report.status !== 'partial') abandonWrite(pending);
  squashRecord.applied = report.status === 'applied';
  ctx.recordSquash(squashRecord);
  const said = applyWords(state, plan, report);
  ctx.log.info(`squash ${rangeText}: ${said.text}${said.details.length ? `\n  ${said.details.join('\n  ')}` : ''}`);
  panel?.setStatus({ phase: report.status === 'partial' ? 'refused' : report.status, text: said.text, details: said.details });
  if (report.status !== 'applied') {
    if (interactive && report.status !== 'cancelled') void vscode.window.showWarningMessage(said.text, { detail: said.details.join('\n') }, 'Show Log').then((c) => c && ctx.log.show());
    return report.status === 'cancelled' ? { status: 'cancelled' } : { status: 'restored', reasons: said.details };
  }
  if (interactive) void afterApply(ctx, squashRecord, state, said.text);
  return { status: 'applied', newRevision: plan.newRevision, files: involvedPaths(edits) };
}

/**
 * A post_write_hook that could not run (an `exec` hook on an older Alembic, a missing formatter) is
 * not a reason to refuse: the file is written unformatted, and the user hears it now, not only in
 * the review's warnings.
 */
function warnHookProblems(ctx: Ctx, problems: string[]): void {
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more: see the log)` : '';
  void vscode.window
    .showWarningMessage(`The squashed file is not formatted by every post_write_hook: ${problems[0]}${more}`, 'Show Log')
    .then((c) => c && ctx.log.show());
}

/** People's words for an apply report (the panel, the notification and the log say the same). */
function applyWords(state: ProjectState, plan: SquashPlan, report: ApplyReport): { text: string; details: string[] } {
  const n = plan.members.length;
  switch (report.status) {
    case 'applied':
      return { text: `Squashed ${n} revisions into ${plan.newRevision}: every file is written.`, details: [] };
    case 'cancelled':
      return { text: 'Cancelled in the refactor preview: nothing was written.', details: [] };
    case 'restored':
      return {
        text: `Only part of the squash was applied in the refactor preview, so it was undone: a squash is all or nothing. ${report.restored.length} file(s) restored; nothing of the squash remains.`,
        details: report.restored.map((f) => `restored ${rel(state, f)}`),
      };
    case 'partial':
      return {
        text: `Only part of the squash was applied and not all of it could be put back: run Alembic: Roll Back Interrupted Squash (its journal holds every original), or check these files (git status).`,
        details: [...report.restored.map((f) => `restored ${rel(state, f)}`), ...report.left.map((f) => `not restored: ${rel(state, f)}`)],
      };
  }
}

/**
 * Before any picker: unsaved migration files would make the squash refuse at the end, so they are
 * named now with "Save All and Continue". Returns false when the user stops.
 */
export async function saveFirst(ctx: Ctx, states: readonly ProjectState[]): Promise<boolean> {
  const dirty = dirtyAmong(states.flatMap((s) => s.scripts.revisionFiles.map((f) => f.path)));
  if (dirty.length === 0) return true;
  const save = 'Save All and Continue';
  const names = [...new Set(dirty.map((f) => path.basename(f)))];
  const choice = await vscode.window.showWarningMessage(
    `${names.length === 1 ? `${names[0]} has` : `${names.length} migration files have`} unsaved changes. The squash reads the files on disk.`,
    { modal: true, detail: names.join('\n') },
    save,
  );
  if (choice !== save) return false;
  const saved = await vscode.workspace.saveAll(false);
  if (!saved) ctx.log.warn('Save All did not save every file');
  await ctx.store.refresh();
  return saved;
}

export function sourceFiles(state: ProjectState): Map<string, SourceFile> {
  const files = new Map<string, SourceFile>();
  for (const f of state.scripts.revisionFiles) {
    const full = state.scripts.fullFile(f.path)!;
    files.set(full.path, { text: full.text, file: full.migration });
  }
  return files;
}

function reasonsOf(err: unknown): string[] {
  if (err instanceof NotSquashableError) return err.reasons.map((r) => r.message);
  if (err instanceof SquashError || err instanceof GraphError) return [err.message];
  throw err;
}

/** Every reason, in a modal with details: never a one-line toast. */
async function refuse(ctx: Ctx, interactive: boolean, title: string, reasons: string[]): Promise<SquashOutcome> {
  ctx.log.warn(`${title}:\n${reasons.map((r) => `  - ${r}`).join('\n')}`);
  if (interactive) await vscode.window.showErrorMessage(title, { modal: true, detail: reasons.map((r) => `• ${r}`).join('\n\n') });
  return { status: 'refused', reasons };
}

/** The rendered text in a read-only editor at the failing line, and the message next to it. */
async function showRenderFailure(ctx: Ctx, plan: SquashPlan, err: RenderFailedError): Promise<void> {
  const line = err.line;
  await ctx.reviews.show(`failed-${plan.tip}-${Date.now().toString(36)}`, 'failed', `squash-${plan.tip}-not-written.py`, err.text, line);
  const log = 'Show Log';
  const where = line ? ` at line ${line}` : '';
  void vscode.window
    .showErrorMessage(`The squash of ${plan.members.length} revisions was not written: the rendered file failed to ${err.stage === 'parse' ? 'parse' : err.stage === 'compile' ? 'compile' : `render (${err.stage})`}${where} (${err.details.split('\n').pop()}). It is open, read-only, at that line.`, log)
    .then((c) => c && ctx.log.show());
}

async function askOptions(plan: SquashPlan, options: SquashOptions): Promise<{ message: string; revisionId: string } | undefined> {
  const message = await vscode.window.showInputBox({
    title: `Squash ${plan.members.length} revisions (${plan.members[0]!.revision}..${plan.tip})`,
    prompt: 'Message of the new revision',
    value: plan.message,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : 'A message is required'),
  });
  if (message === undefined) return undefined;
  const current = options.revisionId ?? 'tip';
  const items: (vscode.QuickPickItem & { value: string })[] = [
    { value: 'tip', label: `Keep the tip's id ${plan.tip}`, detail: 'Databases stamped at the tip or later need nothing.' },
    { value: 'new', label: 'A new revision id', detail: 'Revisions after the range are rewired; databases at the tip need a stamp (a stamp plan is shown).' },
  ];
  const sorted = [...items.filter((i) => i.value === current), ...items.filter((i) => i.value !== current)];
  const id = await vscode.window.showQuickPick(sorted, { title: 'Revision id of the squashed revision', ignoreFocusOut: true });
  if (!id) return undefined;
  return { message: message.trim(), revisionId: id.value };
}

async function afterApply(ctx: Ctx, squash: LastSquash, state: ProjectState, text: string): Promise<void> {
  const stamp = 'Show Stamp Plan';
  const undo = 'Undo Squash';
  const verify = 'Verify Now';
  const buttons = [...(ctx.verifyHook ? [verify] : []), stamp, undo];
  const choice = await vscode.window.showInformationMessage(text, ...buttons);
  if (choice === stamp) await showStampPlan(ctx, squash);
  else if (choice === undo) await undoAndSay(ctx, squash, true);
  else if (choice === verify) await ctx.verifyHook?.(squash, state);
}

/** The stamp plan as a markdown preview of a read-only document (nothing asks to be saved). */
export async function showStampPlan(ctx: Ctx, squash: LastSquash): Promise<void> {
  await ctx.reviews.preview(squash.review.id, 'stamp', 'stamp-plan.md', stampPlanMarkdown(squash.plan, squash.stamp));
}

/**
 * Applies the inverse of what the squash actually wrote, as one WorkspaceEdit (VS Code's own undo
 * stack holds the squash only as a workspace-wide step that needs a focused editor of its files).
 * Results computed on the squashed files (verify's Problems and Schema Differences) no longer apply
 * and are cleared.
 */
export async function undoSquash(ctx: Ctx, squash: LastSquash): Promise<UndoReport> {
  ctx.setApplying(true);
  const report = await undoFileEdits(squash.edits).finally(() => ctx.setApplying(false));
  if (report.undone) await ctx.store.rereadFiles(involvedPaths(squash.edits));
  if (report.undone) {
    // The squash is gone: so is its journal (a later `squash --undo` must not find it).
    if (squash.journalPath && fs.existsSync(squash.journalPath)) forget(squash.journalPath);
    squash.journalPath = undefined;
    squash.applied = false;
    ctx.recordSquash(squash);
    ctx.verifications.clear();
    ReviewPanel.open?.setStatus({ phase: 'undone', text: `Undone: ${report.restored.length} file(s) restored as they were before the squash.` });
    ctx.log.info(`squash ${squash.from}..${squash.to} undone: ${report.restored.map((f) => path.basename(f)).join(', ')}`);
  }
  return report;
}

/** Undo with its words: what was restored, or why not. */
export async function undoAndSay(ctx: Ctx, squash: LastSquash, interactive: boolean): Promise<UndoReport> {
  const report = await undoSquash(ctx, squash);
  if (!interactive) return report;
  if (report.undone) {
    const names = report.restored.map((f) => path.basename(f));
    void vscode.window.showInformationMessage(
      `Undid the squash of ${squash.plan.members.length} revisions: ${names.length} file(s) restored (${names.slice(0, 4).join(', ')}${names.length > 4 ? ', …' : ''}). Verify results of the squash were cleared.`,
    );
  } else if (report.reasons) await vscode.window.showErrorMessage('Cannot undo the last squash', { modal: true, detail: report.reasons.join('\n') });
  return report;
}

function rel(state: ProjectState, file: string): string {
  return path.relative(state.project.here, file) || file;
}
