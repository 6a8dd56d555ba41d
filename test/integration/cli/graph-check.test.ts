import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fixture, runCli, runCliJson } from '../../support/cli';

describe('alembic-squash graph / check (built CLI on fixture projects)', () => {
  it('graph --json follows the contract on a branch + merge project', () => {
    const { status, json } = runCliJson(['graph', fixture('branch-merge')]);
    assert.equal(status, 0);
    assert.equal(json.graphs.length, 1);
    const g = json.graphs[0];
    assert.deepEqual(g.versionLocations, ['migrations/versions']);
    assert.equal(g.heads.length, 1);
    assert.equal(g.bases.length, 1);
    assert.equal(g.mergePoints.length, 1);
    assert.equal(g.branchPoints.length, 1);
    const merge = g.revisions.find((r: any) => r.revision === g.mergePoints[0]);
    assert.equal(merge.downRevisions.length, 2);
    for (const r of g.revisions) {
      assert.deepEqual(Object.keys(r).sort(), ['branchLabels', 'dependsOn', 'downRevisions', 'message', 'path', 'revision']);
      assert.ok(fs.existsSync(path.join(fixture('branch-merge'), r.path)), `${r.path} exists relative to PATH`);
    }
    // Oldest first: every parent comes before its child.
    const pos = new Map(g.revisions.map((r: any, i: number) => [r.revision, i]));
    for (const r of g.revisions) for (const p of r.downRevisions) assert.ok((pos.get(p) as number) < (pos.get(r.revision) as number));
    assert.deepEqual(g.problems, []);
  });

  it('graph accepts an alembic.ini, a folder and a bare versions folder alike', () => {
    const viaIni = runCliJson(['graph', fixture('linear', 'alembic.ini')]).json.graphs[0];
    const viaFolder = runCliJson(['graph', fixture('linear')]).json.graphs[0];
    const viaVersions = runCliJson(['graph', fixture('linear', 'migrations', 'versions')]).json.graphs[0];
    assert.deepEqual(viaIni.heads, viaFolder.heads);
    assert.deepEqual(viaVersions.heads, viaFolder.heads);
    assert.equal(viaVersions.revisions.length, viaFolder.revisions.length);
  });

  it('graph draws merges with one column per branch', () => {
    const r = runCli(['graph', fixture('merge-three')]);
    assert.equal(r.status, 0);
    const lines = r.stdout.split('\n');
    const merge = lines.find((l) => l.includes('mergepoint'))!;
    assert.match(merge, /^\*/);
    assert.ok(lines.some((l) => l.startsWith('| | *')), 'third branch drawn in the third column');
  });

  it('graph reads depends_on, branch labels, several version locations and pyproject config', () => {
    const dep = runCliJson(['graph', fixture('depends-on')]).json.graphs[0];
    assert.ok(dep.revisions.some((r: any) => r.dependsOn.length > 0));
    const labels = runCliJson(['graph', fixture('branch-labels')]).json.graphs[0];
    assert.equal(labels.bases.length, 2);
    assert.deepEqual(labels.revisions.flatMap((r: any) => r.branchLabels).sort(), ['accounts', 'billing']);
    const multi = runCliJson(['graph', fixture('multi-locations')]).json.graphs[0];
    assert.equal(multi.versionLocations.length, 2);
    const rec = runCliJson(['graph', fixture('recursive')]).json.graphs[0];
    assert.ok(rec.revisions.some((r: any) => r.path.split('/').length > 3), 'revisions found in release sub-folders');
    const py = runCliJson(['graph', fixture('pyproject')]).json.graphs[0];
    assert.ok(py.revisions.length > 0);
  });

  it('check exits 0 on a healthy project and 1 with located errors on broken ones', () => {
    assert.equal(runCli(['check', fixture('linear')]).status, 0);
    const cases: [string, string][] = [
      ['missing-parent', 'missing-parent'],
      ['duplicate-id', 'duplicate-revision'],
      ['cycle', 'cycle'],
      ['syntax-error', 'syntax-error'],
      ['half-typed-header', 'unreadable-header'],
    ];
    for (const [name, code] of cases) {
      const { status, json } = runCliJson(['check', fixture('broken', name)]);
      assert.equal(status, 1, `${name} exits 1`);
      const problems = json.projects[0].problems;
      const p = problems.find((x: any) => x.code === code);
      assert.ok(p, `${name} reports ${code}: ${JSON.stringify(problems)}`);
      assert.equal(p.severity, 'error');
      assert.ok(p.line >= 1 && typeof p.path === 'string');
    }
  });

  it('check prints warnings for non-literal branch labels but exits 0', () => {
    const r = runCli(['check', fixture('broken', 'non-literal-labels')]);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /warning .*not a literal/);
  });

  it('gives exit code 2 and a clear message for a path that does not exist or bad options', () => {
    const missing = runCli(['graph', path.join(os.tmpdir(), 'no-such-project-here')]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /No such file or folder/);
    const bad = runCli(['graph', '--frobnicate']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /usage: alembic-squash graph/);
    assert.equal(runCli(['nonsense']).status, 2);
  });

  it('graph | head exits quietly (no EPIPE trace)', () => {
    const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
    const cli = path.join(__dirname, '../../../dist/cli.js');
    const r = spawnSync('bash', ['-c', `node ${JSON.stringify(cli)} graph ${JSON.stringify(fixture('views-functions-triggers'))} | head -1`], { encoding: 'utf8' });
    assert.equal(r.status, 0);
    assert.equal(r.stdout.split('\n').filter(Boolean).length, 1);
    assert.doesNotMatch(r.stderr, /EPIPE|Error/);
  });

  it('graph on a config that does not resolve exits 2 with the reason', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alembic-squash-badcfg-'));
    try {
      fs.writeFileSync(path.join(dir, 'alembic.ini'), '[alembic]\nscript_location = %(here)s/nowhere\n');
      const r = runCli(['graph', dir]);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /script_location: folder not found: .*nowhere/);
      assert.equal(r.stdout, '');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('verify and squash on an ini without script_location (as Flask-Migrate writes it) exit 2 naming the missing key', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alembic-squash-flaskcfg-'));
    try {
      fs.cpSync(fixture('linear', 'migrations'), dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'alembic.ini'), '[alembic]\n# Flask-Migrate sets script_location at run time\n');
      for (const args of [['verify', dir, '--from', 'base', '--to', 'head'], ['squash', dir, '--from', 'base', '--to', 'head', '--dry-run']]) {
        const r = runCli(args);
        assert.equal(r.status, 2, r.stderr);
        assert.match(r.stderr, /No 'script_location' key found in \[alembic\]/);
        assert.match(r.stderr, /script_location = %\(here\)s/, 'the hint says what to add');
        const json = runCli([...args, '--json']);
        assert.equal(json.status, 2);
        assert.equal(JSON.parse(json.stdout).error.code, 'configuration');
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an alembic.ini with several Alembic sections: each its own project; --name picks one, as Alembic -n', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alembic-squash-sections-'));
    try {
      fs.cpSync(fixture('linear', 'migrations'), path.join(dir, 'migrations'), { recursive: true });
      fs.cpSync(fixture('branch-merge', 'migrations'), path.join(dir, 'private'), { recursive: true });
      fs.writeFileSync(
        path.join(dir, 'alembic.ini'),
        '[alembic]\nscript_location = %(here)s/migrations\n\n[schema_private]\nscript_location = %(here)s/private\n\n[loggers]\nkeys = root\n',
      );
      const all = runCliJson(['graph', dir]);
      assert.equal(all.status, 0);
      assert.equal(all.json.graphs.length, 2);
      assert.deepEqual(all.json.graphs.map((g: any) => g.revisions.length), [6, 7]);
      const one = runCliJson(['graph', dir, '--name', 'schema_private']);
      assert.equal(one.json.graphs.length, 1);
      assert.equal(one.json.graphs[0].revisions.length, 7);
      assert.equal(runCliJson(['check', path.join(dir, 'alembic.ini'), '-n', 'alembic']).json.projects.length, 1);
      const missing = runCli(['graph', dir, '--name', 'nope']);
      assert.equal(missing.status, 2);
      assert.match(missing.stderr, /No \[nope\] section in alembic.ini/);
      // A command that changes files needs one project: it says how to pick.
      const squash = runCli(['squash', dir, '--from', 'base', '--to', 'head', '--dry-run']);
      assert.equal(squash.status, 2);
      assert.match(squash.stderr, /2 Alembic sections \(alembic, schema_private\); pick one with --name NAME/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
