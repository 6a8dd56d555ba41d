import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fixture, runCli, runCliJson } from '../../support/cli';

const PYTHON = '/usr/bin/python3';
const env = { ALEMBIC_SQUASH_PYTHON: PYTHON, PYTHONDONTWRITEBYTECODE: '1' };

describe('CLI squash: hooks and rejected files', function () {
  this.timeout(60_000);
  const temps: string[] = [];
  after(() => {
    for (const t of temps) fs.rmSync(t, { recursive: true, force: true });
  });
  before(function () {
    if (!fs.existsSync(PYTHON)) this.skip();
  });
  function copyOf(name: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `alembic-squash-ops-${name}-`));
    fs.cpSync(fixture(name), dir, { recursive: true });
    temps.push(dir);
    return dir;
  }

  it('--dry-run does not run post_write_hooks, and says so', () => {
    const dir = copyOf('linear');
    const marker = path.join(dir, 'hook-ran');
    // An exec-style hook Alembic 1.8 cannot run would fail; a dry run must not even try.
    const ini = path.join(dir, 'alembic.ini');
    fs.writeFileSync(ini, fs.readFileSync(ini, 'utf8').replace('[post_write_hooks]\n', '[post_write_hooks]\nhooks = touch\ntouch.type = console_scripts\ntouch.entrypoint = not-installed\n'));
    const r = runCli(['squash', dir, '--from', 'base', '--to', 'head', '--strategy', 'ops', '--dry-run'], { env });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /post_write_hooks not run \(--dry-run writes nothing\)/);
    assert.doesNotMatch(r.stdout, /could not run/);
    assert.ok(!fs.existsSync(marker));
    const j = runCliJson(['squash', dir, '--from', 'base', '--to', 'head', '--strategy', 'ops', '--no-hooks', '--dry-run'], { env });
    assert.equal(j.json.hooksSkipped, '--dry-run writes nothing');
  });

  it('a squash whose text does not parse is refused, saved, and shown around the line', () => {
    const dir = copyOf('linear');
    const mako = path.join(dir, 'migrations', 'script.py.mako');
    // A broken template (a stray bracket after the upgrade body) makes a file nobody should get.
    fs.writeFileSync(mako, fs.readFileSync(mako, 'utf8').replace('${upgrades if upgrades else "pass"}\n', '${upgrades if upgrades else "pass"}\n    )\n'));
    const before = fs.readdirSync(path.join(dir, 'migrations', 'versions')).sort();
    const r = runCli(['squash', dir, '--from', 'base', '--to', 'head', '--strategy', 'ops'], { env });
    assert.equal(r.status, 1, r.stdout + r.stderr);
    // Python has the last word on the message: `SyntaxError: unmatched ')'`.
    assert.match(r.stderr, /failed to parse: SyntaxError: unmatched '\)'/);
    const saved = /saved at (\S+) \(line (\d+)\)/.exec(r.stderr);
    assert.ok(saved, r.stderr);
    const savedPath = path.resolve(dir, saved[1]);
    const text = fs.readFileSync(savedPath, 'utf8');
    assert.equal(text.split('\n')[Number(saved[2]) - 1].trim(), ')');
    assert.match(r.stderr, new RegExp(`> +${saved[2]} \\|     \\)`));
    assert.deepEqual(fs.readdirSync(path.join(dir, 'migrations', 'versions')).sort(), before, 'nothing written');
  });

  it('check warns about revisions importing project code, with the module and line', () => {
    const dir = copyOf('linear');
    fs.mkdirSync(path.join(dir, 'app', 'db'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'app', '__init__.py'), '');
    fs.writeFileSync(path.join(dir, 'app', 'db', 'views.py'), 'genes_current = "SELECT 1"\n');
    const versions = path.join(dir, 'migrations', 'versions');
    const file = fs.readdirSync(versions).find((f) => f.endsWith('.py'))!;
    const text = fs.readFileSync(path.join(versions, file), 'utf8');
    fs.writeFileSync(path.join(versions, file), text.replace('import sqlalchemy as sa\n', 'import sqlalchemy as sa\nfrom app.db.views import genes_current\n'));
    const line = text.split('\n').indexOf('import sqlalchemy as sa') + 2;
    const r = runCliJson(['check', dir], { env });
    assert.equal(r.status, 0, 'a warning, not an error');
    const found = r.json.projects[0].problems.filter((p: { code: string }) => p.code === 'imports-project-code');
    assert.equal(found.length, 1, JSON.stringify(r.json));
    assert.equal(found[0].severity, 'warning');
    assert.equal(found[0].line, line);
    assert.equal(found[0].path, `migrations/versions/${file}`);
    assert.match(found[0].message, /app\.db\.views.*snapshot strategy/);
  });

  it('check says once for a module that many revisions import, naming the first places; --json keeps every one', () => {
    const dir = copyOf('linear');
    fs.mkdirSync(path.join(dir, 'app'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'app', '__init__.py'), '');
    fs.writeFileSync(path.join(dir, 'app', 'helpers.py'), 'def now():\n    return "now()"\n');
    const versions = path.join(dir, 'migrations', 'versions');
    const files = fs.readdirSync(versions).filter((f) => f.endsWith('.py')).sort();
    for (const f of files.slice(0, 4)) {
      const text = fs.readFileSync(path.join(versions, f), 'utf8');
      fs.writeFileSync(path.join(versions, f), text.replace('import sqlalchemy as sa\n', 'import sqlalchemy as sa\nfrom app.helpers import now\n'));
    }
    const human = runCli(['check', dir], { env });
    assert.equal(human.status, 0, human.stderr);
    const lines = human.stdout.split('\n').filter((l) => l.includes('imports-project-code'));
    assert.equal(lines.length, 1, human.stdout);
    assert.match(lines[0]!, /4 revision\(s\) import project code `app\.helpers` \(migrations\/versions\/.+\.py:\d+:1, .+, .+, and 1 more: --json lists each\)/);
    assert.match(human.stdout, /ok: 0 errors, 4 warning\(s\)/);
    const json = runCliJson(['check', dir], { env });
    assert.equal(json.json.projects[0].problems.filter((p: { code: string }) => p.code === 'imports-project-code').length, 4);
  });
});
