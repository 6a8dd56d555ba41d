import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Hover, MarkupContent } from 'vscode-languageserver-protocol';
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
