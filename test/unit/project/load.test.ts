import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { inspect } from 'node:util';
import { loadProject, ProjectPathNotFoundError, type ProjectConfig } from '../../../src/core/project';

const FIXTURES = path.resolve(__dirname, '../../fixtures/config');
const fx = (...parts: string[]): string => path.join(FIXTURES, ...parts);

/** `code@line` for each problem, lines 1-based as an editor shows them. */
function problemLines(project: ProjectConfig): string[] {
  return project.problems.map((p) => {
    const text = fs.readFileSync(p.path!, 'utf8');
    return `${p.code}@${text.slice(0, p.range.start).split('\n').length}`;
  });
}

function lineText(project: ProjectConfig, code: string): string {
  const p = project.problems.find((x) => x.code === code)!;
  return fs.readFileSync(p.path!, 'utf8').slice(p.range.start, p.range.end);
}

describe('project/loadProject', () => {
  describe('plain alembic.ini', () => {
    const project = loadProject(fx('plain-ini'));

    it('resolves script_location and the default versions folder against the ini folder', () => {
      assert.equal(project.configKind, 'ini');
      assert.equal(project.configPath, fx('plain-ini', 'alembic.ini'));
      assert.equal(project.section, 'alembic');
      assert.equal(project.here, fx('plain-ini'));
      assert.equal(project.scriptLocation, fx('plain-ini', 'migrations'));
      assert.deepEqual(project.versionLocations, [fx('plain-ini', 'migrations', 'versions')]);
      assert.equal(project.templatePath, fx('plain-ini', 'migrations', 'script.py.mako'));
      assert.deepEqual(project.problems, []);
    });

    it('uses Alembic defaults for what the ini leaves out', () => {
      assert.equal(project.fileTemplate, '%(rev)s_%(slug)s');
      assert.equal(project.truncateSlugLength, 40);
      assert.equal(project.recursiveVersionLocations, false);
      assert.equal(project.timezone, undefined);
      assert.deepEqual(project.prependSysPath, [fx('plain-ini')]);
    });

    it('reads post_write_hooks in the order of `hooks`', () => {
      assert.deepEqual(
        project.postWriteHooks.map(({ name, type, entrypoint, executable, options }) => ({ name, type, entrypoint, executable, options })),
        [
          { name: 'black', type: 'console_scripts', entrypoint: 'black', executable: undefined, options: '-l 79 REVISION_SCRIPT_FILENAME' },
          { name: 'ruff', type: 'exec', entrypoint: undefined, executable: fx('plain-ini', '.venv/bin/ruff'), options: 'check --fix REVISION_SCRIPT_FILENAME' },
        ],
      );
    });

    it('keeps sqlalchemy.url readable but out of JSON and inspect output', () => {
      assert.equal(project.sqlalchemyUrl, 'postgresql://app:secret@localhost/app');
      assert.ok(!JSON.stringify(project).includes('secret'));
      assert.ok(!inspect(project, { depth: 5 }).includes('secret'));
    });

    it('is found the same way from the ini file itself', () => {
      assert.equal(loadProject(fx('plain-ini', 'alembic.ini')).scriptLocation, project.scriptLocation);
    });
  });

  it('interpolates %(here)s, [DEFAULT] values and %% and splits multi-line version_locations on newlines', () => {
    const project = loadProject(fx('interpolation'));
    assert.deepEqual(project.problems, []);
    assert.equal(project.scriptLocation, fx('interpolation', 'db'));
    assert.deepEqual(project.versionLocations, [
      fx('interpolation', 'db', 'versions'),
      fx('interpolation', 'modules', 'billing', 'versions'),
      fx('interpolation', 'modules', 'audit', 'versions'),
    ]);
    assert.equal(project.fileTemplate, '%(year)d_%(month).2d_%(day).2d_%(rev)s_%(slug)s');
    assert.equal(project.truncateSlugLength, 32);
    assert.equal(project.timezone, 'UTC  # not a comment: configparser keeps inline text');
    assert.equal(project.revisionEnvironment, true);
    assert.equal(project.sqlalchemyUrl, 'postgresql://app:p%40ss@localhost/app');
  });

  describe('path_separator', () => {
    const sep = (section: string): ProjectConfig => loadProject(fx('separators'), { section });
    const one = fx('separators', 'one', 'versions');
    const two = fx('separators', 'two', 'versions');
    const three = fx('separators', 'three', 'versions');

    for (const section of ['space', 'newline', 'os', 'colon', 'semicolon']) {
      it(`splits version_locations with path_separator for [${section}]`, () => {
        const project = sep(section);
        assert.deepEqual(project.versionLocations, [one, two]);
        assert.deepEqual(project.problems, []);
        assert.equal(project.name, `separators [${section}]`);
      });
    }

    it('without a separator splits on commas and spaces (legacy)', () => {
      assert.deepEqual(sep('legacy').versionLocations, [one, two, three]);
    });

    it('legacy splitting breaks a path with a space, path_separator = os keeps it', () => {
      const legacy = sep('legacy_spaces');
      assert.deepEqual(legacy.versionLocations, [fx('separators', 'with'), fx('separators', 'space', 'versions')]);
      assert.deepEqual(problemLines(legacy), ['version-location-missing@34', 'version-location-missing@34']);
      const os = sep('os_spaces');
      assert.deepEqual(os.versionLocations, [fx('separators', 'with space', 'versions'), one]);
      assert.deepEqual(os.problems, []);
    });

    it('legacy splitting does not split lines: a multi-line value is one (missing) path and a hint', () => {
      const project = sep('legacy_multiline');
      assert.equal(project.versionLocations.length, 1);
      assert.deepEqual(problemLines(project), ['version-locations-newline@43', 'version-location-missing@43']);
    });

    it('accepts the deprecated version_path_separator, with a note', () => {
      const project = sep('version_path_separator');
      assert.deepEqual(project.versionLocations, [one, three]);
      assert.deepEqual(problemLines(project), ['deprecated-version-path-separator@49']);
      assert.equal(project.problems[0]!.severity, 'info');
    });

    it('reports an unknown path_separator on its line', () => {
      const project = sep('bad');
      assert.deepEqual(problemLines(project), ['unknown-path-separator@54']);
      assert.equal(lineText(project, 'unknown-path-separator'), 'path_separator = comma');
      assert.match(project.problems[0]!.message, /'comma'.*'space', 'newline', 'os', ':', ';'/);
    });
  });

  describe('recursive_version_locations', () => {
    it('is read from the section', () => {
      const project = loadProject(fx('recursive'));
      assert.equal(project.recursiveVersionLocations, true);
      assert.deepEqual(project.versionLocations, [fx('recursive', 'alembic', 'versions')]);
      assert.equal(loadProject(fx('recursive'), { section: 'flat' }).recursiveVersionLocations, false);
    });

    it('only the exact value `true` turns it on; `True` is flagged', () => {
      const project = loadProject(fx('recursive'), { section: 'capitalised' });
      assert.equal(project.recursiveVersionLocations, false);
      assert.deepEqual(problemLines(project), ['ignored-boolean@10']);
    });
  });

  describe('several configurations in one ini', () => {
    it('reads each section separately, with [DEFAULT] visible in both', () => {
      const customers = loadProject(fx('multi-config'), { section: 'customers' });
      const analytics = loadProject(fx('multi-config'), { section: 'analytics' });
      assert.equal(customers.scriptLocation, fx('multi-config', 'customers'));
      assert.equal(analytics.scriptLocation, fx('multi-config', 'analytics'));
      assert.equal(customers.sqlalchemyUrl, 'postgresql://localhost/app');
      assert.equal(analytics.sqlalchemyUrl, 'postgresql://localhost/analytics');
      assert.equal(customers.truncateSlugLength, 30);
      // Alembic: `truncate_slug_length or 40`.
      assert.equal(analytics.truncateSlugLength, 40);
    });

    it('without a section and without [alembic], takes the first section with script_location', () => {
      assert.equal(loadProject(fx('multi-config')).section, 'customers');
    });

    it('reports a section that does not exist', () => {
      const project = loadProject(fx('multi-config'), { section: 'alembic' });
      assert.deepEqual(project.problems.map((p) => p.code), ['missing-section', 'missing-script-location']);
    });
  });

  describe('pyproject.toml [tool.alembic]', () => {
    it('merges with the alembic.ini beside it: paths from TOML, URL from the ini', () => {
      const project = loadProject(fx('pyproject'));
      assert.equal(project.configKind, 'pyproject');
      assert.equal(project.configPath, fx('pyproject', 'pyproject.toml'));
      assert.equal(project.iniPath, fx('pyproject', 'alembic.ini'));
      assert.equal(project.scriptLocation, fx('pyproject', 'migrations'));
      assert.deepEqual(project.versionLocations, [fx('pyproject', 'migrations', 'versions'), fx('pyproject', 'plugins', 'audit')]);
      assert.equal(project.fileTemplate, '%(year)d_%(month).2d_%(rev)s_%(slug)s');
      assert.equal(project.truncateSlugLength, 24);
      assert.equal(project.timezone, 'Europe/Paris');
      assert.deepEqual(project.prependSysPath, [fx('pyproject')]);
      assert.deepEqual(project.postWriteHooks.map((h) => [h.name, h.type, h.module, h.options]), [
        ['ruff', 'module', 'ruff', 'format REVISION_SCRIPT_FILENAME'],
      ]);
      assert.equal(project.sqlalchemyUrl, 'postgresql://shop@localhost/shop');
      assert.deepEqual(project.problems, []);
    });

    it('gives the same project from the pyproject.toml, the alembic.ini or the folder', () => {
      const a = loadProject(fx('pyproject', 'pyproject.toml'));
      const b = loadProject(fx('pyproject', 'alembic.ini'));
      assert.deepEqual(a.versionLocations, b.versionLocations);
      assert.equal(a.configPath, b.configPath);
    });

    it('works with no ini at all', () => {
      const project = loadProject(fx('pyproject-only'));
      assert.equal(project.configKind, 'pyproject');
      assert.equal(project.section, 'tool.alembic');
      assert.equal(project.scriptLocation, fx('pyproject-only', 'db'));
      assert.deepEqual(project.versionLocations, [fx('pyproject-only', 'db', 'versions')]);
      assert.equal(project.revisionEnvironment, true);
      assert.equal(project.iniPath, undefined);
      assert.deepEqual(project.problems, []);
    });

    it('reports invalid TOML with its line', () => {
      const project = loadProject(fx('broken', 'bad-toml'));
      assert.equal(project.configKind, 'pyproject');
      assert.deepEqual(problemLines(project), ['toml-syntax@2', 'missing-script-location@2']);
      assert.match(project.problems[0]!.message, /line 2/);
    });

    it('reports TOML values of the wrong type and unescaped % on their lines', () => {
      const project = loadProject(fx('broken', 'bad-toml-types'));
      assert.deepEqual(problemLines(project).sort(), ['invalid-value@3', 'invalid-value@4', 'toml-interpolation@5']);
      assert.equal(project.fileTemplate, '%(rev)s_%(slug)s');
      assert.equal(project.recursiveVersionLocations, false);
    });
  });

  describe('package:resource script_location', () => {
    it('resolves the package from src/', () => {
      const project = loadProject(fx('package-resource'));
      assert.equal(project.scriptLocation, fx('package-resource', 'src', 'shop', 'db', 'migrations'));
      assert.deepEqual(project.versionLocations, [fx('package-resource', 'src', 'shop', 'db', 'migrations', 'versions')]);
      assert.deepEqual(project.problems, []);
    });

    it('resolves version_locations in package form too', () => {
      const project = loadProject(fx('package-resource'), { section: 'resource_versions' });
      assert.deepEqual(project.versionLocations, [fx('package-resource', 'src', 'shop', 'db', 'migrations', 'versions')]);
    });

    it('reports a package that cannot be found, on the script_location line', () => {
      const project = loadProject(fx('package-resource'), { section: 'missing' });
      assert.equal(project.scriptLocation, undefined);
      assert.deepEqual(project.versionLocations, []);
      assert.deepEqual(problemLines(project), ['script-location-unresolved@5']);
      assert.match(project.problems[0]!.message, /warehouse\.db/);
    });
  });

  it('reads a versions folder given directly as a bare, recursive project', () => {
    const project = loadProject(fx('bare', 'versions'));
    assert.equal(project.configKind, 'bare');
    assert.equal(project.configPath, undefined);
    assert.deepEqual(project.versionLocations, [fx('bare', 'versions')]);
    assert.equal(project.recursiveVersionLocations, true);
    assert.deepEqual(project.problems, []);
  });

  describe('problems', () => {
    it('missing script_location, on the section header', () => {
      const project = loadProject(fx('broken', 'no-script-location.ini'));
      assert.deepEqual(problemLines(project), ['missing-script-location@1']);
      assert.equal(project.name, 'broken/no-script-location.ini');
    });

    it('script_location and version locations not on disk', () => {
      const project = loadProject(fx('broken', 'missing-folders.ini'));
      assert.deepEqual(problemLines(project), ['script-location-not-found@2', 'version-location-missing@3']);
      assert.deepEqual(project.versionLocations, [fx('broken', 'nowhere', 'versions')]);
    });

    it('INI syntax errors with their lines', () => {
      const project = loadProject(fx('broken', 'syntax.ini'));
      assert.deepEqual(problemLines(project).filter((p) => p.startsWith('ini-')), ['ini-syntax@2', 'ini-syntax@5']);
      assert.match(project.problems[0]!.message, /^Line 2/);
    });

    it('interpolation errors, the URL one without its text', () => {
      const project = loadProject(fx('broken', 'interpolation.ini'));
      assert.deepEqual(problemLines(project).filter((p) => p.startsWith('ini-')), ['ini-interpolation@3', 'ini-interpolation@4']);
      const url = project.problems.find((p) => p.message.includes('sqlalchemy.url'))!;
      assert.equal(url.severity, 'warning');
      assert.ok(!url.message.includes('p%40ss'));
      assert.equal(project.fileTemplate, '%(rev)s_%(slug)s');
    });

    it('a duplicated key keeps the first value and is an error', () => {
      const project = loadProject(fx('broken', 'duplicate.ini'));
      assert.equal(project.scriptLocation, fx('broken', 'one'));
      assert.ok(problemLines(project).includes('ini-duplicate-option@3'));
    });

    it('a PATH that does not exist is a typed error', () => {
      assert.throws(() => loadProject(fx('nope')), ProjectPathNotFoundError);
    });
  });
});
