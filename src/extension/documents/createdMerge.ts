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
      // Read from disk; never open a model here (a model opened while a file is being written can
      // hold a stale text). The quick fix creates an empty file, then fills its buffer in the same edit.
      const open = () => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      const text = readOr(uri.fsPath) || open()?.getText() || (await firstText(uri));
      if (parseHeader(text).downRevisions.length < 2) continue;
      await vscode.window.showTextDocument(uri, { preview: false });
    }
  });
}

function firstText(uri: vscode.Uri): Promise<string> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => done(''), 2000);
    const sub = vscode.workspace.onDidChangeTextDocument((e) => e.document.uri.toString() === uri.toString() && e.document.getText() && done(e.document.getText()));
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
