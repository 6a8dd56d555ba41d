import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadProject } from '../../../src/core/project';
import { prepareSquash } from '../../../src/core/squash';
import { parseMigration } from '../../../src/core/parse';
import { copyFixture, PYTHON } from '../../unit/squash/support';

/**
 * A real console_scripts hook run by Alembic's own hook runner: a tiny "formatter" registered as an
 * installed distribution (a dist-info folder with entry_points.txt on PYTHONPATH), so nothing is
 * faked — Alembic finds it through importlib.metadata exactly as it finds black or ruff.
 */
function installFormatter(behaviour: 'mark' | 'fail'): { dir: string; restore: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alembic-squash-hookpkg-'));
  fs.writeFileSync(
    path.join(dir, 'tinyfmt.py'),
    behaviour === 'mark'
      ? [
          'import sys',
          'def main():',
          '    path = sys.argv[1]',
          '    text = open(path).read()',
          "    open(path, 'w').write('# formatted by tinyfmt\\n' + text)",
          '',
        ].join('\n')
      : ['import sys', 'def main():', "    sys.stderr.write('tinyfmt: cannot format this\\n')", '    sys.exit(3)', ''].join('\n'),
  );
  const info = path.join(dir, 'tinyfmt-1.0.dist-info');
  fs.mkdirSync(info);
  fs.writeFileSync(path.join(info, 'METADATA'), 'Metadata-Version: 2.1\nName: tinyfmt\nVersion: 1.0\n');
  fs.writeFileSync(path.join(info, 'entry_points.txt'), '[console_scripts]\ntinyfmt = tinyfmt:main\n');
  const previous = process.env.PYTHONPATH;
  process.env.PYTHONPATH = previous ? `${dir}${path.delimiter}${previous}` : dir;
  return {
    dir,
    restore: () => {
      if (previous === undefined) delete process.env.PYTHONPATH;
      else process.env.PYTHONPATH = previous;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function withHook(dir: string): void {
  const ini = path.join(dir, 'alembic.ini');
  const text = fs.readFileSync(ini, 'utf8');
  const hook = '[post_write_hooks]\nhooks = tinyfmt\ntinyfmt.type = console_scripts\ntinyfmt.entrypoint = tinyfmt\ntinyfmt.options = REVISION_SCRIPT_FILENAME\n';
  fs.writeFileSync(ini, text.includes('[post_write_hooks]') ? text.replace('[post_write_hooks]\n', hook) : `${text}\n${hook}`);
}

describe('post_write_hooks of the project run on the squashed file (Alembic console_scripts hook)', function () {
  this.timeout(60_000);
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const c of cleanups.splice(0).reverse()) c();
  });

  before(function () {
    if (!fs.existsSync(PYTHON)) this.skip();
  });

  it("passes the rendered file through the project's formatter, as `alembic revision` would", async () => {
    const fmt = installFormatter('mark');
    cleanups.push(fmt.restore);
    const { dir, cleanup } = copyFixture('linear');
    cleanups.push(cleanup);
    withHook(dir);
    const project = loadProject(dir);
    assert.deepEqual(project.postWriteHooks.map((h) => h.name), ['tinyfmt']);
    const { render } = await prepareSquash({ project, from: 'base', to: 'head', python: PYTHON });
    assert.equal(render.renderedWith, 'project-template');
    assert.deepEqual(render.hooksRun, ['tinyfmt']);
    assert.ok(render.text.startsWith('# formatted by tinyfmt\n'), render.text.slice(0, 80));
    assert.deepEqual(parseMigration(render.text).problems.filter((p) => p.code === 'syntax-error'), []);
  });

  it("a failing hook is reported with its message (Alembic itself ignores a console_scripts hook's exit status)", async () => {
    const fmt = installFormatter('fail');
    cleanups.push(fmt.restore);
    const { dir, cleanup } = copyFixture('linear');
    cleanups.push(cleanup);
    withHook(dir);
    const { render } = await prepareSquash({ project: loadProject(dir), from: 'base', to: 'head', python: PYTHON });
    assert.ok(
      render.warnings.some((w) => w.includes('tinyfmt: cannot format this')),
      `warnings name the formatter's complaint: ${JSON.stringify(render.warnings)}`,
    );
    assert.ok(!render.text.startsWith('# formatted by tinyfmt'), 'the file was not changed by the failing hook');
  });
});

describe('post_write_hooks that cannot run: a warning naming the hook, the file written unformatted', function () {
  this.timeout(60_000);
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const c of cleanups.splice(0).reverse()) c();
  });
  before(function () {
    if (!fs.existsSync(PYTHON)) this.skip();
  });

  function withHooks(dir: string, section: string): void {
    const ini = path.join(dir, 'alembic.ini');
    const text = fs.readFileSync(ini, 'utf8');
    fs.writeFileSync(ini, text.includes('[post_write_hooks]\n') ? text.replace('[post_write_hooks]\n', `[post_write_hooks]\n${section}`) : `${text}\n[post_write_hooks]\n${section}`);
  }

  it('an exec hook (unknown to Alembic 1.8), a missing entry point, and a working hook after them', async () => {
    const fmt = installFormatter('mark');
    cleanups.push(fmt.restore);
    const { dir, cleanup } = copyFixture('linear');
    cleanups.push(cleanup);
    withHooks(
      dir,
      'hooks = ruff, black, tinyfmt\nruff.type = exec\nruff.executable = ruff\nruff.options = format REVISION_SCRIPT_FILENAME\n' +
        'black.type = console_scripts\nblack.entrypoint = black-not-installed\n' +
        'tinyfmt.type = console_scripts\ntinyfmt.entrypoint = tinyfmt\ntinyfmt.options = REVISION_SCRIPT_FILENAME\n',
    );
    const { render } = await prepareSquash({ project: loadProject(dir), from: 'base', to: 'head', python: PYTHON });
    const about = (name: string) => render.warnings.find((w) => w.includes(`"${name}"`)) ?? '';
    assert.match(about('ruff'), /could not run: .*exec/, JSON.stringify(render.warnings));
    assert.match(about('black'), /could not run: .*black-not-installed/, JSON.stringify(render.warnings));
    assert.deepEqual(render.hooksRun, ['tinyfmt']);
    assert.ok(render.text.startsWith('# formatted by tinyfmt\n'));
  });

  it('a hook whose command exits non-zero leaves the file as it was', async () => {
    const fmt = installFormatter('fail');
    cleanups.push(fmt.restore);
    const { dir, cleanup } = copyFixture('linear');
    cleanups.push(cleanup);
    withHooks(dir, 'hooks = tinyfmt\ntinyfmt.type = console_scripts\ntinyfmt.entrypoint = tinyfmt\ntinyfmt.options = REVISION_SCRIPT_FILENAME\n');
    const { render } = await prepareSquash({ project: loadProject(dir), from: 'base', to: 'head', python: PYTHON });
    assert.match(render.warnings.join('\n'), /"tinyfmt" could not run: exited with status 3/);
    assert.deepEqual(render.hooksRun, []);
  });

  it('hooks turned off are not run, and the result says why', async () => {
    const fmt = installFormatter('mark');
    cleanups.push(fmt.restore);
    const { dir, cleanup } = copyFixture('linear');
    cleanups.push(cleanup);
    withHooks(dir, 'hooks = tinyfmt\ntinyfmt.type = console_scripts\ntinyfmt.entrypoint = tinyfmt\ntinyfmt.options = REVISION_SCRIPT_FILENAME\n');
    const { render } = await prepareSquash({ project: loadProject(dir), from: 'base', to: 'head', python: PYTHON, hooks: false, hooksSkippedBecause: '--no-hooks' });
    assert.equal(render.hooksSkipped, '--no-hooks');
    assert.deepEqual(render.hooksRun, []);
    assert.ok(!render.text.startsWith('# formatted by tinyfmt'));
  });
});
