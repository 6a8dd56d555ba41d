/**
 * Language server: how long a request on a small document waits while a huge document (1 MB, 3.9 MB)
 * is parsed again after an edit. The bundled server runs as its own process (`node dist/server.js
 * --stdio`, as editors start it), so the client's clock is not held up by the server's thread.
 *
 * Per size, 6 rounds: didChange of the huge document (a comment line appended) and, as an editor
 * does for the document in front of it, a documentLink request on it, answered once its full parse is
 * done ("edit → huge document answered", from didChange). 300 ms after the edit (the server's 150 ms
 * typing pause for large documents has passed, the parse is under way) a hover on a small migration
 * of the same project, timed from sending it to its answer. Median and max over the rounds.
 *
 * `LSP_SERVER=/path/to/server.js` measures another build (the "before" figures: the bundle of the
 * commit before the worker thread).
 * Run with `node --import tsx bench/lsp-huge.bench.ts` after `npm run build`.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';

const repo = path.resolve(__dirname, '..');
const serverJs = process.env.LSP_SERVER ?? path.join(repo, 'dist/server.js');
const ROUNDS = 6;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const f = (x: number) => `${Math.round(x)} ms`;

/** A migration of about `size` characters: a long upgrade() of create_table calls. */
function hugeMigration(size: number): string {
  let text = `"""huge\n\nRevision ID: ffff00000003\nRevises: 0d3b8f5a61c9\n"""\nfrom alembic import op\nimport sqlalchemy as sa\n\nrevision = 'ffff00000003'\ndown_revision = '0d3b8f5a61c9'\n\n\ndef upgrade():\n`;
  for (let i = 0; text.length < size; i++) text += `    op.create_table('t_${i}', sa.Column('id', sa.Integer(), primary_key=True), sa.Column('name', sa.String(50)))\n`;
  return text + '\n\ndef downgrade():\n    pass\n';
}

function position(text: string, needle: string, delta: number) {
  const before = text.slice(0, text.indexOf(needle) + delta).split('\n');
  return { line: before.length - 1, character: before[before.length - 1]!.length };
}

async function measure(size: number): Promise<string> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'alembic-squash-bench-lsp-'));
  const dir = path.join(root, 'linear');
  fs.cpSync(path.join(repo, 'test/fixtures/linear'), dir, { recursive: true });
  const versions = path.join(dir, 'migrations/versions');
  const big = path.join(versions, 'ffff00000003_huge.py');
  const text = hugeMigration(size);
  fs.writeFileSync(big, text);
  const small = path.join(versions, fs.readdirSync(versions).find((n) => n.startsWith('8a4e6b2c9f31'))!);
  const smallText = fs.readFileSync(small, 'utf8');

  const child = spawn(process.execPath, [serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const client = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  client.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => ({})));
  client.onRequest('client/registerCapability', () => null);
  client.onNotification('textDocument/publishDiagnostics', () => undefined);
  client.listen();
  await client.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(dir).href,
    workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'bench' }],
    capabilities: { workspace: { configuration: true } },
    initializationOptions: { trusted: false },
  });
  await client.sendNotification('initialized', {});
  const uri = pathToFileURL(big).href;
  const hoverBig = () => client.sendRequest('textDocument/hover', { textDocument: { uri }, position: position(text, "down_revision = '0d3b", 18) });
  const linksBig = () => client.sendRequest('textDocument/documentLink', { textDocument: { uri } });
  const hoverSmall = () => client.sendRequest('textDocument/hover', { textDocument: { uri: pathToFileURL(small).href }, position: position(smallText, "down_revision = '3f1c", 18) });
  await client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text } });
  await hoverBig();

  const waits: number[] = [];
  const parses: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t0 = performance.now();
    await client.sendNotification('textDocument/didChange', { textDocument: { uri, version: i + 2 }, contentChanges: [{ text: text + `# edit ${i}\n` }] });
    const answered = linksBig().then(() => parses.push(performance.now() - t0));
    await sleep(300);
    const t1 = performance.now();
    await hoverSmall();
    waits.push(performance.now() - t1);
    await answered;
  }
  client.dispose();
  child.kill();
  fs.rmSync(root, { recursive: true, force: true });
  return `${(text.length / 1e6).toFixed(1)} MB document: hover on a small document answered in median ${f(median(waits))} (max ${f(Math.max(...waits))}); edit → huge document answered median ${f(median(parses))}`;
}

void (async () => {
  console.log(`node ${process.version}, ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)}; server ${path.relative(process.cwd(), serverJs) || serverJs}; ${ROUNDS} rounds per size`);
  for (const size of [990_000, 3_900_000]) console.log(await measure(size));
  console.log(`load ${os.loadavg()[0]!.toFixed(1)} at the end`);
})();
