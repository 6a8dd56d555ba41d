import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadProject } from '../../src/core/project';
import { parseHeader, parseMigration } from '../../src/core/parse';
import { readSource, ScriptDirectory } from '../../src/core/scripts';
import { copyProject } from './squashFaults';

/**
 * Mutations of our fixtures' migration files, read the way `check` reads them. A run fails on a
 * crash (an exception out of the reader), a hang (over `hangMs` for one file), a file that vanishes
 * (neither a revision nor a problem), or an answer that differs between two reads.
 */
const repoRoot = path.resolve(__dirname, '../..');
const cli = path.join(repoRoot, 'dist/cli.js');

export const MUTATIONS = ['truncate', 'deep-brackets', 'deep-blocks', 'huge', 'invalid-utf8', 'nul', 'flip', 'lines'] as const;
export type Mutation = (typeof MUTATIONS)[number];

export function mutate(bytes: Buffer, kind: Mutation, r: () => number): Buffer {
  const at = Math.floor(r() * bytes.length);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  switch (kind) {
    case 'truncate':
      return bytes.subarray(0, at);
    case 'deep-brackets': {
      const k = pick([50, 150, 199, 200, 201, 500, 5000]);
      return Buffer.concat([bytes, Buffer.from(`\nX = ${'('.repeat(k)}1${')'.repeat(r() < 0.5 ? k : Math.floor(k / 2))}\n`)]);
    }
    case 'deep-blocks': {
      const k = pick([20, 99, 100, 150]);
      return Buffer.concat([bytes, Buffer.from('\n' + Array.from({ length: k }, (_, i) => ' '.repeat(i) + 'if x:\n').join('') + ' '.repeat(k) + 'pass\n')]);
    }
    case 'huge': {
      const n = pick([1000, 2000, 4000, 8000]);
      const body = Array.from({ length: n }, (_, i) => `X_${i} = X_${Math.max(0, i - 1)} + 1\n`).join('');
      return Buffer.concat([bytes.subarray(0, at), Buffer.from('\n' + body), bytes.subarray(at)]);
    }
    case 'invalid-utf8':
      return Buffer.concat([bytes.subarray(0, at), Buffer.from([pick([0x80, 0xc3, 0xe9, 0xff, 0xfe, 0xed])]), bytes.subarray(at)]);
    case 'nul':
      return Buffer.concat([bytes.subarray(0, at), Buffer.from([0]), bytes.subarray(at)]);
    case 'flip': {
      const out = Buffer.from(bytes);
      for (let i = 0; i < 1 + Math.floor(r() * 8); i++) out[Math.floor(r() * out.length)] = pick([0x28, 0x29, 0x27, 0x22, 0x0a, 0x20, 0x3a, 0x23, 0x5b]);
      return out;
    }
    case 'lines': {
      const lines = bytes.toString('utf8').split('\n');
      const i = Math.floor(r() * lines.length);
      if (r() < 0.5) lines.splice(i, 1);
      else lines.splice(i, 0, lines[Math.floor(r() * lines.length)]!);
      return Buffer.from(lines.join('\n'));
    }
  }
}

export interface FuzzCase {
  fixture: string;
  file: string;
  kind: Mutation;
}

export interface FuzzResult {
  crashes: { case: FuzzCase; error: string }[];
  hangs: FuzzCase[];
  vanished: FuzzCase[];
  nondeterministic: FuzzCase[];
  files: number;
  byKind: Record<string, number>;
  slowestMs: number;
}

/** Fixtures with an alembic.ini and their migration files. */
export function fuzzTargets(): { fixture: string; files: string[] }[] {
  const root = path.join(repoRoot, 'test/fixtures');
  return ['linear', 'branch-merge', 'depends-on', 'views-functions-triggers', 'data-migrations', 'helpers-clash', 'merge-three', 'partial-downgrade']
    .filter((f) => fs.existsSync(path.join(root, f, 'alembic.ini')))
    .map((fixture) => {
      const versions = path.join(root, fixture, 'migrations/versions');
      return { fixture, files: fs.existsSync(versions) ? fs.readdirSync(versions).filter((f) => f.endsWith('.py')).map((f) => path.join('migrations/versions', f)) : [] };
    })
    .filter((t) => t.files.length);
}

async function read(dir: string): Promise<string> {
  const scripts = await ScriptDirectory.load(loadProject(dir), { full: true });
  return JSON.stringify({ heads: scripts.map.heads, size: scripts.map.size, problems: scripts.problems().map((p) => [path.relative(dir, p.path), p.code, p.line, p.column, p.message]) });
}

/** One file read as `check` reads it (bytes → text and read problems → full parse), as comparable text. */
function readOne(file: string): { text: string; migration: ReturnType<typeof parseMigration> } {
  const source = readSource(file)!;
  const migration = parseMigration(source.text);
  migration.problems = [...source.problems, ...migration.problems];
  return { text: JSON.stringify({ r: migration.revision, d: migration.downRevisions, p: migration.problems, h: parseHeader(source.text).revision }), migration };
}

/**
 * In-process: `count` mutated files, each read twice; every `projectEvery`-th one also through the
 * whole project (graph and problems, as `check` does), twice. Stops early at `deadline` (ms since the
 * epoch) and says how many were done.
 */
export async function fuzzCheck(count: number, r: () => number, hangMs = 30_000, onProgress?: (n: number) => void, projectEvery = 10, deadline = Infinity): Promise<FuzzResult> {
  const result: FuzzResult = { crashes: [], hangs: [], vanished: [], nondeterministic: [], files: 0, byKind: {}, slowestMs: 0 };
  const targets = fuzzTargets();
  const copies = new Map<string, string>();
  try {
    for (let i = 0; i < count; i++) {
      const t = targets[Math.floor(r() * targets.length)]!;
      const file = t.files[Math.floor(r() * t.files.length)]!;
      const kind = MUTATIONS[Math.floor(r() * MUTATIONS.length)]!;
      if (!copies.has(t.fixture)) copies.set(t.fixture, copyProject(t.fixture));
      const dir = copies.get(t.fixture)!;
      const target = path.join(dir, file);
      const original = fs.readFileSync(path.join(repoRoot, 'test/fixtures', t.fixture, file));
      fs.writeFileSync(target, mutate(original, kind, r));
      const c: FuzzCase = { fixture: t.fixture, file, kind };
      result.files++;
      result.byKind[kind] = (result.byKind[kind] ?? 0) + 1;
      try {
        const start = Date.now();
        const a = readOne(target);
        const ms = Date.now() - start;
        result.slowestMs = Math.max(result.slowestMs, ms);
        if (ms > hangMs) result.hangs.push(c);
        if (a.text !== readOne(target).text) result.nondeterministic.push(c);
        if (i % projectEvery === 0 && (await read(dir)) !== (await read(dir))) result.nondeterministic.push(c);
        // The mutated file is either a revision or carries a problem: it never silently vanishes.
        // (A mutation that destroyed the `revision =` line itself makes a plain module, as for Python.)
        const m = a.migration;
        if (!m.isRevision && m.problems.length === 0 && /^revision\s*(:[^=\n]*)?=/m.test(fs.readFileSync(target, 'latin1'))) {
          result.vanished.push(c);
        }
      } catch (error) {
        result.crashes.push({ case: c, error: (error as Error).stack ?? String(error) });
      }
      fs.writeFileSync(target, original);
      onProgress?.(i + 1);
      if (Date.now() > deadline) break;
    }
  } finally {
    for (const dir of copies.values()) fs.rmSync(dir, { recursive: true, force: true });
  }
  return result;
}

/** Through the CLI: `check --json` twice on the same mutated project, in two fresh processes. */
export function fuzzCheckCli(count: number, r: () => number, hangMs = 120_000): FuzzResult {
  const result: FuzzResult = { crashes: [], hangs: [], vanished: [], nondeterministic: [], files: 0, byKind: {}, slowestMs: 0 };
  const targets = fuzzTargets();
  for (let i = 0; i < count; i++) {
    const t = targets[Math.floor(r() * targets.length)]!;
    const file = t.files[Math.floor(r() * t.files.length)]!;
    const kind = MUTATIONS[Math.floor(r() * MUTATIONS.length)]!;
    const dir = copyProject(t.fixture);
    const c: FuzzCase = { fixture: t.fixture, file, kind };
    try {
      fs.writeFileSync(path.join(dir, file), mutate(fs.readFileSync(path.join(dir, file)), kind, r));
      result.files++;
      result.byKind[kind] = (result.byKind[kind] ?? 0) + 1;
      const outs = [0, 1].map(() => {
        const start = Date.now();
        const p = spawnSync(process.execPath, [cli, 'check', dir, '--json'], { encoding: 'utf8', timeout: hangMs, env: { ...process.env, ALEMBIC_SQUASH_NO_CACHE: '1' } });
        result.slowestMs = Math.max(result.slowestMs, Date.now() - start);
        return p;
      });
      if (outs.some((o) => o.error)) result.hangs.push(c);
      else if (outs.some((o) => (o.status !== 0 && o.status !== 1) || o.stderr.trim())) result.crashes.push({ case: c, error: `exit ${outs.map((o) => o.status)}: ${outs[0]!.stderr.slice(0, 300)}` });
      else if (outs[0]!.stdout !== outs[1]!.stdout) result.nondeterministic.push(c);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  return result;
}
