import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { parseHeader } from '../../core/parse';
import type { Ctx } from '../ctx';

/**
 * A merge revision created in the editor (the "Create merge revision" quick fix) opens in an editor,
 * as `alembic merge` leaves the new file for the user to read. Files a squash writes are left alone.
 */
export function openCreatedMerges(ctx: Ctx): vscode.Disposable {
  return vscode.workspace.onDidCreateFiles(async (e) => {
    if (ctx.applying) return;
    for (const uri of e.files) {
      if (uri.scheme !== 'file' || !uri.fsPath.endsWith('.py') || !ctx.store.projectOfFile(uri.fsPath)) continue;
      const doc = await Promise.resolve(vscode.workspace.openTextDocument(uri)).catch(() => undefined);
      if (!doc) continue;
      // The quick fix creates the file, then fills it in the same edit: read it once it has text.
      const text = doc.getText() || (await firstText(doc)) || readOr(uri.fsPath);
      if (parseHeader(text).downRevisions.length < 2) continue;
      await vscode.window.showTextDocument(uri, { preview: false });
    }
  });
}

function firstText(doc: vscode.TextDocument): Promise<string> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => done(''), 2000);
    const sub = vscode.workspace.onDidChangeTextDocument((e) => e.document === doc && doc.getText() && done(doc.getText()));
    function done(text: string) {
      clearTimeout(timer);
      sub.dispose();
      resolve(text);
    }
  });
}

function readOr(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
