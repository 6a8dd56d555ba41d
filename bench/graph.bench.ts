/**
 * Graph build speed (issue: Foundation). Prints, for synthetic projects of 1,000 and 5,000 revisions
 * (linear and with branches/merges):
 *  - cold: first ScriptDirectory.load (list files, read, header parse, RevisionMap, heads) in a fresh
 *    process, without the header cache;
 *  - cached: the same first load in a fresh process with the header cache filled by an earlier run;
 *  - warm: the load again in the same process (JIT warm, no cache);
 *  - body edit / header edit: one file's text changed → ScriptDirectory.update + heads + graph problems
 *    (a body edit leaves the graph alone; a header edit points down_revision at a missing id);
 *  - CLI: whole process `node dist/cli.js graph --json` (cache filled), vs `/usr/bin/python3 -m alembic heads`.
 * Medians of several runs. Run with `npm run bench graph` (builds first).
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadProject } from '../src/core/project';
import { HeaderCache, ScriptDirectory } from '../src/core/scripts';
import { writeSyntheticProject } from './synthetic';

const root = path.join(__dirname, '.data');
const repo = path.join(__dirname, '..');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${x.toFixed(1)} ms`;

async function inProcess(dir: string, cached: boolean) {
  const project = loadProject(dir);
  const cache = cached ? HeaderCache.open(dir, path.join(root, 'cache')) : undefined;
  const t0 = performance.now();
  const scripts = await ScriptDirectory.load(project, { cache });
  void scripts.map.heads;
  const cold = performance.now() - t0;
  if (cached) return { cold };
  const warm: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    const s = await ScriptDirectory.load(project);
    void s.map.heads;
    warm.push(performance.now() - t);
  }
  const files = scripts.revisionFiles;
  // A body edit (most keystrokes) and a header edit (down_revision pointed at a missing id, which
  // changes heads and problems), each followed by heads + graph problems.
  const timeEdits = (edit: (text: string, i: number) => string) => {
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      const f = files[Math.floor((files.length * (i + 1)) / 21)]!;
      const original = f.text;
      const t = performance.now();
      scripts.update(f.path, edit(original, i));
      void scripts.map.heads;
      void scripts.map.graphProblems();
      times.push(performance.now() - t);
      scripts.update(f.path, original);
    }
    return median(times);
  };
  const incremental = timeEdits((text, i) => text.replace('def upgrade', `# edit ${i}\ndef upgrade`));
  const header = timeEdits((text) => text.replace(/^down_revision(.*) = '([0-9a-f]+)'$/m, "down_revision$1 = 'feedfacecafe'"));
  return { cold, warm: median(warm), incremental, header, heads: scripts.map.heads.length };
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
    console.log(JSON.stringify(await inProcess(process.argv[3]!, process.argv[4] === 'cached')));
    return;
  }
  console.log('Graph build (medians; cold/cached = first load in a fresh process, without / with the header cache)');
  console.log('project            cold     cached       warm  body edit header edit  CLI graph  alembic heads  ratio');
  for (const count of [1000, 5000]) {
    for (const branchy of [false, true]) {
      const dir = writeSyntheticProject(root, count, branchy);
      const child = (mode: string) => {
        const r = spawnSync(process.execPath, ['--import', 'tsx', __filename, '--child', dir, mode], { encoding: 'utf8', cwd: repo });
        if (r.status !== 0) throw new Error(r.stderr);
        return JSON.parse(r.stdout.trim().split('\n').pop()!);
      };
      const colds: number[] = [];
      const cachedColds: number[] = [];
      let last: any;
      child('cached'); // fills the cache
      for (let i = 0; i < 3; i++) {
        last = child('plain');
        colds.push(last.cold);
        cachedColds.push(child('cached').cold);
      }
      timeCommand(process.execPath, [path.join(repo, 'dist/cli.js'), 'graph', dir, '--json'], 1); // fills the CLI's cache
      const cli = timeCommand(process.execPath, [path.join(repo, 'dist/cli.js'), 'graph', dir, '--json'], 5);
      const alembic = timeCommand('/usr/bin/python3', ['-m', 'alembic', '-c', path.join(dir, 'alembic.ini'), 'heads'], 3);
      console.log(
        `${(branchy ? 'branchy-' : 'linear-') + count}`.padEnd(18) +
          ms(median(colds)).padStart(9) + ms(median(cachedColds)).padStart(11) + ms(last.warm).padStart(11) + ms(last.incremental).padStart(10) + ms(last.header).padStart(11) +
          ms(cli).padStart(12) + ms(alembic).padStart(15) + `${(alembic / cli).toFixed(1)}×`.padStart(7),
      );
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
