// The language server in the real host: Problems for a broken history, go-to-definition on a down_revision id.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, graphWhere, workspace } from './support';

const fixtures = process.env.ALEMBIC_SQUASH_FIXTURES!;

function codeOf(d: vscode.Diagnostic): string | number | undefined {
  return typeof d.code === 'object' ? d.code.value : d.code;
}

/** Resolves with the diagnostics of `uri` once one of them satisfies `test` (now or after a change). */
function diagnosticsWhere(uri: vscode.Uri, test: (d: vscode.Diagnostic) => boolean): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve) => {
    const check = () => {
      const found = vscode.languages.getDiagnostics(uri);
      if (!found.some(test)) return false;
      sub.dispose();
      resolve(found);
      return true;
    };
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.fsPath === uri.fsPath)) check();
    });
    check();
  });
}

describe('language server', () => {
  const broken = path.join(workspace, 'broken-missing-parent');

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (!fs.existsSync(broken)) return;
    fs.rmSync(broken, { recursive: true, force: true });
    // Later suites expect the workspace's one project again. Removing a whole folder reports only the
    // folder to file watchers (not the alembic.ini inside), so refresh as a user would.
    const a = await api();
    await vscode.commands.executeCommand('alembicSquash.refresh');
    await graphWhere(a, () => a.projects().length === 1);
  });

  it('reports a down_revision that names no revision, with the missing-parent code', async () => {
    const a = await api();
    assert.ok(a.languageClient, 'the language client started');
    fs.cpSync(path.join(fixtures, 'broken/missing-parent'), broken, { recursive: true });
    const file = vscode.Uri.file(path.join(broken, 'migrations/versions/69f2f70f3774_add_users_locale.py'));
    await vscode.window.showTextDocument(file);
    const diagnostics = await diagnosticsWhere(file, (d) => codeOf(d) === 'missing-parent');
    const entry = diagnostics.find((d) => codeOf(d) === 'missing-parent')!;
    assert.ok(entry.message.includes('0badc0ffee00'), entry.message);
    const line = (await vscode.workspace.openTextDocument(file)).lineAt(entry.range.start.line).text;
    assert.ok(line.startsWith('down_revision'), `the entry sits on ${JSON.stringify(line)}`);
  });

  it("goes from a down_revision id to its parent's file", async () => {
    await api();
    const file = vscode.Uri.file(path.join(workspace, 'migrations/versions/c2d9e1f4a5b6_index_users_email.py'));
    const doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
    const line = [...Array(doc.lineCount).keys()].find((i) => doc.lineAt(i).text.startsWith('down_revision'))!;
    const column = doc.lineAt(line).text.indexOf('8a4e6b2c9f31') + 3;
    const results = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', file, new vscode.Position(line, column));
    const targets = (results ?? []).map((r) => ('targetUri' in r ? r.targetUri : r.uri).fsPath);
    assert.deepEqual(targets, [path.join(workspace, 'migrations/versions/8a4e6b2c9f31_add_teams_and_membership.py')]);
  });
});
