import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type CodeAction, type Diagnostic } from 'vscode-languageserver-protocol';
import { TestClient, copyFixture, fileOf, fixtures, uri } from './client';

/** The text a diagnostic's range covers. */
function covered(file: string, d: Diagnostic, text = fs.readFileSync(file, 'utf8')): string {
  const doc = TextDocument.create('file:///x.py', 'python', 1, text);
  return doc.getText(d.range);
}

function only(ds: Diagnostic[] | undefined, code: string): Diagnostic {
  const found = (ds ?? []).filter((d) => d.code === code);
  assert.equal(found.length, 1, `one ${code} in ${JSON.stringify(ds)}`);
  return found[0]!;
}

describe('language server: diagnostics and their quick fixes', function () {
  let client: TestClient;
  let cleanup: (() => void) | undefined;
  afterEach(async () => {
    await client?.dispose();
    cleanup?.();
    cleanup = undefined;
  });

  async function start(dir: string, settings?: (scope: string) => unknown): Promise<void> {
    client = TestClient.inProcess({ settings });
    await client.initialize(dir);
  }

  it('reports a missing parent on the id string, with code and source', async () => {
    const dir = path.join(fixtures, 'broken/missing-parent');
    await start(dir);
    const file = fileOf(dir, '69f2f70f3774');
    const ds = await client.until(() => client.diagnostics.get(file), 'diagnostics of 69f2f70f3774');
    const d = only(ds, 'missing-parent');
    assert.equal(d.source, 'alembic-squash');
    assert.equal(d.severity, DiagnosticSeverity.Error);
    assert.equal(covered(file, d), "'0badc0ffee00'");
    assert.match(d.message as string, /0badc0ffee00/);
  });

  it('finds a project copied in whose config no file event announced, when one of its files is opened', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'alembic-squash-orphan-'));
    cleanup = () => fs.rmSync(root, { recursive: true, force: true });
    await start(root);
    // A request answers once the server's first discovery (of an empty folder) is done.
    await client.request('textDocument/hover', { textDocument: { uri: uri(path.join(root, 'none.py')) }, position: { line: 0, character: 0 } });
    // As a folder copied into the workspace whose file events the watcher folded into the folder's own.
    const dir = path.join(root, 'broken-missing-parent');
    fs.cpSync(path.join(fixtures, 'broken/missing-parent'), dir, { recursive: true });
    const file = fileOf(dir, '69f2f70f3774');
    client.open(file);
    const ds = await client.until(() => (client.diagnostics.get(file)?.length ? client.diagnostics.get(file) : undefined), 'diagnostics of the copied project');
    assert.equal(only(ds, 'missing-parent').source, 'alembic-squash');
  });

  it('suggests the id a typo was meant to be, and the quick fix clears the problem', async () => {
    const dir = path.join(fixtures, 'linear');
    await start(dir);
    const file = fileOf(dir, '8a4e6b2c9f31');
    const typo = fs.readFileSync(file, 'utf8').replace("down_revision = '3f1c2a9b7d10'", "down_revision = '3f1c2a9b7d1O'");
    client.open(file, typo);
    const ds = await client.until(() => (client.diagnostics.get(file)?.length ?? 0) > 0 && client.diagnostics.get(file), 'missing-parent');
    const d = only(ds, 'missing-parent');
    assert.match(d.message as string, /did you mean 3f1c2a9b7d10/);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: uri(file) },
      range: d.range,
      context: { diagnostics: [d] },
    });
    const fix = actions.find((a) => a.title === 'Change to 3f1c2a9b7d10');
    assert.ok(fix, actions.map((a) => a.title).join());
    const fixed = TextDocument.applyEdits(TextDocument.create(uri(file), 'python', 2, typo), fix!.edit!.changes![uri(file)]!);
    assert.ok(fixed.includes("down_revision = '3f1c2a9b7d10'"));
    client.change(file, fixed);
    await client.until(() => client.diagnostics.get(file)?.length === 0, 'the problem to clear');
  });

  it('marks both files that claim the same revision id', async () => {
    const dir = path.join(fixtures, 'broken/duplicate-id');
    await start(dir);
    const a = path.join(dir, 'migrations/versions/bd80dbabd055_add_users_locale.py');
    const b = path.join(dir, 'migrations/versions/bd80dbabd055_add_users_nickname.py');
    await client.until(() => client.diagnostics.get(a) && client.diagnostics.get(b), 'both files');
    for (const f of [a, b]) assert.equal(covered(f, only(client.diagnostics.get(f), 'duplicate-revision')), "'bd80dbabd055'");
  });

  it('marks every member of a cycle', async () => {
    const dir = path.join(fixtures, 'broken/cycle');
    await start(dir);
    const files = ['rev_a', 'rev_b', 'rev_c'].map((r) => fileOf(dir, r));
    await client.until(() => files.every((f) => client.diagnostics.get(f)?.some((d) => d.code === 'cycle')), 'cycle on all three');
  });

  it('informs once, on the first head, listing the heads; the setting can make it a warning or turn it off', async () => {
    const dir = path.join(fixtures, 'branch-labels');
    const heads = [fileOf(dir, '192db78bc465'), fileOf(dir, '56ad9a661cab')];
    await start(dir);
    await client.until(() => client.diagnostics.get(heads[0]!), 'the first head');
    const d = only(client.diagnostics.get(heads[0]!), 'multiple-heads');
    assert.equal(d.severity, DiagnosticSeverity.Information);
    assert.equal(covered(heads[0]!, d), "'192db78bc465'");
    assert.match(String(d.message), /2 heads \(192db78bc465, 56ad9a661cab\)/);
    assert.equal(client.diagnostics.get(heads[1]!)?.filter((x) => x.code === 'multiple-heads').length ?? 0, 0, 'listed once, not once per head');
    assert.equal(client.diagnostics.get(fileOf(dir, 'f491097517f3')), undefined, 'no diagnostics on a healthy non-head');
    await client.dispose();

    await start(dir, () => ({ lsp: { multipleHeads: 'warning' } }));
    await client.until(() => client.diagnostics.get(heads[0]!), 'the first head');
    assert.equal(only(client.diagnostics.get(heads[0]!), 'multiple-heads').severity, DiagnosticSeverity.Warning);
    assert.ok(client.configurationRequests > 0, 'settings were pulled from the client');

    // Turning it off at run time clears them once the client says the configuration changed.
    client.settings = () => ({ lsp: { multipleHeads: 'off' } });
    void client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await client.until(() => client.diagnostics.get(heads[0]!)?.length === 0, 'the heads diagnostic to clear');
  });

  it('reports an unfinished header assignment and a non-literal header value', async () => {
    let dir = path.join(fixtures, 'broken/half-typed-header');
    await start(dir);
    const half = fileOf(dir, 'b7c8d9e0f1a2');
    await client.until(() => client.diagnostics.get(half)?.some((d) => d.code === 'unreadable-header'), 'unreadable-header');
    await client.dispose();

    dir = path.join(fixtures, 'broken/non-literal-labels');
    await start(dir);
    const labelled = fileOf(dir, '0e438c4b9705');
    await client.until(() => client.diagnostics.get(labelled), 'non-literal labels');
    const d = only(client.diagnostics.get(labelled), 'unresolved-header');
    assert.equal(covered(labelled, d), '(cli.EXPAND_BRANCH,)');
    assert.equal(d.severity, DiagnosticSeverity.Warning);
  });

  it('reports a syntax error in upgrade() of an open file', async () => {
    const dir = path.join(fixtures, 'broken/syntax-error');
    await start(dir);
    const file = fileOf(dir, '059caeedddf0');
    client.open(file);
    await client.until(() => client.diagnostics.get(file)?.some((d) => d.code === 'syntax-error'), 'syntax-error');
    const d = client.diagnostics.get(file)!.find((d) => d.code === 'syntax-error')!;
    const text = fs.readFileSync(file, 'utf8');
    assert.ok(d.range.start.line > text.split('\n').findIndex((l) => l.startsWith('def upgrade')), 'inside upgrade()');
  });

  it('reports forbidden characters in a revision id as it is typed', async () => {
    const dir = path.join(fixtures, 'linear');
    await start(dir);
    const file = fileOf(dir, '0d3b8f5a61c9');
    const text = fs.readFileSync(file, 'utf8').replace("revision = '0d3b8f5a61c9'", "revision = '0d3b8f5a61c9@x'");
    client.open(file, text);
    const ds = await client.until(() => client.diagnostics.get(file)?.some((d) => d.code === 'invalid-revision-id') && client.diagnostics.get(file), 'invalid id');
    assert.equal(covered(file, only(ds, 'invalid-revision-id'), text), "'0d3b8f5a61c9@x'");
  });

  it('flags a docstring that disagrees with the code and "Update docstring" rewrites its lines', async () => {
    const dir = path.join(fixtures, 'linear');
    await start(dir);
    const file = fileOf(dir, '8a4e6b2c9f31');
    const stale = fs.readFileSync(file, 'utf8').replace('Revises: 3f1c2a9b7d10', 'Revises: 111111111111');
    client.open(file, stale);
    const ds = await client.until(() => client.diagnostics.get(file)?.some((d) => d.code === 'docstring-mismatch') && client.diagnostics.get(file), 'mismatch');
    const d = only(ds, 'docstring-mismatch');
    assert.equal(covered(file, d, stale), 'Revises: 111111111111');
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: uri(file) }, range: d.range, context: { diagnostics: [d] } });
    const fix = actions.find((a) => a.title === 'Update docstring')!;
    const fixed = TextDocument.applyEdits(TextDocument.create(uri(file), 'python', 2, stale), fix.edit!.changes![uri(file)]!);
    assert.equal(fixed, fs.readFileSync(file, 'utf8'));
  });

  it('an edit that removes a revision gives its child a missing-parent diagnostic, and undoing it clears it', async () => {
    const dir = path.join(fixtures, 'linear');
    await start(dir);
    const parent = fileOf(dir, '3f1c2a9b7d10');
    const child = fileOf(dir, '8a4e6b2c9f31');
    const original = fs.readFileSync(parent, 'utf8');
    client.open(parent, original);
    await client.until(() => client.diagnostics.get(child) === undefined && client.diagnostics.get(parent) === undefined, 'a clean start');
    client.change(parent, original.replace("revision = '3f1c2a9b7d10'\n", ''));
    await client.until(() => client.diagnostics.get(child)?.some((d) => d.code === 'missing-parent'), "the child's missing parent");
    assert.equal(covered(child, only(client.diagnostics.get(child), 'missing-parent')), "'3f1c2a9b7d10'");
    client.change(parent, original);
    await client.until(() => client.diagnostics.get(child)?.length === 0, "the child's diagnostic to clear");
  });

  it('follows files deleted and created on disk (watched files), and a config change', async () => {
    const copy = copyFixture('linear');
    cleanup = copy.remove;
    await start(copy.dir);
    const parent = fileOf(copy.dir, '3f1c2a9b7d10');
    const child = fileOf(copy.dir, '8a4e6b2c9f31');
    const text = fs.readFileSync(parent, 'utf8');
    fs.rmSync(parent);
    void client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(parent), type: 3 }] });
    await client.until(() => client.diagnostics.get(child)?.some((d) => d.code === 'missing-parent'), 'missing parent after delete');
    const renamed = parent.replace('create_users_table', 'users');
    fs.writeFileSync(renamed, text);
    void client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(renamed), type: 1 }] });
    await client.until(() => client.diagnostics.get(child)?.length === 0, 'parent back under a new name');

    // Pointing script_location elsewhere empties the project: the diagnostics it caused go away with it.
    fs.rmSync(renamed);
    void client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(renamed), type: 3 }] });
    await client.until(() => client.diagnostics.get(child)?.length, 'missing parent again');
    const ini = path.join(copy.dir, 'alembic.ini');
    fs.writeFileSync(ini, fs.readFileSync(ini, 'utf8').replace('script_location = %(here)s/migrations', 'script_location = %(here)s/elsewhere'));
    void client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(ini), type: 2 }] });
    await client.until(() => client.diagnostics.get(child)?.length === 0, 'diagnostics of the moved project to clear');
  });
});
