import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseIni, type IniFile } from '../../../src/core/project';

const FIXTURES = path.resolve(__dirname, '../../fixtures/config');
const PYTHON = '/usr/bin/python3';

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split(/\r\n|\r|\n/).length;
}

function value(ini: IniFile, section: string, key: string): string | undefined {
  const got = ini.get(section, key);
  assert.ok(got === undefined || got.error === undefined, got?.error);
  return got?.value;
}

describe('project/ini: configparser-compatible reader', () => {
  it('reads `key = value` and `key: value`, lower-cases keys, keeps section names as written', () => {
    const { ini, problems } = parseIni('[Alembic]\nScript_Location: migrations\nfile_template = %%(rev)s\n');
    assert.deepEqual(problems, []);
    assert.deepEqual(ini.sections, ['Alembic']);
    assert.equal(value(ini, 'Alembic', 'script_location'), 'migrations');
    assert.equal(value(ini, 'Alembic', 'SCRIPT_LOCATION'), 'migrations');
    assert.equal(ini.get('alembic', 'script_location'), undefined);
  });

  it('splits on the first delimiter, so URLs with colons keep their value', () => {
    const { ini } = parseIni('[alembic]\nsqlalchemy.url = postgresql://u:p@h:5432/db\nkey: a = b\n');
    assert.equal(value(ini, 'alembic', 'sqlalchemy.url'), 'postgresql://u:p@h:5432/db');
    assert.equal(value(ini, 'alembic', 'key'), 'a = b');
  });

  it('drops full-line # and ; comments but keeps inline ones as text', () => {
    const { ini } = parseIni('[alembic]\n# comment\n  ; indented comment\ntimezone = UTC # trailing\n');
    assert.equal(value(ini, 'alembic', 'timezone'), 'UTC # trailing');
  });

  it('joins indented continuation lines, keeps inner blank lines, drops comments and trailing blanks', () => {
    const text = '[alembic]\nversion_locations =\n    a\n    # skipped\n\n    b\n\nnext = 1\n';
    const { ini } = parseIni(text);
    assert.equal(value(ini, 'alembic', 'version_locations'), '\na\n\nb');
    assert.equal(value(ini, 'alembic', 'next'), '1');
    const option = ini.option('alembic', 'version_locations')!;
    assert.equal(lineOf(text, option.lineRange.start), 2);
    assert.equal(lineOf(text, option.range.end), 6);
  });

  it('interpolates %(here)s, DEFAULT values and %% escapes, recursively', () => {
    const { ini } = parseIni('[DEFAULT]\nbase = %(here)s/app\n[alembic]\nscript_location = %(base)s/db\nfile_template = %%(rev)s_%%(slug)s\n', {
      here: '/srv/project',
    });
    assert.equal(value(ini, 'alembic', 'script_location'), '/srv/project/app/db');
    assert.equal(value(ini, 'alembic', 'file_template'), '%(rev)s_%(slug)s');
    assert.equal(ini.raw('alembic', 'script_location'), '%(base)s/db');
  });

  it('reports bad interpolation without quoting the value (it may hold a password)', () => {
    const { ini } = parseIni('[alembic]\nsqlalchemy.url = postgresql://app:p%40ss@db/app\nfile_template = %(rev)s\nloop = %(loop)s\n');
    const url = ini.get('alembic', 'sqlalchemy.url')!;
    assert.ok(url.error);
    assert.ok(!url.error.includes('p%40ss'));
    assert.match(ini.get('alembic', 'file_template')!.error!, /%\(rev\)s/);
    assert.match(ini.get('alembic', 'loop')!.error!, /refers to itself/);
  });

  it('reports syntax errors with their line and keeps reading', () => {
    const text = 'stray = 1\n[alembic]\nno delimiter here\nscript_location = db\nscript_location = other\n[alembic]\n';
    const { ini, problems } = parseIni(text);
    assert.deepEqual(
      problems.map((p) => [p.code, lineOf(text, p.range.start)]),
      [
        ['ini-syntax', 1],
        ['ini-syntax', 3],
        ['ini-duplicate-option', 5],
        ['ini-duplicate-section', 6],
      ],
    );
    assert.equal(value(ini, 'alembic', 'script_location'), 'db');
  });

  it('handles CRLF line ends and a byte-order mark', () => {
    const { ini, problems } = parseIni('\ufeff[alembic]\r\nscript_location = db\r\nversion_locations =\r\n  a\r\n  b\r\n');
    assert.deepEqual(problems, []);
    assert.equal(value(ini, 'alembic', 'version_locations'), '\na\nb');
  });

  describe('agrees with Python configparser', function () {
    const tricky = [
      'plain-ini/alembic.ini',
      'interpolation/alembic.ini',
      'separators/alembic.ini',
      'multi-config/alembic.ini',
      'broken/interpolation.ini',
    ];

    before(function () {
      const probe = fs.existsSync(PYTHON) ? spawnSync(PYTHON, ['-c', 'import configparser, json'], { encoding: 'utf8' }) : undefined;
      if (!probe || probe.status !== 0) {
        // eslint-disable-next-line no-console
        console.log(`      (skipped: ${PYTHON} with configparser is not available)`);
        this.skip();
      }
    });

    const script = [
      'import configparser, json, os, sys',
      'path = sys.argv[1]',
      'cp = configparser.ConfigParser({"here": os.path.dirname(os.path.abspath(path))})',
      'cp.read(path)',
      'out = {}',
      'for s in cp.sections():',
      '    out[s] = {}',
      '    for k in cp.options(s):',
      '        try:',
      '            out[s][k] = cp.get(s, k)',
      '        except configparser.Error as e:',
      '            out[s][k] = {"error": type(e).__name__}',
      'print(json.dumps(out))',
    ].join('\n');

    for (const rel of tricky) {
      it(`reads ${rel} to the same values`, () => {
        const file = path.join(FIXTURES, rel);
        const run = spawnSync(PYTHON, ['-c', script, file], { encoding: 'utf8' });
        assert.equal(run.status, 0, run.stderr);
        const expected = JSON.parse(run.stdout) as Record<string, Record<string, unknown>>;
        const { ini, problems } = parseIni(fs.readFileSync(file, 'utf8'), { here: path.dirname(file) });
        assert.deepEqual(problems, []);
        const actual: Record<string, Record<string, unknown>> = {};
        for (const section of ini.sections) {
          actual[section] = {};
          for (const [key, got] of ini.items(section)) {
            actual[section][key] = got.error === undefined ? got.value : { error: 'InterpolationError' };
          }
        }
        // Python names the failure class; our reader only says that it failed.
        for (const section of Object.values(expected)) {
          for (const [k, v] of Object.entries(section)) if (typeof v === 'object') section[k] = { error: 'InterpolationError' };
        }
        assert.deepEqual(actual, expected);
      });
    }

    it('refuses the same broken files', () => {
      for (const rel of ['broken/syntax.ini', 'broken/duplicate.ini']) {
        const file = path.join(FIXTURES, rel);
        const run = spawnSync(PYTHON, ['-c', 'import configparser,sys; configparser.ConfigParser().read(sys.argv[1])', file], { encoding: 'utf8' });
        assert.notEqual(run.status, 0, `${rel} should fail in Python`);
        assert.ok(parseIni(fs.readFileSync(file, 'utf8')).problems.some((p) => p.severity === 'error'), rel);
      }
    });
  });
});
