import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadProject } from '../../../src/core/project';
import { HeaderCache, ScriptDirectory } from '../../../src/core/scripts';

const fixtures = path.resolve(__dirname, '../../fixtures');

function copy(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alembic-squash-unit-'));
  fs.cpSync(path.join(fixtures, name), dir, { recursive: true });
  return dir;
}

describe('ScriptDirectory', () => {
  const made: string[] = [];
  afterEach(() => {
    for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it('places graph problems on the exact id they are about', async () => {
    const scripts = await ScriptDirectory.load(loadProject(path.join(fixtures, 'broken/missing-parent')));
    const p = scripts.problems().find((x) => x.code === 'missing-parent')!;
    const file = scripts.file(p.path)!;
    assert.equal(file.text.slice(p.range.start, p.range.end), "'0badc0ffee00'");
    assert.equal(file.text.split('\n')[p.line]!.includes('down_revision'), true);
  });

  it('updates one file incrementally: removing a parent makes its child report a missing parent, restoring it clears that', async () => {
    const dir = copy('linear');
    made.push(dir);
    const scripts = await ScriptDirectory.load(loadProject(dir));
    const [base, second] = scripts.map.topologicalOrder();
    const baseFile = scripts.fileOf(base!)!;
    const text = baseFile.text;
    scripts.update(baseFile.path, undefined);
    const missing = scripts.problems().filter((p) => p.code === 'missing-parent');
    assert.equal(missing.length, 1);
    assert.equal(scripts.fileOf(second!)!.path, missing[0]!.path);
    scripts.update(baseFile.path, text);
    assert.deepEqual(scripts.problems().filter((p) => p.code === 'missing-parent'), []);
  });

  it('reuses cached header parses of unchanged files and re-reads a changed one', async () => {
    const dir = copy('branch-merge');
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'alembic-squash-cache-'));
    made.push(dir, cacheDir);
    const project = loadProject(dir);
    const first = await ScriptDirectory.load(project, { cache: HeaderCache.open(dir, cacheDir) });
    const cached = await ScriptDirectory.load(project, { cache: HeaderCache.open(dir, cacheDir) });
    assert.deepEqual(cached.map.heads, first.map.heads);
    assert.deepEqual(cached.map.topologicalOrder(), first.map.topologicalOrder());
    assert.deepEqual(cached.problems(), first.problems());

    // Point the head at a revision that does not exist: the cache must not hide the change.
    const head = cached.fileOf(first.map.heads[0]!)!;
    const parent = first.map.parents(first.map.heads[0]!)[0]!;
    fs.writeFileSync(head.path, head.text.split(`'${parent}'`).join("'feedfacecafe'"));
    const after = await ScriptDirectory.load(project, { cache: HeaderCache.open(dir, cacheDir) });
    assert.ok(after.problems().some((p) => p.code === 'missing-parent' && p.path === head.path));
  });

  it('follows a change on disk to a file whose header came from the cache (a checkout after the load)', async () => {
    const dir = copy('branch-merge');
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'alembic-squash-cache-'));
    made.push(dir, cacheDir);
    const project = loadProject(dir);
    await ScriptDirectory.load(project, { cache: HeaderCache.open(dir, cacheDir) });
    const scripts = await ScriptDirectory.load(project, { cache: HeaderCache.open(dir, cacheDir) });
    const head = scripts.map.heads[0]!;
    const file = scripts.fileOf(head)!.path;
    const parent = scripts.map.parents(head)[0]!;
    assert.equal(scripts.knownText(file), undefined, 'a cached header does not know its text');
    // Another tool rewrites the file; the watcher then hands the new text over.
    const changed = fs.readFileSync(file, 'utf8').split(`'${parent}'`).join("'feedfacecafe'");
    fs.writeFileSync(file, changed);
    scripts.update(file, changed);
    assert.deepEqual(scripts.map.get(head)!.downRevisions, ['feedfacecafe']);
    assert.ok(scripts.problems().some((p) => p.code === 'missing-parent' && p.path === file));
    assert.equal(scripts.knownText(file), changed);
  });
});
