/**
 * Graph build speed (issue: Foundation). Prints, for synthetic projects of 1,000 and 5,000 revisions
 * (linear and with branches/merges):
 *  - cold: first ScriptDirectory.load (list files, read, header parse, RevisionMap, heads) in a fresh process;
 *  - warm: the same load again in that process;
 *  - incremental: one file's text changed → ScriptDirectory.update + heads;
 *  - CLI: whole process `node dist/cli.js graph --json`, vs `/usr/bin/python3 -m alembic heads`.
 * Medians of several runs. Run with `npm run bench` (builds first).
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadProject } from '../src/core/project';
import { ScriptDirectory } from '../src/core/scripts';
import { writeSyntheticProject } from './synthetic';

const root = path.join(__dirname, '.data');
const repo = path.join(__dirname, '..');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${x.toFixed(1)} ms`;

async function inProcess(dir: string) {
  const project = loadProject(dir);
  const t0 = performance.now();
  const scripts = await ScriptDirectory.load(project);
  void scripts.map.heads;
  const cold = performance.now() - t0;
  const warm: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    const s = await ScriptDirectory.load(project);
    void s.map.heads;
    warm.push(performance.now() - t);
  }
  const files = scripts.revisionFiles;
  const incremental: number[] = [];
  for (let i = 0; i < 20; i++) {
    const f = files[Math.floor((files.length * (i + 1)) / 21)]!;
    const text = f.text.replace('def upgrade', `# edit ${i}\ndef upgrade`);
    const t = performance.now();
    scripts.update(f.path, text);
    void scripts.map.heads;
    void scripts.map.graphProblems();
    incremental.push(performance.now() - t);
  }
  return { cold, warm: median(warm), incremental: median(incremental), heads: scripts.map.heads.length };
}

function timeCommand(cmd: string, args: string[], runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
    times.push(performance.now() - t);
  }
  return median(times);
}

async function main() {
  if (process.argv[2] === '--child') {
    console.log(JSON.stringify(await inProcess(process.argv[3]!)));
    return;
  }
  console.log('Graph build (median; cold = first load in a fresh process)');
  console.log('project            cold       warm       incr.     CLI graph   alembic heads   ratio');
  for (const count of [1000, 5000]) {
    for (const branchy of [false, true]) {
      const dir = writeSyntheticProject(root, count, branchy);
      const colds: number[] = [];
      let last: any;
      for (let i = 0; i < 3; i++) {
        const r = spawnSync(process.execPath, ['--import', 'tsx', __filename, '--child', dir], { encoding: 'utf8', cwd: repo });
        if (r.status !== 0) throw new Error(r.stderr);
        last = JSON.parse(r.stdout.trim().split('\n').pop()!);
        colds.push(last.cold);
      }
      const cli = timeCommand(process.execPath, [path.join(repo, 'dist/cli.js'), 'graph', dir, '--json'], 5);
      const alembic = timeCommand('/usr/bin/python3', ['-m', 'alembic', '-c', path.join(dir, 'alembic.ini'), 'heads'], 3);
      console.log(
        `${(branchy ? 'branchy-' : 'linear-') + count}`.padEnd(18) +
          ms(median(colds)).padStart(9) + ms(last.warm).padStart(11) + ms(last.incremental).padStart(10) +
          ms(cli).padStart(12) + ms(alembic).padStart(15) + `${(alembic / cli).toFixed(1)}×`.padStart(8),
      );
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
