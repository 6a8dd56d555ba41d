import * as path from 'node:path';
import * as vscode from 'vscode';
import { GraphError, NotSquashableError } from '../../core/graph';
import {
  SquashError,
  buildEdits,
  planSquash,
  renderSquash,
  stampPlan,
  type FileEdit,
  type SourceFile,
  type SquashOptions,
  type SquashPlan,
} from '../../core/squash';
import type { Ctx, LastSquash } from '../ctx';
import type { ProjectState } from '../state/projects';
import { checkExpected, involvedPaths, inverseEdits } from './editOps';
import { replacedBodiesText, stampPlanMarkdown } from './reviewText';
import { currentText, dirtyAmong, saveEdited, toWorkspaceEdit } from './workspaceEdit';

export interface SquashRequest {
  from: string;
  to: string;
  message?: string;
  /** `tip`, `new`, or an explicit id; default from the `revisionId` setting. */
  revisionId?: string;
  /**
   * False for scripted use (tests, other extensions): no prompts, no modal, no refactor preview;
   * the outcome is returned instead. Default true.
   */
  interactive?: boolean;
}

export interface SquashOutcome {
  status: 'applied' | 'refused' | 'cancelled';
  /** Why it was refused, one entry per reason. */
  reasons?: string[];
  newRevision?: string;
  /** Files created, deleted, moved or changed. */
  files?: string[];
}

/** Plan → options → render → review → one WorkspaceEdit → after-apply offers. */
export async function squash(ctx: Ctx, state: ProjectState, request: SquashRequest): Promise<SquashOutcome> {
  const interactive = request.interactive !== false;
  const scope = state.folder.uri;
  const files = sourceFiles(state);
  const options: SquashOptions = {
    revisionId: request.revisionId ?? ctx.config.revisionId(scope),
    partialDowngrade: ctx.config.partialDowngrade(scope),
    archiveDir: ctx.config.archiveFolder(scope) || undefined,
    ...(request.message !== undefined ? { message: request.message } : {}),
  };
  const rangeText = `${request.from}..${request.to}`;
  ctx.log.info(`squash ${rangeText} in ${state.key} (${JSON.stringify(options)})`);

  let plan: SquashPlan;
  try {
    plan = planSquash({ map: state.scripts.map, files, project: state.project, from: request.from, to: request.to, options });
  } catch (err) {
    return refuse(ctx, interactive, `Cannot squash ${rangeText}`, reasonsOf(err));
  }

  if (interactive) {
    const chosen = await askOptions(plan, options);
    if (!chosen) return { status: 'cancelled' };
    if (chosen.message !== plan.message || chosen.revisionId !== options.revisionId) {
      Object.assign(options, chosen);
      plan = planSquash({ map: state.scripts.map, files, project: state.project, from: request.from, to: request.to, options });
    }
  }

  const python = ctx.pythonFor(state);
  if (!python) ctx.log.warn('Restricted Mode: the squash is rendered with the built-in template (the project\'s Python is not run)');
  const render = await renderSquash({ plan, files, project: state.project, python });
  for (const w of render.warnings) ctx.log.warn(w);
  const edits = buildEdits(plan, render, files, { archiveDir: options.archiveDir });
  const touched = involvedPaths(edits);

  const dirty = dirtyAmong(touched);
  if (dirty.length) {
    return refuse(ctx, interactive, 'Save or revert these files before squashing: they have unsaved changes', dirty.map((f) => rel(state, f)));
  }
  const mismatches = checkExpected(edits, currentText);
  if (mismatches.length) {
    const words = { changed: 'changed since it was read', missing: 'no longer exists', exists: 'already exists' };
    return refuse(ctx, interactive, 'The files changed while the squash was prepared; nothing was written', mismatches.map((m) => `${rel(state, m.path)}: ${words[m.reason]}`));
  }

  const review = {
    id: `${plan.tip}-${Date.now().toString(36)}`,
    title: `Review Squash: ${plan.members.length} revisions → ${render.fileName}`,
    fileName: render.fileName,
    replaced: replacedBodiesText(plan, files),
    squashed: render.text,
  };
  const squashRecord: LastSquash = {
    configPath: state.key,
    from: request.from,
    to: request.to,
    plan,
    stamp: stampPlan(plan),
    edits,
    review,
    applied: false,
    renderedWith: render.renderedWith,
    warnings: render.warnings,
  };

  if (interactive) {
    const go = await confirmApply(ctx, squashRecord, python === undefined);
    if (!go) return { status: 'cancelled' };
  }

  const applied = await vscode.workspace.applyEdit(
    toWorkspaceEdit(edits, { confirm: interactive, describe: (f) => rel(state, f) }),
    { isRefactoring: true },
  );
  await saveEdited(edits);
  // The preview lets the user untick entries: what happened is read back from the disk.
  squashRecord.applied = applied && inverseEdits(edits, currentText).length > 0;
  ctx.recordSquash(squashRecord);
  if (!squashRecord.applied) {
    ctx.log.info(`squash ${rangeText} cancelled in the preview`);
    return { status: 'cancelled' };
  }
  ctx.log.info(`squash ${rangeText} applied: ${plan.members.length} revisions → ${plan.newRevision} (${render.fileName}, ${render.renderedWith} template)`);
  if (interactive) void afterApply(ctx, squashRecord, state);
  return { status: 'applied', newRevision: plan.newRevision, files: touched };
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

/** Offers the diff review before the refactor preview; returns true to go on. */
async function confirmApply(ctx: Ctx, squash: LastSquash, builtin: boolean): Promise<boolean> {
  const apply = 'Preview and Apply…';
  const review = 'Review Squash';
  const { plan } = squash;
  const detail = [
    `${plan.members.length} revisions (${plan.members.map((m) => m.revision).join(', ')}) become ${plan.newRevision}.`,
    plan.children.length ? `Rewired: ${plan.children.map((c) => c.revision).join(', ')}.` : '',
    builtin ? 'Restricted Mode: rendered with the built-in template, not the project\'s script.py.mako (its Python is not run).' : '',
    ...squash.warnings.map((w) => `⚠ ${w}`),
  ]
    .filter(Boolean)
    .join('\n');
  for (;;) {
    const choice = await vscode.window.showInformationMessage(`Squash ${squash.from}..${squash.to}?`, { modal: true, detail }, apply, review);
    if (choice === apply) return true;
    if (choice !== review) return false;
    await ctx.reviews.open(squash.review);
  }
}

async function afterApply(ctx: Ctx, squash: LastSquash, state: ProjectState): Promise<void> {
  const stamp = 'Show Stamp Plan';
  const review = 'Review Squash';
  const undo = 'Undo Squash';
  const verify = 'Verify Now';
  const buttons = [stamp, review, undo, ...(ctx.verifyHook ? [verify] : [])];
  const choice = await vscode.window.showInformationMessage(
    `Squashed ${squash.plan.members.length} revisions into ${squash.plan.newRevision}.`,
    ...buttons,
  );
  if (choice === stamp) await showStampPlan(squash);
  else if (choice === review) await ctx.reviews.open(squash.review);
  else if (choice === undo) await undoSquash(ctx, squash);
  else if (choice === verify) await ctx.verifyHook?.(squash, state);
}

export async function showStampPlan(squash: LastSquash): Promise<void> {
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: stampPlanMarkdown(squash.plan, squash.stamp) });
  await vscode.window.showTextDocument(doc, { preview: false });
}

/**
 * Applies the inverse of what the squash actually wrote, as one WorkspaceEdit. VS Code's own undo
 * stack also holds the squash, but only as a workspace-wide step that needs a focused editor of
 * one of its files; this command works from anywhere.
 */
export async function undoSquash(ctx: Ctx, squash: LastSquash): Promise<{ undone: boolean; reasons?: string[] }> {
  const inverse: FileEdit[] = inverseEdits(squash.edits, currentText);
  if (inverse.length === 0) return { undone: false, reasons: ['Nothing of the last squash is left to undo: its files were changed or already restored.'] };
  const dirty = dirtyAmong(involvedPaths(inverse));
  if (dirty.length) return { undone: false, reasons: dirty.map((f) => `${f} has unsaved changes`) };
  const ok = await vscode.workspace.applyEdit(toWorkspaceEdit(inverse, { confirm: false }), { isRefactoring: true });
  await saveEdited(inverse);
  if (ok) {
    squash.applied = false;
    ctx.recordSquash(squash);
    ctx.log.info(`squash ${squash.from}..${squash.to} undone (${inverse.length} file operations)`);
  }
  return { undone: ok };
}

function rel(state: ProjectState, file: string): string {
  return path.relative(state.project.here, file) || file;
}
