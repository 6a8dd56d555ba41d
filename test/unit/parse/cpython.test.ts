import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseHeader, parseMigration } from '../../../src/core/parse';
import type { HeaderValue } from '../../../src/core/parse';
import { ALL_SAMPLES } from './samples';

const PYTHON = '/usr/bin/python3';

/** Reads the four header names the way Python would: module-level assignments, last wins, literal values. */
const SCRIPT = String.raw`
import ast, json, sys
out = []
for text in json.load(sys.stdin):
    try:
        tree = ast.parse(text)
    except SyntaxError:
        out.append(None)
        continue
    values = {}
    for node in tree.body:
        targets, value = [], None
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        for t in targets:
            if isinstance(t, ast.Name) and t.id in ("revision", "down_revision", "branch_labels", "depends_on"):
                try:
                    v = ast.literal_eval(value)
                    if isinstance(v, (tuple, list)):
                        v = {"seq": list(v)} if all(isinstance(x, str) for x in v) else {"unresolved": True}
                    elif v is not None and not isinstance(v, str):
                        v = {"unresolved": True}
                except Exception:
                    v = {"unresolved": True}
                values[t.id] = v
    out.append(values)
json.dump(out, sys.stdout)
`;

function fixtureTexts(): Record<string, string> {
  const root = join(__dirname, '..', '..', 'fixtures');
  const out: Record<string, string> = {};
  const walk = (dir: string): void => {
    let entries: string[] = [];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(dir, e);
      try {
        if (statSync(p).isDirectory()) walk(p);
        else if (e.endsWith('.py')) out[p] = readFileSync(p, 'utf8');
      } catch {
        // A fixture being written right now may vanish; skip it.
      }
    }
  };
  walk(root);
  return out;
}

function asPython(v: HeaderValue): unknown {
  switch (v.kind) {
    case 'none':
      return null;
    case 'string':
      return v.value;
    case 'sequence':
      return { seq: v.values };
    default:
      return { unresolved: true };
  }
}

describe('parse: agrees with CPython', () => {
  it('reads the same revision, down_revision, branch_labels and depends_on as Python\'s ast', function () {
    if (!existsSync(PYTHON)) {
      console.warn(`    skipped: ${PYTHON} is missing, so there is no CPython to compare with`);
      this.skip();
    }
    this.timeout(120_000);
    const files: Record<string, string> = { ...ALL_SAMPLES, ...fixtureTexts() };
    const names = Object.keys(files);
    const run = spawnSync(PYTHON, ['-c', SCRIPT], { input: JSON.stringify(names.map((n) => files[n])), encoding: 'utf8', maxBuffer: 64 << 20 });
    assert.equal(run.status, 0, run.stderr);
    const expected = JSON.parse(run.stdout) as (Record<string, unknown> | null)[];
    let compared = 0;
    names.forEach((name, i) => {
      const py = expected[i];
      if (py === null) return; // Python cannot parse it either; broken files are tested elsewhere.
      for (const f of [parseMigration(files[name]), parseHeader(files[name])]) {
        const ours: Record<string, unknown> = {};
        for (const [k, a] of Object.entries(f.header)) ours[k] = asPython(a!.value);
        assert.deepEqual(ours, py, name);
        assert.equal(f.isRevision, 'revision' in py, name);
      }
      compared++;
    });
    assert.ok(compared >= Object.keys(ALL_SAMPLES).length);
    // The comparison must have covered real revision files, not only non-revisions.
    assert.ok(expected.filter((e) => e && 'revision' in e).length >= Object.keys(ALL_SAMPLES).length);
  });
});
