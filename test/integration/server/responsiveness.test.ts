import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { loadProject } from '../../../src/core/project';
import { ScriptDirectory } from '../../../src/core/scripts';
import { projectDiagnostics } from '../../../src/server/diagnostics';
import { TestClient, copyFixture, fileOf, positionOf, uri } from './client';

/** One huge document must not hold up the requests of the others, and stale edits are never parsed. */
describe('language server: a huge document does not block the others', function () {
  this.timeout(120_000);
  let client: TestClient;
  let cleanup = () => undefined as void;
  afterEach(async () => {
    await client?.dispose();
    cleanup();
  });

  it('a hover on another document is answered before the huge document\'s rapid edits are parsed; only the newest edit counts', async () => {
    const copy = copyFixture('linear');
    cleanup = copy.remove;
    const big = path.join(copy.dir, 'migrations/versions/ffff00000001_big.py');
    let text = `"""big\n\nRevision ID: ffff00000001\nRevises: 0d3b8f5a61c9\n"""\nrevision = 'ffff00000001'\ndown_revision = '0d3b8f5a61c9'\n`;
    for (let i = 0; i < 8000; i++) text += `X_${i} = X_${Math.max(0, i - 1)} + 1\n`;
    text += 'def upgrade():\n    pass\n\ndef downgrade():\n    pass\n';
    fs.writeFileSync(big, text);
    client = TestClient.inProcess();
    await client.initialize(copy.dir);
    client.open(big, text);
    // A request on the big document makes the server read it first.
    await client.request<Hover>('textDocument/hover', { textDocument: { uri: uri(big) }, position: positionOf(text, "revision = 'ffff", 13) });

    const events: string[] = [];
    const other = fileOf(copy.dir, '8a4e6b2c9f31');
    const otherText = fs.readFileSync(other, 'utf8');
    // Five edits in a row; the last one breaks the file at its end.
    for (let i = 1; i <= 4; i++) client.change(big, text + `Y_${i} = ${i}\n`);
    client.change(big, text + 'Z = (\n');
    const hover = client.request<Hover>('textDocument/hover', { textDocument: { uri: uri(other) }, position: positionOf(otherText, "down_revision = '3f1c", 18) }).then((h) => {
      events.push('hover');
      return h;
    });
    const broken = client.until(() => client.codes(big).includes('syntax-error'), 'the newest edit\'s syntax error', 60_000).then(() => events.push('big parsed'));
    const h = await hover;
    await broken;
    assert.match((h.contents as MarkupContent).value, /create users table/);
    assert.deepEqual(events, ['hover', 'big parsed']);
    // The diagnostic is the newest text's: the unclosed bracket on the last line.
    const d = client.diagnostics.get(big)!.find((x) => x.code === 'syntax-error')!;
    assert.ok(d.range.start.line >= text.split('\n').length - 1, JSON.stringify(d.range));
  });
});

/**
 * The full parse of a multi-megabyte document runs on a worker thread: requests on other documents
 * are answered while it runs, and what it publishes is what the same parse gives in this thread.
 */
describe('language server: full parses of huge documents run off the request thread', function () {
  this.timeout(300_000);
  let client: TestClient;
  let cleanup = () => undefined as void;
  afterEach(async () => {
    await client?.dispose();
    cleanup();
  });

  /** A migration of about `size` characters (a long upgrade()), with a syntax error on its last line. */
  function hugeMigration(size: number): string {
    let text = `"""huge\n\nRevision ID: ffff00000002\nRevises: 0d3b8f5a61c9\n"""\nfrom alembic import op\nimport sqlalchemy as sa\n\nrevision = 'ffff00000002'\ndown_revision = '0d3b8f5a61c9'\n\n\ndef upgrade():\n`;
    for (let i = 0; text.length < size; i++) text += `    op.create_table('t_${i}', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('name', sa.String(50)))\n`;
    return text + '\n\ndef downgrade():\n    pass\n\nZ = (\n';
  }

  it('a hover on another document is answered while a 3.9 MB document is parsed; its diagnostics equal the in-thread parse\'s', async () => {
    const copy = copyFixture('linear');
    cleanup = copy.remove;
    const big = path.join(copy.dir, 'migrations/versions/ffff00000002_huge.py');
    const text = hugeMigration(3_900_000);
    fs.writeFileSync(big, 'revision = None\n');
    client = TestClient.inProcess();
    await client.initialize(copy.dir);
    const workspace = client.handle!.workspace;
    const other = fileOf(copy.dir, '8a4e6b2c9f31');
    const otherText = fs.readFileSync(other, 'utf8');
    client.open(big, 'revision = None\n');
    await client.request('textDocument/hover', { textDocument: { uri: uri(big) }, position: { line: 0, character: 0 } });

    const events: string[] = [];
    client.change(big, text);
    // The edit reached the server and was queued, then taken (its timer fired, the header is read):
    // the full parse is under way.
    await until(() => workspace.isPending(big));
    await until(() => !workspace.isPending(big));
    const parsed = workspace.settled(big).then(() => events.push('huge document parsed'));
    const h = await client.request<Hover>('textDocument/hover', { textDocument: { uri: uri(other) }, position: positionOf(otherText, "down_revision = '3f1c", 18) });
    events.push('hover on another document');
    await parsed;
    await client.until(() => client.codes(big).includes('syntax-error'), 'the huge document\'s syntax error', 240_000);
    assert.match((h.contents as MarkupContent).value, /create users table/);
    assert.deepEqual(events, ['hover on another document', 'huge document parsed']);

    // The same diagnostics as the full parse in this thread gives (same ranges, codes, words).
    const project = loadProject(copy.dir);
    const scripts = await ScriptDirectory.load(project, { full: true, overlays: new Map([[big, text]]) });
    const expected = projectDiagnostics({ project, scripts, folder: copy.dir }).get(big);
    assert.ok(expected?.some((d) => d.code === 'syntax-error'));
    assert.deepEqual(client.diagnostics.get(big), expected);
    // A request on the huge document itself is answered too (after its parse).
    const onBig = await client.request<Hover>('textDocument/hover', { textDocument: { uri: uri(big) }, position: positionOf(text, "down_revision = '0d3b", 18) });
    assert.match((onBig.contents as MarkupContent).value, /0d3b8f5a61c9/);
  });
});

/** Resolves once `test` holds, checking after each turn of the event loop (no fixed waits). */
async function until(test: () => boolean): Promise<void> {
  while (!test()) await new Promise((r) => setImmediate(r));
}
