/**
 * Verify speed. On generated 50- and 200-revision projects (tables with FKs, columns, indexes, a lookup table
 * with seed rows, a view, a plpgsql function + trigger; bench/.data/realistic-N), squashed base..head:
 *  - cold: verifySquash with the local back end (initdb + start, both chains, capture, compare,
 *    downgrade round trip, cleanup), total and per phase;
 *  - bare: `/usr/bin/python3 -m alembic upgrade head` of the same chain into a fresh database of one
 *    cluster started beforehand (only the upgrade is timed) — the floor a verify is measured against;
 *  - warm: verifySquash given an already running server (VerifyOptions.server);
 *  - where the time goes: Python + Alembic start-up, pg_dump, catalog queries, one seed-data capture.
 * Medians of 3 runs. Prints the figures, then writes them to the "## Verify" section of
 * bench/RESULTS.md (other sections are kept). Run with `npm run bench verify`.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { checkAlembic } from '../src/core/alembic';
import { startServer } from '../src/core/postgres';
import { loadProject } from '../src/core/project';
import { captureData, captureSchema } from '../src/core/schema';
import { prepareSquash } from '../src/core/squash';
import { verifySquash, type VerifyPhase, type VerifyResult } from '../src/core/verify';
import { writeRealisticProject } from './synthetic';

const PYTHON = '/usr/bin/python3';
process.env.ALEMBIC_SQUASH_PYTHON = PYTHON;
const RUNS = 3;
const PHASES: VerifyPhase[] = ['start', 'migrate-chain', 'migrate-squash', 'capture', 'compare', 'downgrade', 'cleanup'];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const s = (x: number) => `${(x / 1000).toFixed(2)} s`;

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, value };
}

function phaseMedians(results: VerifyResult[]): Record<string, number> {
  const out: Record<string, number> = { total: median(results.map((r) => r.totalMs)) };
  for (const p of PHASES) out[p] = median(results.map((r) => r.timings[p] ?? 0));
  return out;
}

async function measure(count: number): Promise<string[]> {
  const dir = writeRealisticProject(path.join(__dirname, '.data'), count);
  const project = loadProject(dir);
  const prep = await timed(() => prepareSquash({ project, from: 'base', to: 'head', python: PYTHON }));
  const prepared = prep.value;
  const options = {
    project,
    python: PYTHON,
    provider: { provider: 'local' as const },
    candidate: { kind: 'edits' as const, edits: prepared.edits },
    to: 'heads',
    downgradeTo: 'base',
  };

  const cold: VerifyResult[] = [];
  for (let i = 0; i < RUNS; i++) {
    const r = await verifySquash(options);
    if (!r.equal) throw new Error(`the bench squash is not equal:\n${r.unifiedDiff}`);
    cold.push(r);
  }

  const { server, choice } = await startServer({ provider: 'local' });
  const bare: number[] = [];
  const warm: VerifyResult[] = [];
  const breakdown = { python: [] as number[], dump: [] as number[], catalog: [] as number[], data: [] as number[] };
  try {
    for (let i = 0; i < RUNS; i++) {
      const db = await server.createDatabase();
      try {
        const t = performance.now();
        const r = spawnSync(PYTHON, ['-m', 'alembic', '-c', path.join(dir, 'alembic.ini'), '-x', `url=${db.url}`, 'upgrade', 'head'], { cwd: dir, encoding: 'utf8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
        bare.push(performance.now() - t);
        if (r.status !== 0) throw new Error(`alembic upgrade head failed:\n${r.stderr}`);
        breakdown.python.push((await timed(() => checkAlembic(PYTHON))).ms);
        const dump = await timed(() => server.dumpSchema(db));
        breakdown.dump.push(dump.ms);
        const client = new Client({ host: db.host, port: db.port, user: db.user, database: db.name });
        await client.connect();
        try {
          breakdown.catalog.push((await timed(() => captureSchema({ dumpText: dump.value, client }))).ms);
          breakdown.data.push((await timed(() => captureData(client, {}))).ms);
        } finally {
          await client.end();
        }
      } finally {
        await server.dropDatabase(db);
      }
    }
    for (let i = 0; i < RUNS; i++) warm.push(await verifySquash({ ...options, server: { server, choice } }));
  } finally {
    await server.dispose();
  }

  const c = phaseMedians(cold);
  const w = phaseMedians(warm);
  const bareMs = median(bare);
  const row = (name: string, x: Record<string, number>) => `| ${name} | ${s(x.total!)} | ${PHASES.map((p) => s(x[p]!)).join(' | ')} |`;
  const lines = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB, Node ${process.version}, ${server.description.replace(/ in \/\S+/, '')}, Alembic via ${PYTHON}; load average ${os.loadavg().map((x) => x.toFixed(1)).join(' / ')} (1/5/15 min) at the end.`,
    '',
    `Method: a generated ${count}-revision chain (\`writeRealisticProject\` in bench/synthetic.ts: ${fs.readdirSync(path.join(dir, 'migrations', 'versions')).filter((f) => f.endsWith('.py')).length} files; tables with FKs and identity columns, added columns, indexes, check constraints, a lookup table with bulk_insert seed rows and later INSERTs, a view, a plpgsql function with a trigger), squashed base..head in memory (prepareSquash ${s(prep.ms)}), then verified: both sides upgraded to head (each side's Alembic commands in one long-lived driver, the two sides in parallel), schema + seed data compared, both downgraded to base and judged against a fresh database. Medians of ${RUNS} runs. "cold" starts its own local cluster each time; "warm" passes a running server in \`VerifyOptions.server\`; "bare upgrade" is \`python3 -m alembic upgrade head\` of the chain into a fresh database of an already running cluster (only the upgrade is timed). Phases overlap: migrate-chain and migrate-squash run at the same time, so the total is less than their sum.`,
    '',
    `| run | total | ${PHASES.join(' | ')} |`,
    `|---|---|${PHASES.map(() => '---').join('|')}|`,
    row('cold (local)', c),
    row('warm (reused server)', w),
    `| bare \`alembic upgrade head\` | ${s(bareMs)} | | | | | | | |`,
    '',
    `Where the time goes (one database at head): Python + Alembic import ${s(median(breakdown.python))}; pg_dump -s ${s(median(breakdown.dump))}; catalog queries + normalize ${s(median(breakdown.catalog))}; seed-data capture ${s(median(breakdown.data))}.`,
    '',
    'Targets:',
    `- cold total ≤ 2.5× the bare upgrade (${s(2.5 * bareMs)}): ${(c.total! / bareMs).toFixed(1)}× — ${c.total! <= 2.5 * bareMs ? 'met' : 'missed'}`,
    `- reused server ≤ 2 s: ${s(w.total!)} — ${w.total! <= 2000 ? 'met' : 'missed'}`,
  ];
  console.log(lines.join('\n'));
  return lines;
}

async function main() {
  const text = [`### 50 revisions`, '', ...(await measure(50)), '', `### 200 revisions`, '', ...(await measure(200))].join('\n');
  const results = path.join(__dirname, 'RESULTS.md');
  const existing = fs.existsSync(results) ? fs.readFileSync(results, 'utf8') : '# Benchmarks\n';
  const section = `## Verify\n\n${text}\n`;
  // Replace only our section; "## Graph" and any other section stay as they are.
  const start = existing.indexOf('\n## Verify\n');
  let next: string;
  if (start < 0) next = `${existing.trimEnd()}\n\n${section}`;
  else {
    const after = existing.indexOf('\n## ', start + 1);
    next = `${existing.slice(0, start)}\n${section}${after < 0 ? '' : existing.slice(after)}`;
  }
  fs.writeFileSync(results, next);
  console.log(`\nwritten to ${path.relative(process.cwd(), results)}`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
