import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { repoRoot } from '../../support/cli';

/**
 * The README's first command, as a user on a machine without Docker or PostgreSQL runs it: the
 * local binaries are hidden in a private mount namespace, so `auto` must fall through docker (the
 * client is pointed at a socket nobody serves) and local to the embedded PGlite, and still prove the squash.
 */
describe('the main job (scripts/example.sh) with neither Docker nor local PostgreSQL', function () {
  this.timeout(600_000);

  before(function () {
    const canHide = process.getuid?.() === 0 && spawnSync('unshare', ['-m', 'true']).status === 0;
    if (!canHide) this.skip(); // needs root and mount namespaces to hide /usr/lib/postgresql
  });

  it('squashes and verifies the bookshop example on the embedded PostgreSQL', () => {
    const hide = fs.existsSync('/usr/lib/postgresql') ? 'mount -t tmpfs none /usr/lib/postgresql && ' : '';
    const r = spawnSync('unshare', ['-m', 'sh', '-c', `${hide}exec bash scripts/example.sh`], {
      cwd: repoRoot,
      encoding: 'utf8',
      // Set-up must not reinstall the PostgreSQL this test hides (the rest of set-up still runs).
      // DOCKER_HOST at a socket nobody serves: no Docker engine for this run, whatever runs on the machine.
      env: { ...process.env, NO_COLOR: '1', ALEMBIC_SQUASH_SKIP_APT: '1', DOCKER_HOST: 'unix:///nonexistent/alembic-squash-no-docker.sock' },
      timeout: 540_000,
    });
    const out = `${r.stdout}\n${r.stderr}`;
    assert.equal(r.status, 0, out.slice(-3000));
    assert.match(out, /on PGlite [\d.]+ \(embedded PostgreSQL.* — first usable back end \(docker, local skipped\)/);
    assert.match(out, /✓ equal: same schema \(\d+ objects\), same seed data, and the downgrade to base gives the chain's schema there/);
    assert.match(out, /Strategy: snapshot — asked for \(--strategy snapshot\); proven equal to the chain/);
    assert.match(out, /size: +\d+ lines \(the op-merge squash: \d+ lines\)/);
    assert.match(out, /Wrote the squash: migrations\/versions\/c41d7e2a9b06_squash_/);
    assert.match(out, /1 revision, 1 head, 1 base/);
  });
});
