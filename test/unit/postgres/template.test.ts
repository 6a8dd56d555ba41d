import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { saveTemplate, templateDir } from '../../../src/core/postgres/template';

// The cached data dir depends on the binaries and initdb's flags; one made with other flags (an older
// version of this tool) must not stay in the user's cache forever.
describe('data-dir template cache', () => {
  let cache: string;
  let saved: string | undefined;
  beforeEach(() => {
    cache = fs.mkdtempSync(path.join(os.tmpdir(), 'alembic-squash-cache-'));
    saved = process.env.XDG_CACHE_HOME;
    process.env.XDG_CACHE_HOME = cache;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = saved;
    fs.rmSync(cache, { recursive: true, force: true });
  });

  const template = (name: string, madeBy: string) => {
    const dir = path.join(cache, 'alembic-squash', name);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, '.alembic-squash-template'), madeBy);
    return dir;
  };

  it('saving one removes those of the same binaries made with other flags, and keeps the others', async () => {
    const bin = { dir: '/opt/pg/15/bin', major: 15, version: '15.18' };
    const outdated = template('pg-15-datadir-000000000000', `${bin.dir} ${bin.version}\n`);
    const otherBuild = template('pg-15-datadir-111111111111', '/usr/lib/postgresql/15/bin 15.18\n');
    const otherMajor = template('pg-16-datadir-222222222222', `${bin.dir} ${bin.version}\n`);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'alembic-squash-data-'));
    fs.writeFileSync(path.join(dataDir, 'PG_VERSION'), '15\n');
    try {
      await saveTemplate(bin, dataDir);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
    assert.equal(fs.readFileSync(path.join(templateDir(bin), 'PG_VERSION'), 'utf8'), '15\n');
    assert.equal(fs.existsSync(outdated), false, 'the outdated template of these binaries is gone');
    assert.equal(fs.existsSync(otherBuild), true, "another build's template stays");
    assert.equal(fs.existsSync(otherMajor), true, "another major's template stays");
  });
});
