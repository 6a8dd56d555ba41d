// The review screen's work on a squash of 500 revisions: the model, the blocks of the new file, and
// every member's diff (the screen computes one on demand; all 500 here bound the worst case).
// Figures only; medians of 5 runs in one process after one warm-up.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadProject } from '../src/core/project';
import { prepareSquash, stampPlan } from '../src/core/squash';
import { memberDiff, memberText, squashedBlocks } from '../src/extension/review/memberDiff';
import { reviewModel } from '../src/extension/review/model';
import { writeSyntheticProject } from './synthetic';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const time = (f: () => void) => {
  const t = performance.now();
  f();
  return performance.now() - t;
};

async function main(): Promise<void> {
  const root = path.join(os.tmpdir(), 'alembic-squash-bench');
  fs.mkdirSync(root, { recursive: true });
  const dir = writeSyntheticProject(root, 500, false);
  const project = loadProject(dir);
  // With Python: the squashed file is compiled (see render.ts on the parser's limit in long bodies).
  const prepared = await prepareSquash({ project, from: 'base', to: 'heads', python: process.env.ALEMBIC_SQUASH_PYTHON ?? '/usr/bin/python3' });
  const { plan, render, edits, scripts } = prepared;
  const files = new Map(scripts.revisionFiles.map((f) => [f.path, scripts.fullFile(f.path)!.migration]));
  const run = () => {
    const model = { t: time(() => reviewModel({ plan, render, edits, stamp: stampPlan(plan), strategy: 'ops', here: dir })) };
    let blocks!: ReturnType<typeof squashedBlocks>;
    const b = time(() => (blocks = squashedBlocks(render.text)));
    const per: number[] = [];
    const all = time(() => {
      for (const m of plan.members) per.push(time(() => memberDiff(m.revision, memberText(files.get(m.path)), blocks.get(m.revision))));
    });
    return { model: model.t, blocks: b, all, one: median(per), max: Math.max(...per) };
  };
  run();
  const runs = Array.from({ length: 5 }, run);
  const m = (k: keyof ReturnType<typeof run>) => `${median(runs.map((r) => r[k])).toFixed(2)} ms`;
  console.log(`squash of ${plan.members.length} revisions, new file ${render.text.split('\n').length} lines`);
  console.log(`model ${m('model')} · blocks of the new file ${m('blocks')} · one member diff median ${m('one')} (max ${m('max')}) · all ${plan.members.length} member diffs ${m('all')}`);
}

void main();
