/**
 * Language server latency (brief: server). The server module runs in this process, connected to a
 * small JSON-RPC client over in-memory streams (vscode-jsonrpc StreamMessageReader/Writer on
 * PassThrough), so figures include message encoding and the workspace/configuration round trip the
 * server makes for multiple-heads diagnostics, but no process boundary.
 *
 * For synthetic projects of 1,000 revisions (linear, and branchy with a merged feature branch every
 * 25 revisions) it prints:
 *  - initialize → first publishDiagnostics (project discovery, reading and parsing 1,000 files, graph);
 *  - didChange → diagnostics of every affected file, median and p95 over 50 edits. Each edit is on an
 *    open file in the middle of the history and alternates between renaming its `revision` (its
 *    child loses its parent, with a "did you mean" search over all ids, and it becomes a second head:
 *    three files change) and restoring it (the three files clear). Timed from sending didChange to the
 *    arrival of the last of those publishDiagnostics.
 * Run with `npm run bench lsp`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { createConnection } from 'vscode-languageserver/node';
import { parseHeader } from '../src/core/parse';
import { startServer } from '../src/server/server';
import { writeSyntheticProject } from './synthetic';

const root = path.join(__dirname, '.data');
const EDITS = 50;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
const ms = (x: number) => `${x.toFixed(2)} ms`;

async function run(branchy: boolean): Promise<void> {
  const dir = writeSyntheticProject(root, 1000, branchy);
  const versions = path.join(dir, 'migrations', 'versions');

  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const serverConnection = createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
  startServer(serverConnection);
  const client = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  const diagnostics = new Map<string, Diagnostic[]>();
  let onPublish: () => void = () => undefined;
  client.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    diagnostics.set(fileURLToPath(p.uri), p.diagnostics);
    onPublish();
  });
  client.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => ({})));
  client.onRequest('client/registerCapability', () => null);
  client.listen();
  const until = (test: () => boolean) =>
    new Promise<number>((resolve) => {
      if (test()) return resolve(performance.now());
      onPublish = () => {
        if (test()) {
          onPublish = () => undefined;
          resolve(performance.now());
        }
      };
    });

  const files = fs.readdirSync(versions).filter((f) => f.endsWith('.py')).sort();
  const t0 = performance.now();
  await client.sendRequest('initialize', {
    processId: null,
    rootUri: pathToFileURL(dir).href,
    workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'bench' }],
    capabilities: { workspace: { configuration: true } },
    initializationOptions: { trusted: false },
  });
  await client.sendNotification('initialized', {});
  // A broken file on disk gives the first diagnostics something to show.
  const text = (f: string) => fs.readFileSync(path.join(versions, f), 'utf8');
  const ids = new Map(files.map((f) => [f.slice(0, 12), f]));
  const headers = new Map(files.map((f) => [f.slice(0, 12), parseHeader(text(f))]));
  const childrenOf = new Map<string, string[]>();
  for (const [id, m] of headers) for (const d of m.downRevisions) childrenOf.set(d, [...(childrenOf.get(d) ?? []), id]);
  // The edited revision: a linear stretch in the middle (one parent, one child, not on a feature branch).
  const order = files.map((f) => f.slice(0, 12));
  const single = (id: string) => childrenOf.get(id)?.length === 1 && headers.get(id)!.downRevisions.length === 1;
  const edited = order.find((id, i) => i > 480 && single(id) && single(childrenOf.get(id)![0]!))!;
  const editedFile = path.join(versions, ids.get(edited)!);
  const childFile = path.join(versions, ids.get(childrenOf.get(edited)![0]!)!);
  const original = fs.readFileSync(editedFile, 'utf8');
  const broken = original.replace(`revision: str = '${edited}'`, `revision: str = '${edited}x'`);
  const uri = pathToFileURL(editedFile).href;
  await client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text: broken } });
  const first = (await until(() => (diagnostics.get(childFile)?.length ?? 0) > 0)) - t0;

  const headsOf = () => [...diagnostics].filter(([, ds]) => ds.some((d) => d.code === 'multiple-heads')).map(([p]) => p);
  const brokenState = () =>
    !!diagnostics.get(childFile)?.some((d) => d.code === 'missing-parent') &&
    !!diagnostics.get(editedFile)?.some((d) => d.code === 'multiple-heads') &&
    headsOf().length === 2;
  const cleanState = () => diagnostics.get(childFile)?.length === 0 && diagnostics.get(editedFile)?.length === 0 && headsOf().length === 0;
  await until(brokenState);

  const times: number[] = [];
  for (let i = 0; i < EDITS; i++) {
    const restore = i % 2 === 0;
    const t = performance.now();
    await client.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: i + 2 },
      contentChanges: [{ text: restore ? original : broken }],
    });
    times.push((await until(restore ? cleanState : brokenState)) - t);
  }
  const label = branchy ? 'branchy-1000' : 'linear-1000';
  console.log(`${label}: initialize → first diagnostics ${ms(first)}`);
  console.log(`${label}: didChange → all affected files' diagnostics (3 files) median ${ms(pct(times, 0.5))}, p95 ${ms(pct(times, 0.95))} over ${EDITS} edits`);
  client.dispose();
  serverConnection.dispose();
}

(async () => {
  fs.mkdirSync(root, { recursive: true });
  console.log(`node ${process.version}, in-process server over in-memory streams`);
  console.log('(first diagnostics: the edited file is opened already broken right after initialized, so there is a problem to publish)');
  await run(false);
  if (!process.env.LSP_BENCH_LINEAR_ONLY) await run(true);
})();
