import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, CreateFile, Hover, MarkupContent, TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { loadProject } from '../../../src/core/project';
import { ScriptDirectory } from '../../../src/core/scripts';
import { TestClient, copyFixture, fileOf, fixtures, positionOf, repoRoot, uri } from './client';

const SYSTEM_PYTHON = '/usr/bin/python3';
const hasAlembic = spawnSync(SYSTEM_PYTHON, ['-c', 'import alembic'], { stdio: 'ignore' }).status === 0;

function applyChanges(edit: WorkspaceEdit): void {
  for (const [u, edits] of Object.entries(edit.changes ?? {})) applyTo(fileURLToPath(u), edits);
  for (const change of edit.documentChanges ?? []) {
    if ('kind' in change) {
      assert.equal(change.kind, 'create');
      const file = fileURLToPath((change as CreateFile).uri);
      assert.ok(!fs.existsSync(file), 'the merge file is new');
      fs.writeFileSync(file, '');
    } else {
      applyTo(fileURLToPath((change as TextDocumentEdit).textDocument.uri), (change as TextDocumentEdit).edits as TextEdit[]);
    }
  }
}

function applyTo(file: string, edits: TextEdit[]): void {
  const doc = TextDocument.create(uri(file), 'python', 1, fs.readFileSync(file, 'utf8'));
  fs.writeFileSync(file, TextDocument.applyEdits(doc, edits));
}

async function reread(dir: string): Promise<ScriptDirectory> {
  return ScriptDirectory.load(loadProject(path.join(dir, 'alembic.ini')), { full: true });
}

function alembicHeads(dir: string): string[] {
  const out = spawnSync(SYSTEM_PYTHON, ['-m', 'alembic', '-c', path.join(dir, 'alembic.ini'), 'heads'], { cwd: dir, encoding: 'utf8' });
  assert.equal(out.status, 0, out.stderr);
  return out.stdout.split('\n').filter(Boolean).map((l) => l.split(' ')[0]!);
}

describe('language server: rename and merge edits', function () {
  let client: TestClient;
  let cleanup: (() => void) | undefined;
  afterEach(async () => {
    await client?.dispose();
    cleanup?.();
    cleanup = undefined;
  });

  it('renames a revision id from a depends_on string across every file that names it', async () => {
    const copy = copyFixture('depends-on');
    cleanup = copy.remove;
    client = TestClient.inProcess();
    await client.initialize(copy.dir);
    const file = fileOf(copy.dir, 'af4a0f59c603');
    const text = fs.readFileSync(file, 'utf8');
    const position = positionOf(text, "depends_on = '6620", 16);
    const prepared = await client.request<{ placeholder: string }>('textDocument/prepareRename', { textDocument: { uri: uri(file) }, position });
    assert.equal(prepared.placeholder, '66205814b23b');
    const edit = await client.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri: uri(file) }, position, newName: 'prices_0001' });
    assert.deepEqual(Object.keys(edit.changes!).map((u) => path.basename(u).slice(0, 12)).sort(), ['66205814b23b', 'af4a0f59c603', 'd165e1a65560', 'f45dc86c9ea4']);
    const declaring = fileOf(copy.dir, '66205814b23b');
    const merge = fileOf(copy.dir, 'f45dc86c9ea4');
    applyChanges(edit);

    assert.match(fs.readFileSync(declaring, 'utf8'), /Revision ID: prices_0001\n/);
    assert.match(fs.readFileSync(merge, 'utf8'), /Revises: prices_0001, d165e1a65560\n/);
    const scripts = await reread(copy.dir);
    assert.deepEqual(scripts.problems(), [], 'no dangling reference and docstrings agree');
    assert.deepEqual(scripts.map.children('prices_0001'), ['f45dc86c9ea4']);
    assert.deepEqual(scripts.map.dependents('prices_0001').sort(), ['af4a0f59c603', 'd165e1a65560']);
    assert.ok(!scripts.map.has('66205814b23b'));
    if (hasAlembic) assert.deepEqual(alembicHeads(copy.dir), ['f45dc86c9ea4']);
  });

  it('refuses a rename to an existing id, to forbidden characters, and on a branch label', async () => {
    const dir = path.join(fixtures, 'branch-labels');
    client = TestClient.inProcess();
    await client.initialize(dir);
    const file = fileOf(dir, 'b8027720effd');
    const text = fs.readFileSync(file, 'utf8');
    const position = positionOf(text, "revision = 'b802", 13);
    await assert.rejects(
      client.request('textDocument/rename', { textDocument: { uri: uri(file) }, position, newName: 'f491097517f3' }),
      /already exists/,
    );
    await assert.rejects(client.request('textDocument/rename', { textDocument: { uri: uri(file) }, position, newName: 'plans@1' }), /'@'/);
    await assert.rejects(client.request('textDocument/rename', { textDocument: { uri: uri(file) }, position, newName: 'accounts' }), /branch label/);

    const dependent = fileOf(dir, '192db78bc465');
    const withLabel = fs.readFileSync(dependent, 'utf8').replace('depends_on = None', "depends_on = 'billing'");
    client.open(dependent, withLabel);
    await assert.rejects(
      client.request('textDocument/prepareRename', { textDocument: { uri: uri(dependent) }, position: positionOf(withLabel, "depends_on = 'bil", 16) }),
      /branch label/,
    );
  });

  for (const trusted of [true, false]) {
    it(`"Create merge revision" writes a merge file that leaves one head (${trusted ? 'project template through Python' : 'untrusted: built-in template'})`, async function () {
      if (trusted && !hasAlembic) this.skip(); // /usr/bin/python3 lacks alembic: the project template cannot be rendered
      const copy = copyFixture('branch-labels');
      cleanup = copy.remove;
      // A marker in the project's template shows which rendering produced the file.
      const mako = path.join(copy.dir, 'migrations/script.py.mako');
      fs.writeFileSync(mako, fs.readFileSync(mako, 'utf8').replace('from alembic import op', '# project template\nfrom alembic import op'));
      client = TestClient.inProcess({ trusted, resolveSupport: true, settings: () => ({ python: SYSTEM_PYTHON }) });
      await client.initialize(copy.dir);
      // The several-heads problem sits on the first head (one per project).
      const head = fileOf(copy.dir, '192db78bc465');
      const d = await client.until(() => client.diagnostics.get(head)?.find((x) => x.code === 'multiple-heads'), 'multiple heads');
      const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: uri(head) }, range: d.range, context: { diagnostics: [d] } });
      const action = actions.find((a) => a.title === 'Create merge revision')!;
      assert.ok(action && !action.edit, 'the edit is computed on resolve');
      const resolved = await client.request<CodeAction>('codeAction/resolve', action);
      applyChanges(resolved.edit!);

      const created = fileURLToPath((resolved.edit!.documentChanges![0] as CreateFile).uri);
      const text = fs.readFileSync(created, 'utf8');
      assert.equal(text.includes('# project template'), trusted);
      assert.match(path.basename(created), /^[0-9a-f]{12}_merge_heads\.py$/);
      assert.match(text, /down_revision = \('192db78bc465', '56ad9a661cab'\)/);
      const scripts = await reread(copy.dir);
      const id = path.basename(created).slice(0, 12);
      assert.deepEqual(scripts.map.heads, [id]);
      assert.deepEqual(scripts.problems(), []);
      if (hasAlembic) assert.deepEqual(alembicHeads(copy.dir), [id]);
    });
  }

  it('runs as the bundled dist/server.js over --stdio', async function () {
    if (!fs.existsSync(path.join(repoRoot, 'dist/server.js'))) this.skip(); // run `npm run build` first
    const dir = path.join(fixtures, 'broken/missing-parent');
    client = TestClient.spawned();
    const init = await client.initialize(dir);
    assert.equal(init.serverInfo?.name, 'alembic-squash');
    const file = fileOf(dir, '69f2f70f3774');
    await client.until(() => client.diagnostics.get(file)?.some((d) => d.code === 'missing-parent'), 'missing-parent from the bundle');
    const child = fileOf(dir, '5c94367525f0');
    const text = fs.readFileSync(child, 'utf8');
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri: uri(child) }, position: positionOf(text, "down_revision = 'f2", 18) });
    assert.match((hover.contents as MarkupContent).value, /create users/);
  });
});
