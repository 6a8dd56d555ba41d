import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { FileEdit } from '../../core/squash';
import { toOperations, type EditOperation } from './editOps';

/**
 * One WorkspaceEdit for every FileEdit of a squash. With `confirm`, each entry asks for confirmation,
 * so VS Code's refactor preview lists every file and lets the user untick or cancel.
 */
export function toWorkspaceEdit(edits: readonly FileEdit[], options: { confirm: boolean; describe?: (file: string) => string }): vscode.WorkspaceEdit {
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
  if (open) return open.getText();
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
export async function saveEdited(edits: readonly FileEdit[]): Promise<void> {
  for (const e of edits) {
    if (e.kind !== 'modify') continue;
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === e.path);
    if (doc?.isDirty) await doc.save();
  }
}
