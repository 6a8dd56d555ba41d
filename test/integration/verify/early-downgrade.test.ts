// Verify downgrades each side on a copy made as soon as its upgrade ended, while the side itself is
// captured at the tip; a side that cannot be copied (a pooled env.py keeps a connection open) is
// downgraded in place, without PostgreSQL's 5-second wait for the template's sessions.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadProject } from '../../../src/core/project';
import { prepareSquash } from '../../../src/core/squash';
import { verifySquash } from '../../../src/core/verify';
import { clusterUnavailableReason } from '../../support/pg-cluster';
import { copyFixture, PYTHON } from '../../unit/squash/support';

async function verifyCopy(dir: string, log: string[]) {
  const project = loadProject(dir);
  const prepared = await prepareSquash({ project, from: 'base', to: 'head', python: PYTHON });
  return verifySquash({
    project,
    python: PYTHON,
    provider: { provider: 'local' },
    candidate: { kind: 'edits', edits: prepared.edits },
    to: 'heads',
    downgradeTo: 'base',
    log: (line) => log.push(line),
  });
}

describe('verify: each side downgraded on a copy while it is captured', function () {
  this.timeout(180_000);
  before(function () {
    if (clusterUnavailableReason()) this.skip();
  });

  it('copies both sides after their upgrades and compares the copies downgraded: equal, as before', async () => {
    const copy = copyFixture('views-functions-triggers');
    try {
      const log: string[] = [];
      const r = await verifyCopy(copy.dir, log);
      assert.equal(r.equal, true, r.unifiedDiff);
      assert.ok(r.downgrade, 'the downgrade was compared');
      assert.equal(log.filter((l) => / as a copy of /.test(l)).length, 2, log.join('\n'));
      assert.ok(!log.some((l) => /no copy of the/.test(l)), log.join('\n'));
    } finally {
      copy.cleanup();
    }
  });

  it('an env.py that keeps its pooled connection open: no copy (after a short wait for it to close), both sides are downgraded in place', async () => {
    const copy = copyFixture('views-functions-triggers');
    try {
      // As Flask-Migrate's env.py does: the application's engine (pooled) outlives the command.
      const env = path.join(copy.dir, 'migrations', 'env.py');
      const text = fs.readFileSync(env, 'utf8');
      assert.ok(text.includes('poolclass=pool.NullPool,'), 'the fixture env.py uses NullPool');
      fs.writeFileSync(
        env,
        text.replace('poolclass=pool.NullPool,', '').replace('    with connectable.connect() as connection:', '    import sqlalchemy as _sa\n    _sa.__dict__.setdefault("_kept_engines", []).append(connectable)\n    with connectable.connect() as connection:'),
      );
      const log: string[] = [];
      const r = await verifyCopy(copy.dir, log);
      assert.equal(r.equal, true, r.unifiedDiff);
      assert.ok(r.downgrade, 'the downgrade was compared');
      const refused = log.filter((l) => /no copy of the (chain|squash) database for an early downgrade: .*open connection/.test(l));
      assert.equal(refused.length, 2, log.join('\n'));
    } finally {
      copy.cleanup();
    }
  });
});
