import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CodeLens, CompletionItem, DocumentLink, Hover, Location, MarkupContent, WorkspaceSymbol } from 'vscode-languageserver-protocol';
import { TestClient, fileOf, fixtures, positionOf, uri } from './client';

describe('language server: navigation on revision ids', function () {
  let client: TestClient;
  afterEach(async () => client?.dispose());

  async function start(fixture: string, settings?: (scope: string) => unknown): Promise<string> {
    const dir = path.join(fixtures, fixture);
    client = TestClient.inProcess({ settings });
    await client.initialize(dir);
    return dir;
  }

  it('hovers a down_revision id with the parent message, file link, date, parents and children', async () => {
    const dir = await start('linear');
    const file = fileOf(dir, '8a4e6b2c9f31');
    const text = fs.readFileSync(file, 'utf8');
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri: uri(file) }, position: positionOf(text, "down_revision = '3f1c", 18) });
    const md = (hover.contents as MarkupContent).value;
    assert.match(md, /create users table/);
    assert.match(md, /Revision `3f1c2a9b7d10` · base/);
    assert.ok(md.includes(uri(fileOf(dir, '3f1c2a9b7d10'))), md);
    assert.match(md, /Children: `8a4e6b2c9f31`/);
    assert.match(md, /Created: 2024-/);
    // The hover covers the quoted id, not the whole line.
    const line = text.split('\n')[hover.range!.start.line]!;
    assert.equal(line.slice(hover.range!.start.character, hover.range!.end.character), "'3f1c2a9b7d10'");
  });

  it('hovers a merge revision as a merge point, and a labelled base with its branch label', async () => {
    let dir = await start('branch-merge');
    let file = fileOf(dir, 'ccfb5e658949');
    let text = fs.readFileSync(file, 'utf8');
    let hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri: uri(file) }, position: positionOf(text, "revision = 'ccfb", 13) });
    assert.match((hover.contents as MarkupContent).value, /merge point/);
    await client.dispose();

    dir = await start('branch-labels');
    file = fileOf(dir, 'f491097517f3');
    text = fs.readFileSync(file, 'utf8');
    hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri: uri(file) }, position: positionOf(text, "revision = 'f491", 13) });
    const md = (hover.contents as MarkupContent).value;
    assert.match(md, /Branch labels: `accounts`/);
    assert.match(md, /base/);
  });

  it('goes to the revision line of the file a depends_on id names', async () => {
    const dir = await start('depends-on');
    const file = fileOf(dir, 'af4a0f59c603');
    const text = fs.readFileSync(file, 'utf8');
    const loc = await client.request<Location>('textDocument/definition', { textDocument: { uri: uri(file) }, position: positionOf(text, "depends_on = '6620", 15) });
    const target = fileOf(dir, '66205814b23b');
    assert.equal(loc.uri, uri(target));
    const line = fs.readFileSync(target, 'utf8').split('\n')[loc.range.start.line]!;
    assert.match(line, /^revision = '66205814b23b'/);
  });

  it('finds the down_revision and depends_on strings that name a revision, across files', async () => {
    const dir = await start('depends-on');
    const file = fileOf(dir, '66205814b23b');
    const text = fs.readFileSync(file, 'utf8');
    const refs = await client.request<Location[]>('textDocument/references', {
      textDocument: { uri: uri(file) },
      position: positionOf(text, "revision = '6620", 13),
      context: { includeDeclaration: false },
    });
    const where = refs.map((r) => {
      const line = fs.readFileSync(new URL(r.uri), 'utf8').split('\n')[r.range.start.line]!;
      return `${path.basename(new URL(r.uri).pathname).slice(0, 12)} ${line.slice(r.range.start.character, r.range.end.character)}`;
    });
    assert.deepEqual(where.sort(), [
      "af4a0f59c603 '66205814b23b'",
      "d165e1a65560 '66205814b23b'",
      "f45dc86c9ea4 '66205814b23b'",
    ]);
  });

  it('links each parent and dependency id to its file', async () => {
    const dir = await start('depends-on');
    const file = fileOf(dir, 'd165e1a65560');
    const links = await client.request<DocumentLink[]>('textDocument/documentLink', { textDocument: { uri: uri(file) } });
    const targets = links.map((l) => path.basename(new URL(l.target!).pathname)).sort();
    assert.deepEqual(targets, ['66205814b23b_product_prices.py', 'af4a0f59c603_create_stock_levels.py']);
  });

  it('completes ids inside down_revision with heads first and never the file itself or its descendants', async () => {
    const dir = await start('branch-labels');
    const file = fileOf(dir, '18cc5ff2f572');
    const text = fs.readFileSync(file, 'utf8');
    const items = await client.request<CompletionItem[]>('textDocument/completion', {
      textDocument: { uri: uri(file) },
      position: positionOf(text, "down_revision = 'b802", 18),
    });
    const labels = [...items].sort((a, b) => a.sortText!.localeCompare(b.sortText!)).map((i) => i.label);
    assert.equal(labels[0], '192db78bc465', 'the only head that is not a descendant comes first');
    assert.ok(!labels.includes('18cc5ff2f572') && !labels.includes('56ad9a661cab'), labels.join());
    assert.deepEqual([...labels].sort(), ['192db78bc465', 'b8027720effd', 'f491097517f3']);
    const plans = items.find((i) => i.label === 'b8027720effd')!;
    assert.equal(plans.detail, 'create billing plans');
  });

  it('completes branch labels in depends_on while the string is still being typed', async () => {
    const dir = await start('branch-labels');
    const file = fileOf(dir, '192db78bc465');
    const text = fs.readFileSync(file, 'utf8').replace('depends_on = None', "depends_on = 'bil");
    client.open(file, text);
    const items = await client.request<CompletionItem[]>('textDocument/completion', {
      textDocument: { uri: uri(file) },
      position: positionOf(text, "depends_on = 'bil", 17),
    });
    const billing = items.find((i) => i.label === 'billing');
    assert.ok(billing, items.map((i) => i.label).join());
    assert.match(billing!.detail!, /b8027720effd/);
  });

  it('puts "N children · Squash up to here" on the revision line, unless the setting turns it off', async () => {
    let dir = await start('branch-merge');
    let file = fileOf(dir, '4f94869fcc4b');
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: uri(file) } });
    assert.equal(lenses.length, 1);
    assert.equal(lenses[0]!.command!.title, '2 children · Squash up to here');
    assert.equal(lenses[0]!.command!.command, 'alembicSquash.squashUpToHere');
    assert.deepEqual(lenses[0]!.command!.arguments, [{ configPath: path.join(dir, 'alembic.ini'), here: dir, revision: '4f94869fcc4b' }]);
    const line = fs.readFileSync(file, 'utf8').split('\n')[lenses[0]!.range.start.line]!;
    assert.match(line, /^revision = '4f94869fcc4b'/);
    await client.dispose();

    dir = await start('branch-merge', () => ({ lsp: { codeLens: false } }));
    file = fileOf(dir, '4f94869fcc4b');
    assert.deepEqual(await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: uri(file) } }), []);
  });

  it('finds revisions by message or id in workspace symbols, inside the project', async () => {
    const dir = await start('linear');
    const byMessage = await client.request<WorkspaceSymbol[]>('workspace/symbol', { query: 'teams' });
    assert.deepEqual(byMessage.map((s) => s.name).sort(), ['8a4e6b2c9f31 add teams and user membership', 'e91a4d6c0b27 rename teams to organizations']);
    assert.equal(byMessage[0]!.containerName, 'linear');
    const byId = await client.request<WorkspaceSymbol[]>('workspace/symbol', { query: '0d3b8f' });
    assert.equal(byId.length, 1);
    assert.equal((byId[0]!.location as Location).uri, uri(fileOf(dir, '0d3b8f5a61c9')));
  });
});
