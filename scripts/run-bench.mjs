// Runs every bench/*.bench.ts in turn (figures only, never pass/fail), after a build.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';

const root = join(dirname(new URL(import.meta.url).pathname), '..');
const only = process.argv[2];
spawnSync('node', ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
for (const f of readdirSync(join(root, 'bench')).filter((f) => f.endsWith('.bench.ts')).sort()) {
  if (only && !f.includes(only)) continue;
  console.log(`\n## ${f}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join('bench', f)], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exitCode = 1;
}
