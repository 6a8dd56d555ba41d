/**
 * Applying a squash's FileEdit[] to the workspace, and undoing it: the one place that turns the
 * core's edits into a WorkspaceEdit, checks the disk against the plan afterwards, and puts back
 * whatever a partial application left. A squash is all-or-nothing.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FileEdit } from '../../core/squash';
import { checkExpected, inverseEdits, involvedPaths, restoreEdits, stepPath, stepStates, toOperations, type EditOperation, type Mismatch } from './editOps';

export interface ApplyOptions {
  /** Show VS Code's refactor preview (every entry ticked); the user may still untick some. */
  preview: boolean;
  /** Label of a file in the preview (a path relative to the project). */
  describe?: (file: string) => string;
}

export type ApplyReport =
  /** Every step is on disk. */
  | { status: 'applied' }
  /** Nothing was written (the preview was cancelled or every entry unticked). */
  | { status: 'cancelled' }
  /** Only part was applied; it was put back. `restored` names the files that had been written. */
  | { status: 'restored'; restored: string[] }
  /** Only part was applied and putting it back failed for `left`: the user must look. */
  | { status: 'partial'; restored: string[]; left: string[] };

/** Why the edits cannot be applied now (unsaved or changed files); empty when they can. */
export function writeBlockers(edits: readonly FileEdit[]): { dirty: string[]; mismatches: Mismatch[] } {
  return { dirty: dirtyAmong(involvedPaths(edits)), mismatches: checkExpected(edits, currentText) };
}

/** Applies every edit as one WorkspaceEdit, then reads the disk back and settles a partial result. */
export async function applyFileEdits(edits: readonly FileEdit[], options: ApplyOptions): Promise<ApplyReport> {
  const edit = toWorkspaceEdit(edits, { confirm: options.preview, describe: options.describe });
  await vscode.workspace.applyEdit(edit, { isRefactoring: true });
  await saveEdited(edits);
  return settle(edits);
}

/**
 * Compares the files with the plan. All done → applied; none → cancelled; some → the inverse of
 * what was written is applied (never needing confirmation) and the result says which files it was.
 */
export async function settle(edits: readonly FileEdit[]): Promise<ApplyReport> {
  const states = stepStates(edits, currentText);
  if (states.every((s) => s === 'done')) return { status: 'applied' };
  if (states.every((s) => s === 'pending')) return { status: 'cancelled' };
  const restore = restoreEdits(edits, currentText);
  const restored = [...new Set(restore.map(stepPath))];
  if (restore.length) {
    await vscode.workspace.applyEdit(toWorkspaceEdit(restore, { confirm: false }), { isRefactoring: true });
    await saveEdited(restore);
  }
  const left = stepStates(edits, currentText)
    .map((s, i) => (s === 'pending' ? undefined : stepPath(edits[i]!)))
    .filter((p): p is string => p !== undefined);
  return left.length ? { status: 'partial', restored, left } : { status: 'restored', restored };
}

export interface UndoReport {
  undone: boolean;
  /** Files put back as they were before the squash (paths). */
  restored: string[];
  reasons?: string[];
}

/** Undoes what the squash wrote (only steps the disk shows as done and unchanged since). */
export async function undoFileEdits(edits: readonly FileEdit[]): Promise<UndoReport> {
  const inverse = inverseEdits(edits, currentText);
  if (inverse.length === 0) return { undone: false, restored: [], reasons: ['Nothing of the last squash is left to undo: its files were changed or already restored.'] };
  const dirty = dirtyAmong(involvedPaths(inverse));
  if (dirty.length) return { undone: false, restored: [], reasons: dirty.map((f) => `${path.basename(f)} has unsaved changes: save or revert it first`) };
  const ok = await vscode.workspace.applyEdit(toWorkspaceEdit(inverse, { confirm: false }), { isRefactoring: true });
  await saveEdited(inverse);
  const restored = [...new Set(inverse.map((e) => (e.kind === 'move' ? e.to : e.path)))];
  return ok ? { undone: true, restored } : { undone: false, restored: [], reasons: ['VS Code did not apply the undo.'] };
}

/**
 * One WorkspaceEdit for every FileEdit. `confirm` marks each entry as needing confirmation: that is
 * what makes VS Code show its refactor preview, where such entries start unticked (the user opted in
 * with the `refactorPreview` setting; `settle` catches a partial application).
 */
function toWorkspaceEdit(edits: readonly FileEdit[], options: { confirm: boolean; describe?: (file: string) => string }): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  const meta = (op: EditOperation): vscode.WorkspaceEditEntryMetadata => ({
    needsConfirmation: options.confirm,
    label: op.label,
    description: op.description,
    iconPath: new vscode.ThemeIcon(op.op === 'create' ? 'new-file' : op.op === 'delete' ? 'trash' : op.op === 'rename' ? 'archive' : 'edit'),
  });
  for (const op of toOperations(edits, options.describe)) {
    switch (op.op) {
      case 'create':
        edit.createFile(vscode.Uri.file(op.path), { contents: Buffer.from(op.text, 'utf8'), overwrite: false }, meta(op));
        break;
      case 'delete':
        edit.deleteFile(vscode.Uri.file(op.path), { ignoreIfNotExists: false }, meta(op));
        break;
      case 'rename':
        edit.renameFile(vscode.Uri.file(op.from), vscode.Uri.file(op.to), { overwrite: false }, meta(op));
        break;
      case 'replace':
        edit.replace(
          vscode.Uri.file(op.path),
          new vscode.Range(op.start.line, op.start.character, op.end.line, op.end.character),
          op.newText,
          meta(op),
        );
        break;
    }
  }
  return edit;
}

/** The text a file holds now: an open editor's buffer wins over the disk; undefined when it does not exist. */
export function currentText(file: string): string | undefined {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === file);
  if (open && !open.isClosed) return open.getText();
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Open editors with unsaved changes among `files`. */
export function dirtyAmong(files: readonly string[]): string[] {
  const wanted = new Set(files);
  return vscode.workspace.textDocuments.filter((d) => d.isDirty && d.uri.scheme === 'file' && wanted.has(d.uri.fsPath)).map((d) => d.uri.fsPath);
}

/**
 * Text edits of a WorkspaceEdit land in editor buffers, not on disk; the squash's files must be on
 * disk like its created and deleted ones, so the edited buffers are saved.
 */
async function saveEdited(edits: readonly FileEdit[]): Promise<void> {
  for (const e of edits) {
    if (e.kind !== 'modify') continue;
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === e.path);
    if (doc?.isDirty) await doc.save();
  }
}
