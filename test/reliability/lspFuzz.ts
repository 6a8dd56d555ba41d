import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Hover } from 'vscode-languageserver-protocol';
import { TestClient, copyFixture, fileOf, positionOf, uri } from '../integration/server/client';
import { MUTATIONS, mutate } from './fuzz';

export interface LspFuzzResult {
  documents: number;
  /** A request on another document not answered within hangMs. */
  hangs: number;
  /** The server stopped answering or threw. */
  crashes: string[];
  slowestMs: number;
}

/** `p`, or 'hang' after `ms` (the timer is cleared when `p` settles, so it never holds the process open). */
async function within<T>(p: Promise<T>, ms: number): Promise<T | 'hang'> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<'hang'>((r) => (timer = setTimeout(() => r('hang'), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The language server fed mutated documents (opened, then edited twice); after each, a hover on
 * another document must be answered: the server neither dies nor stalls on any input.
 */
export async function fuzzLanguageServer(count: number, r: () => number, hangMs = 30_000): Promise<LspFuzzResult> {
  const result: LspFuzzResult = { documents: 0, hangs: 0, crashes: [], slowestMs: 0 };
  const copy = copyFixture('linear');
  const client = TestClient.inProcess();
  try {
    await client.initialize(copy.dir);
    const versions = path.join(copy.dir, 'migrations/versions');
    const files = fs.readdirSync(versions).filter((f) => f.endsWith('.py')).map((f) => path.join(versions, f));
    const other = fileOf(copy.dir, '8a4e6b2c9f31');
    const otherText = fs.readFileSync(other, 'utf8');
    for (let i = 0; i < count; i++) {
      const target = files[Math.floor(r() * files.length)]!;
      if (target === other) continue;
      const kind = MUTATIONS[Math.floor(r() * MUTATIONS.length)]!;
      const text = mutate(fs.readFileSync(target), kind, r).toString('utf8');
      result.documents++;
      client.open(target, text);
      client.change(target, text + '\n# edit\n');
      client.change(target, text.slice(0, Math.floor(text.length * r())));
      const start = Date.now();
      try {
        const answer = await within(
          client.request<Hover>('textDocument/hover', { textDocument: { uri: uri(other) }, position: positionOf(otherText, "down_revision = '3f1c", 18) }),
          hangMs,
        );
        result.slowestMs = Math.max(result.slowestMs, Date.now() - start);
        if (answer === 'hang') result.hangs++;
        // And on the mutated document itself (this makes the server read it now).
        const own = await within(client.request('textDocument/hover', { textDocument: { uri: uri(target) }, position: { line: 0, character: 0 } }), hangMs);
        if (own === 'hang') result.hangs++;
      } catch (error) {
        result.crashes.push(`${kind} on ${path.basename(target)}: ${(error as Error).message}`);
      }
      client.close(target);
    }
  } finally {
    await client.dispose();
    copy.remove();
  }
  return result;
}
