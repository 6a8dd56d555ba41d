/**
 * Snapshot strategy speed and size. On generated histories of 50 and 200 revisions
 * (`writeRealisticProject` in bench/synthetic.ts: tables with FKs, identity columns, indexes, checks, a
 * lookup table with seed rows, a view, a plpgsql function + trigger), squashed base..head with
 * `snapshotSquash` on the local back end: the whole squash (plan, chain run, reading the database,
 * render, proof by verify with downgrade) and its phases; against a bare
 * `/usr/bin/python3 -m alembic upgrade head` of the same chain into a fresh database of a running
 * cluster (only the upgrade timed); and the size of the snapshot file vs the op-merge squash's.
 * Medians of 5 runs, snapshot and bare upgrade taking turns. Writes the "## Snapshot" section of bench/RESULTS.md. `npm run bench snapshot`.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { forgetRecentParses } from '../src/core/parse/lezer';
import { startServer, type ThrowawayServer } from '../src/core/postgres';
import { loadProject } from '../src/core/project';
import { snapshotSquash, type SnapshotPhase, type SnapshotSquash } from '../src/core/squash/snapshot';
import { writeRealisticProject } from './synthetic';

const PYTHON = '/usr/bin/python3';
process.env.ALEMBIC_SQUASH_PYTHON = PYTHON;
const RUNS = 5;
const PHASES: SnapshotPhase[] = ['plan', 'chain', 'read', 'render', 'proof'];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const s = (x: number) => `${(x / 1000).toFixed(2)} s`;
const lines = (t: string) => t.replace(/\n$/, '').split('\n').length;

/** One bare `alembic upgrade head` into a fresh database of a running cluster; only the upgrade is timed. */
async function bareUpgrade(server: ThrowawayServer, dir: string): Promise<number> {
  const db = await server.createDatabase();
  const t = performance.now();
  const r = spawnSync(PYTHON, ['-m', 'alembic', '-c', path.join(dir, 'alembic.ini'), '-x', `url=${db.url}`, 'upgrade', 'head'], { cwd: dir, encoding: 'utf8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`alembic upgrade head failed:\n${r.stderr}`);
  await server.dropDatabase(db);
  return ms;
}

async function main() {
  const rows: string[] = [];
  const loadBefore = os.loadavg()[0]!.toFixed(1);
  let description = '';
  for (const count of [50, 200]) {
    const dir = writeRealisticProject(path.join(__dirname, '.data'), count);
    const project = loadProject(dir);
    const runs: { total: number; s: SnapshotSquash }[] = [];
    const bares: number[] = [];
    // Snapshot and bare upgrade take turns, so both meet the same load of a shared machine.
    const { server } = await startServer({ provider: 'local' });
    try {
      for (let i = 0; i < RUNS; i++) {
        // Each run parses the files as a new process would: none of the previous run's trees are reused.
        forgetRecentParses();
        const t = performance.now();
        const r = await snapshotSquash({ project, python: PYTHON, from: 'base', to: 'head', provider: { provider: 'local' } });
        runs.push({ total: performance.now() - t, s: r });
        description = r.provider.description.replace(/ in \/\S+.*$/, '');
        bares.push(await bareUpgrade(server, dir));
      }
    } finally {
      await server.dispose();
    }
    const bare = median(bares);
    const total = median(runs.map((r) => r.total));
    const last = runs[runs.length - 1]!.s;
    const phase = (p: SnapshotPhase) => s(median(runs.map((r) => r.s.timings[p] ?? 0)));
    rows.push(
      `| ${count} | ${s(total)} | ${PHASES.map(phase).join(' | ')} | ${s(bare)} | ${(total / bare).toFixed(1)}× | ${lines(last.render.text)} | ${lines(last.ops.render.text)} | ${last.plan.members.reduce((n, m) => n + lines(fs.readFileSync(m.path, 'utf8')), 0)} |`,
    );
    console.log(rows[rows.length - 1]);
  }
  const text = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, Node ${process.version}, ${description}, Alembic via ${PYTHON}; a machine shared with other jobs.`,
    '',
    'Method: `snapshotSquash` of a generated history (`writeRealisticProject` in bench/synthetic.ts) base..head on the local back end, medians of 5 runs in one Node process (the first run also loads the code; every run parses the files cold, as a new process does), each followed by one bare upgrade so that both meet the same load. "total" is the whole squash, wall time, cleanup included. Phases (they overlap, so they do not add up to the total): plan (load and plan the range; then the op-merge render, for its classification and size, which runs alongside the chain and renders its template in a driver already running), chain (the cluster started while planning, the chain run to the tip in a driver that imported Alembic meanwhile; the proof\'s own run of the chain starts at the same time in a second driver, forked from the first once it imported Alembic), read (python/snapshot.py inside the driver that ran the chain, alongside pg_dump), render (project template in that driver, compile check), proof (waiting for the proof\'s run of the chain if it is not done, then verify of the rendered file against it on the same cluster, in databases made while the chain ran: the squashed history upgraded while the chain\'s side and an empty database are captured, then a copy of it (`CREATE DATABASE … TEMPLATE`) downgraded to base while it is captured; a downgraded database whose catalogs hold what the empty one holds takes its capture instead of a dump of its own; the chain\'s own downgrade runs only when the snapshot\'s downgrade misses the empty database). "bare upgrade" is `python3 -m alembic upgrade head` of the chain into a fresh database of a running cluster (only the upgrade timed; its cluster runs through the whole row). Sizes are lines of the snapshot file, of the op-merge squash of the same range, and of the replaced files together. The machine is shared: its load average at the start and end of the run is given below.',
    '',
    `| revisions | total | ${PHASES.join(' | ')} | bare upgrade | total ÷ bare | snapshot lines | ops lines | replaced lines |`,
    `|---|---|${PHASES.map(() => '---').join('|')}|---|---|---|---|---|`,
    ...rows,
    '',
    `Load average (1 min) at the start / end: ${loadBefore} / ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores.`,
    '',
    'Target: a 200-revision snapshot in ≤ 3× a bare `alembic upgrade head` of it.',
  ].join('\n');
  console.log(text);
  const results = path.join(__dirname, 'RESULTS.md');
  const existing = fs.readFileSync(results, 'utf8');
  const section = `## Snapshot\n\n${text}\n`;
  const start = existing.indexOf('\n## Snapshot\n');
  let next: string;
  if (start < 0) next = `${existing.trimEnd()}\n\n${section}`;
  else {
    const after = existing.indexOf('\n## ', start + 1);
    next = `${existing.slice(0, start)}\n${section}${after < 0 ? '' : existing.slice(after)}`;
  }
  fs.writeFileSync(results, next);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
