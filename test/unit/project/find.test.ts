import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findProjects, isVersionLocation, listMigrationFiles, loadProject, versionLocationOf } from '../../../src/core/project';

const FIXTURES = path.resolve(__dirname, '../../fixtures/config');

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

describe('project/findProjects', () => {
  let ws: string;

  before(() => {
    // node_modules, build output and __pycache__ cannot live in the repository: build the workspace here.
    ws = fs.mkdtempSync(path.join(os.tmpdir(), 'alembic-squash-find-'));
    fs.cpSync(path.join(FIXTURES, 'plain-ini'), path.join(ws, 'services', 'users'), { recursive: true });
    fs.cpSync(path.join(FIXTURES, 'multi-config'), path.join(ws, 'services', 'warehouse'), { recursive: true });
    fs.cpSync(path.join(FIXTURES, 'pyproject'), path.join(ws, 'shop'), { recursive: true });
    fs.cpSync(path.join(FIXTURES, 'pyproject-only'), path.join(ws, 'tools', 'reports'), { recursive: true });
    const decoy = '[alembic]\nscript_location = migrations\n';
    write(path.join(ws, 'node_modules', 'some-lib', 'alembic.ini'), decoy);
    write(path.join(ws, '.venv', 'lib', 'python3.11', 'site-packages', 'alembic', 'alembic.ini'), decoy);
    write(path.join(ws, 'env311', 'pyvenv.cfg'), 'home = /usr/bin\n');
    write(path.join(ws, 'env311', 'alembic.ini'), decoy);
    write(path.join(ws, 'build', 'lib', 'alembic.ini'), decoy);
    write(path.join(ws, 'pytest.ini'), '[pytest]\naddopts = -q\n');
    write(path.join(ws, 'setup', 'logging.ini'), '[loggers]\nkeys = root\n[formatter_generic]\nformat = %(message)s\n');
    write(path.join(ws, 'deep', 'a', 'b', 'c', 'alembic.ini'), decoy);
  });

  after(() => {
    fs.rmSync(ws, { recursive: true, force: true });
  });

  it('finds every project, one per ini section, skipping dependencies and virtual environments', async () => {
    const projects = await findProjects(ws);
    assert.deepEqual(
      projects.map((p) => [p.name, p.configKind, p.section]),
      [
        ['deep/a/b/c', 'ini', 'alembic'],
        ['services/users', 'ini', 'alembic'],
        ['services/warehouse [customers]', 'ini', 'customers'],
        ['services/warehouse [analytics]', 'ini', 'analytics'],
        ['shop', 'pyproject', 'alembic'],
        ['tools/reports', 'pyproject', 'tool.alembic'],
      ],
    );
    assert.equal(projects[1]!.scriptLocation, path.join(ws, 'services', 'users', 'migrations'));
    assert.deepEqual(projects[4]!.versionLocations, [path.join(ws, 'shop', 'migrations', 'versions'), path.join(ws, 'shop', 'plugins', 'audit')]);
    assert.ok(projects.every((p) => !p.configPath!.includes('node_modules') && !p.configPath!.includes('.venv')));
  });

  it('honours maxDepth and ignore', async () => {
    const shallow = await findProjects(ws, { maxDepth: 2, ignore: ['tools', 'services/warehouse'] });
    assert.deepEqual(
      shallow.map((p) => p.name),
      ['services/users', 'shop'],
    );
  });

  it('returns nothing for a folder without projects', async () => {
    assert.deepEqual(await findProjects(path.join(ws, 'setup')), []);
  });
});

describe('project/listMigrationFiles', () => {
  let tmp: string;

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'alembic-squash-files-'));
    fs.cpSync(path.join(FIXTURES, 'recursive'), path.join(tmp, 'recursive'), { recursive: true });
    write(path.join(tmp, 'recursive', 'alembic', 'versions', '__pycache__', 'stale.py'), 'revision = "stale"\n');
    write(path.join(tmp, 'recursive', 'alembic', 'versions', 'release_1', '__pycache__', '0002_users.cpython-311.pyc'), '');
  });

  after(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const rel = (root: string, files: string[]): string[] => files.map((f) => path.relative(root, f).split(path.sep).join('/'));

  it('walks release sub-folders in name order when recursive, skipping __pycache__ and non-.py files', async () => {
    const project = loadProject(path.join(tmp, 'recursive'));
    const versions = path.join(tmp, 'recursive', 'alembic', 'versions');
    assert.deepEqual(rel(versions, await listMigrationFiles(project)), [
      '0001_base.py',
      '__init__.py',
      'release_1/0002_users.py',
      'release_1/0003_orders.py',
      'release_10/0006_reports.py',
      'release_2/0004_invoices.py',
      'release_2/hotfix/0005_fix_index.py',
    ]);
  });

  it('reads only the top folder when not recursive', async () => {
    const project = loadProject(path.join(tmp, 'recursive'), { section: 'flat' });
    const versions = path.join(tmp, 'recursive', 'alembic', 'versions');
    assert.deepEqual(rel(versions, await listMigrationFiles(project)), ['0001_base.py', '__init__.py']);
  });

  it('reads a bare versions folder recursively', async () => {
    const versions = path.join(FIXTURES, 'bare', 'versions');
    const project = loadProject(versions);
    assert.deepEqual(rel(versions, await listMigrationFiles(project)), ['11aa_first.py', 'helpers.py', '2024/22bb_second.py']);
  });

  it('lists the version locations in configured order and a file reached twice once', async () => {
    const project = loadProject(path.join(FIXTURES, 'separators'), { section: 'legacy' });
    const twice = { ...project, versionLocations: [...project.versionLocations, project.versionLocations[0]!] };
    assert.deepEqual(rel(path.join(FIXTURES, 'separators'), await listMigrationFiles(twice)), [
      'one/versions/a1_one.py',
      'two/versions/b1_two.py',
      'three/versions/c1_three.py',
    ]);
  });

  it('returns nothing for version locations that do not exist', async () => {
    assert.deepEqual(await listMigrationFiles(loadProject(path.join(FIXTURES, 'broken', 'missing-folders.ini'))), []);
  });
});

describe('project/versionLocationOf and isVersionLocation', () => {
  const recursive = loadProject(path.join(FIXTURES, 'recursive'));
  const flat = loadProject(path.join(FIXTURES, 'recursive'), { section: 'flat' });
  const versions = path.join(FIXTURES, 'recursive', 'alembic', 'versions');
  const nested = path.join(versions, 'release_2', 'hotfix', '0005_fix_index.py');

  it('finds the location of a file directly inside it', () => {
    assert.equal(versionLocationOf(flat, path.join(versions, '0001_base.py')), versions);
  });

  it('finds the location of a nested file only when the project reads recursively', () => {
    assert.equal(versionLocationOf(recursive, nested), versions);
    assert.equal(versionLocationOf(flat, nested), undefined);
  });

  it('knows nothing of files elsewhere', () => {
    assert.equal(versionLocationOf(recursive, path.join(FIXTURES, 'recursive', 'alembic', 'env.py')), undefined);
    assert.equal(versionLocationOf(recursive, path.join(FIXTURES, 'plain-ini', 'migrations', 'versions', 'x.py')), undefined);
  });

  it('picks the right one of several locations', () => {
    const project = loadProject(path.join(FIXTURES, 'interpolation'));
    const billing = path.join(FIXTURES, 'interpolation', 'modules', 'billing', 'versions');
    assert.equal(versionLocationOf(project, path.join(billing, 'bbb222_billing.py')), billing);
  });

  it('recognises version location folders, however the path is written', () => {
    assert.equal(isVersionLocation(recursive, versions), true);
    assert.equal(isVersionLocation(recursive, versions + path.sep), true);
    assert.equal(isVersionLocation(recursive, path.join(versions, 'release_1', '..')), true);
    assert.equal(isVersionLocation(recursive, path.join(versions, 'release_1')), false);
    assert.equal(isVersionLocation(recursive, path.join(FIXTURES, 'recursive', 'alembic')), false);
  });
});
