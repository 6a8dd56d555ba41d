/**
 * Squash speed on a generated 500-revision history (test/support/large-history.ts: merges, clashing
 * and identical helpers, local imports, data migrations). Prints medians of 5 runs in one process:
 *  - load: ScriptDirectory.load with full parses (every file read and parsed);
 *  - plan: planSquash of base..head (graph range, convexity, members);
 *  - render: renderSquash with the built-in template and no interpreter (carry, classify with
 *    libpg-query, docstring, re-parse of the rendered file);
 *  - render+python: the same through the project's script.py.mako with Mako and a compile() of the
 *    result by /usr/bin/python3 (two interpreter starts), hooks off;
 *  - check: the file and graph problems plus imports-project-code;
 * and the whole CLI process `node dist/cli.js squash --dry-run --no-hooks --json` (plan + render +
 * check of the rendered file, interpreter included). Run with `npm run bench squash`.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadProject } from '../src/core/project';
import { ScriptDirectory } from '../src/core/scripts';
import { planSquash, projectCodeImports, projectRoots, renderSquash, type SourceFile } from '../src/core/squash';
import { writeLargeHistory } from '../test/support/large-history';

const root = path.join(__dirname, '.data');
const repo = path.join(__dirname, '..');
const PYTHON = '/usr/bin/python3';
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${x.toFixed(0)} ms`;

async function main() {
  const count = Number(process.env.BENCH_REVISIONS ?? 500);
  const { dir } = writeLargeHistory(root, count);
  const project = loadProject(dir);
  const t: Record<string, number[]> = { load: [], plan: [], render: [], 'render+python': [], check: [] };
  let lines = 0;
  for (let run = 0; run < 5; run++) {
    let t0 = performance.now();
    const scripts = await ScriptDirectory.load(project, { full: true });
    const files = new Map<string, SourceFile>();
    for (const f of scripts.revisionFiles) files.set(f.path, { text: f.text, file: f.migration });
    t.load.push(performance.now() - t0);

    t0 = performance.now();
    const plan = planSquash({ map: scripts.map, files, project, from: 'base', to: 'head' });
    t.plan.push(performance.now() - t0);

    t0 = performance.now();
    const r = await renderSquash({ plan, files, project: { ...project, templatePath: undefined } });
    t.render.push(performance.now() - t0);
    lines = r.text.split('\n').length;

    if (fs.existsSync(PYTHON)) {
      t0 = performance.now();
      await renderSquash({ plan, files, project, python: PYTHON, hooks: false });
      t['render+python'].push(performance.now() - t0);
    }

    t0 = performance.now();
    const problems = scripts.problems().length;
    const roots = projectRoots(project);
    let imports = 0;
    for (const f of scripts.revisionFiles) imports += projectCodeImports(f.text, roots).length;
    void problems;
    void imports;
    t.check.push(performance.now() - t0);
  }
  console.log(`${count} revisions → ${lines} lines`);
  for (const [k, v] of Object.entries(t)) if (v.length) console.log(`  ${k.padEnd(14)} ${ms(median(v))}  (runs: ${v.map((x) => x.toFixed(0)).join(', ')})`);
  const sum = median(t.load) + median(t.plan) + median(t['render+python'].length ? t['render+python'] : t.render) + median(t.check);
  console.log(`  plan + render + check (load included): ${ms(sum)}`);

  const cli: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [path.join(repo, 'dist/cli.js'), 'squash', dir, '--from', 'base', '--to', 'head', '--strategy', 'ops', '--dry-run', '--no-hooks', '--json'], {
      encoding: 'utf8',
      env: { ...process.env, ALEMBIC_SQUASH_PYTHON: PYTHON },
      maxBuffer: 256 << 20,
    });
    cli.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(r.stderr);
  }
  console.log(`  CLI squash --dry-run --json (whole process): ${ms(median(cli))}  (runs: ${cli.map((x) => x.toFixed(0)).join(', ')})`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
