import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { createServer } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadProject } from '../../../src/core/project';
import { ScriptDirectory } from '../../../src/core/scripts';
import { clusterUnavailableReason } from '../../support/pg-cluster';
import { fixture, runCli, runCliJson } from '../../support/cli';

const PYTHON = '/usr/bin/python3';
// The python3 on PATH lacks Alembic; the CLI (through core's findPython) honours this variable.
const env = { ALEMBIC_SQUASH_PYTHON: PYTHON, PYTHONDONTWRITEBYTECODE: '1' };
const PHASES = ['start', 'migrate-chain', 'migrate-squash', 'capture', 'compare', 'downgrade', 'cleanup'];

const temps: string[] = [];
function copyOf(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `alembic-squash-cli-${name}-`));
  fs.cpSync(fixture(name), dir, { recursive: true });
  temps.push(dir);
  return dir;
}

/** sha256 of every file under dir by relative path; the CLI's own journal folder is left out. */
function hashTree(dir: string, skip = ['.alembic-squash']): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (skip.includes(e.name)) continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = createHash('sha256').update(fs.readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

function alembic(dir: string, args: string[]) {
  return spawnSync(PYTHON, ['-m', 'alembic', '-c', path.join(dir, 'alembic.ini'), ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env } });
}

function git(dir: string, args: string[]) {
  const r = spawnSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'init.defaultBranch=main', ...args], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

/** Appends a statement at the end of upgrade() of a written squash. */
function plantInUpgrade(file: string, statement: string) {
  const text = fs.readFileSync(file, 'utf8');
  assert.equal(text.split('\n\ndef downgrade()').length, 2);
  fs.writeFileSync(file, text.replace('\n\ndef downgrade()', `\n    ${statement}\n\n\ndef downgrade()`));
}

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe('alembic-squash squash / verify / schema / diff (built CLI)', function () {
  this.timeout(180_000);
  after(() => {
    for (const t of temps) fs.rmSync(t, { recursive: true, force: true });
  });

  describe('squash', () => {
    it('--dry-run --json shows the plan and the new file and changes nothing on disk', () => {
      const dir = copyOf('branch-merge');
      const before = hashTree(dir, []);
      const { status, json } = runCliJson(['squash', dir, '--from', 'base', '--to', 'ccfb5e658949', '--strategy', 'ops', '--dry-run'], { env });
      assert.equal(status, 0);
      assert.deepEqual(
        json.plan.members.map((m: { revision: string }) => m.revision).sort(),
        ['0637049d18c4', '2e3bb4244796', '4f94869fcc4b', '957652cfb6bf', 'ccfb5e658949', 'f360e7047cbf'],
      );
      assert.equal(json.plan.tip, 'ccfb5e658949');
      assert.equal(json.plan.newRevision, 'ccfb5e658949', 'the tip keeps its id by default');
      assert.deepEqual(json.plan.downRevisions, []);
      assert.match(json.file.text, /revision = 'ccfb5e658949'/);
      assert.match(json.file.text, /down_revision = None/);
      assert.match(json.file.text, /def upgrade\(\)/);
      assert.equal(json.written, null);
      assert.deepEqual(hashTree(dir, []), before, 'nothing written, not even a journal');
    });

    it('writes one revision that real Alembic reads, and --undo restores every byte', () => {
      const dir = copyOf('linear');
      const before = hashTree(dir);
      const written = runCliJson(['squash', dir, '--from', 'base', '--to', 'head', '--strategy', 'ops'], { env });
      assert.equal(written.status, 0, written.stderr);
      assert.ok(written.json.written.files.length > 0);

      const graph = runCliJson(['graph', dir]).json.graphs[0];
      assert.deepEqual(graph.revisions.map((r: { revision: string }) => r.revision), ['0d3b8f5a61c9']);
      assert.deepEqual(graph.heads, ['0d3b8f5a61c9']);
      assert.equal(fs.readdirSync(path.join(dir, 'migrations', 'versions')).filter((f) => f.endsWith('.py')).length, 1);
      const heads = alembic(dir, ['heads']);
      assert.equal(heads.status, 0, heads.stderr);
      assert.match(heads.stdout, /^0d3b8f5a61c9 \(head\)$/m);
      const history = alembic(dir, ['history']);
      assert.equal(history.stdout.trim().split('\n').length, 1, history.stdout);

      const undo = runCli(['squash', dir, '--undo'], { env });
      assert.equal(undo.status, 0, undo.stderr);
      assert.deepEqual(hashTree(dir), before);
    });

    it('a range that is not squashable exits 1 and names every reason', async () => {
      for (const [name, from, to] of [
        ['branch-merge', 'f360e7047cbf', 'ccfb5e658949'],
        ['branch-merge', '4f94869fcc4b', '0637049d18c4'],
        ['depends-on', '844641c80427', 'd165e1a65560'],
      ] as const) {
        const scripts = await ScriptDirectory.load(loadProject(fixture(name)));
        const members = scripts.map.range(from, to);
        const check = scripts.map.checkSquashable(members);
        assert.equal(check.ok, false, `${name} ${from}..${to} is refused by the graph`);
        const r = runCli(['squash', fixture(name), '--from', from, '--to', to, '--dry-run'], { env });
        assert.equal(r.status, 1, r.stderr);
        assert.ok(check.reasons.length > 0);
        for (const reason of check.reasons) {
          assert.ok(r.stderr.includes(reason.message), `stderr has "${reason.message}":\n${r.stderr}`);
          for (const rev of reason.revisions) assert.ok(r.stderr.includes(rev), `stderr names ${rev}`);
        }
      }
    });
  });

  describe('verify, schema, diff on a local PostgreSQL', () => {
    before(function () {
      if (clusterUnavailableReason()) this.skip();
    });

    it('verify --from base --to head --json: equal, on local, with a timing for every phase', () => {
      const { status, json, stderr } = runCliJson(['verify', fixture('views-functions-triggers'), '--from', 'base', '--to', 'head', '--provider', 'local'], { env });
      assert.equal(status, 0, stderr);
      assert.equal(json.equal, true);
      assert.equal(json.provider.kind, 'local');
      assert.deepEqual(json.schema.differences, []);
      assert.deepEqual(json.data.differences, []);
      assert.equal(json.downgrade.target, 'base');
      assert.equal(json.downgrade.equal, true);
      for (const p of PHASES) assert.equal(typeof json.timings[p], 'number', `timing for ${p}`);
      assert.equal(json.members.length, 11);
    });

    it('verify --candidate DIR with a wrong squash: exit 1, differences by object, both sides shown', () => {
      const dir = copyOf('views-functions-triggers');
      const squash = runCliJson(['squash', dir, '--from', 'base', '--to', 'head', '--strategy', 'ops'], { env });
      assert.equal(squash.status, 0, squash.stderr);
      const file = path.join(dir, squash.json.file.path);
      const text = fs.readFileSync(file, 'utf8');
      const broken = text
        .replace("    op.create_index('ux_ticket_counts_by_status', 'ticket_counts_by_status', ['status'], unique=True)\n", '')
        .replace("WHERE t.status IN ('open', 'in_progress')", "WHERE t.status = 'open'");
      assert.notEqual(broken, text);
      fs.writeFileSync(file, broken);
      const candidate = path.join(dir, 'migrations', 'versions');

      const { status, json } = runCliJson(['verify', fixture('views-functions-triggers'), '--candidate', candidate, '--provider', 'local'], { env });
      assert.equal(status, 1);
      assert.equal(json.equal, false);
      assert.deepEqual(
        json.schema.differences.map((d: { kind: string; name: string; change: string }) => [d.kind, d.name, d.change]),
        [
          ['index', 'public.ux_ticket_counts_by_status', 'removed'],
          ['view', 'public.open_tickets', 'changed'],
        ],
      );
      assert.equal(json.downgrade.target, 'base');

      const human = runCli(['verify', fixture('views-functions-triggers'), '--candidate', candidate, '--provider', 'local'], { env });
      assert.equal(human.status, 1);
      const out = human.stdout;
      assert.match(out, /- only in chain\s+index public\.ux_ticket_counts_by_status/);
      assert.match(out, /CREATE UNIQUE INDEX ux_ticket_counts_by_status/);
      assert.match(out, /~ changed\s+view public\.open_tickets/);
      assert.match(out, /chain: .*(\n.*)*in_progress/);
      assert.match(out, /squash: /);
      assert.match(out, /different: 2 difference/);
    });

    it('verify --against-ref HEAD: the written squash vs the committed chain', () => {
      const dir = copyOf('linear');
      git(dir, ['init', '-q']);
      git(dir, ['add', '-A']);
      git(dir, ['commit', '-q', '-m', 'chain']);
      const squash = runCliJson(['squash', dir, '--from', 'base', '--to', 'head', '--strategy', 'ops'], { env });
      assert.equal(squash.status, 0, squash.stderr);

      const ok = runCliJson(['verify', dir, '--against-ref', 'HEAD', '--provider', 'local'], { env });
      assert.equal(ok.status, 0, JSON.stringify(ok.json));
      assert.equal(ok.json.equal, true);
      assert.equal(ok.json.downgrade.target, 'base');
      assert.equal(ok.json.members.length, 6);

      plantInUpgrade(path.join(dir, squash.json.file.path), "op.execute('CREATE TABLE stray_table (id integer)')");
      const bad = runCliJson(['verify', dir, '--against-ref', 'HEAD', '--provider', 'local'], { env });
      assert.equal(bad.status, 1);
      assert.ok(bad.json.schema.differences.some((d: { kind: string; name: string; change: string }) => d.kind === 'table' && d.name === 'public.stray_table' && d.change === 'added'));
      assert.match(git(dir, ['status', '--porcelain']), /0d3b8f5a61c9_squash/, 'the work tree keeps the written squash');
    });

    it('schema --at head prints the objects; diff names what differs between two revisions', () => {
      const schema = runCli(['schema', fixture('linear'), '--at', 'head', '--provider', 'local'], { env });
      assert.equal(schema.status, 0, schema.stderr);
      for (const t of ['users', 'organizations', 'projects']) assert.match(schema.stdout, new RegExp(`^-- table public\\.${t}$`, 'm'));
      assert.match(schema.stdout, /CREATE UNIQUE INDEX ix_users_email_lower/);

      const diff = runCliJson(['diff', fixture('linear'), '8a4e6b2c9f31', 'c2d9e1f4a5b6', '--provider', 'local'], { env });
      assert.equal(diff.status, 1);
      assert.deepEqual(
        diff.json.differences.map((d: { kind: string; name: string; change: string }) => [d.kind, d.name, d.change]),
        [
          ['index', 'public.ix_users_email_lower', 'added'],
          ['index', 'public.ix_users_team_id', 'added'],
        ],
      );
      const human = runCli(['diff', fixture('linear'), '8a4e6b2c9f31', 'c2d9e1f4a5b6', '--provider', 'local'], { env });
      assert.equal(human.status, 1);
      assert.match(human.stdout, /\+ only in c2d9e1f4a5b6\s+index public\.ix_users_email_lower/);
      assert.doesNotMatch(human.stdout, /squash/, 'a diff of two revisions does not speak of a squash');

      const same = runCli(['diff', fixture('linear'), 'head', 'head', '--provider', 'local'], { env });
      assert.equal(same.status, 0, same.stderr);
      assert.match(same.stdout, /same/);
    });
  });

  describe('errors', () => {
    it('environment errors exit 3 with a clear message', () => {
      const noPg = runCli(['verify', fixture('linear'), '--from', 'base', '--to', 'head', '--provider', 'local', '--pg-bin', '/nonexistent'], { env });
      assert.equal(noPg.status, 3);
      assert.match(noPg.stderr, /No PostgreSQL server programs .* in \/nonexistent/);
      const noPython = runCli(['verify', fixture('linear'), '--from', 'base', '--to', 'head', '--provider', 'local', '--python', '/nonexistent/python'], { env });
      assert.equal(noPython.status, 3);
      assert.match(noPython.stderr, /\/nonexistent\/python/);
      assert.match(noPython.stderr, /Alembic/);
    });

    it('usage errors exit 2', () => {
      const noMode = runCli(['verify', fixture('linear'), '--provider', 'local'], { env });
      assert.equal(noMode.status, 2);
      assert.match(noMode.stderr, /exactly one of/);
      const bogus = runCli(['verify', fixture('linear'), '--from', 'base', '--to', 'head', '--provider', 'bogus'], { env });
      assert.equal(bogus.status, 2);
      assert.match(bogus.stderr, /--provider must be one of/);
    });

    it('never prints the password of --database-url', async () => {
      const port = await closedPort();
      for (const json of [false, true]) {
        const r = runCli(['verify', fixture('linear'), '--from', 'base', '--to', 'head', '--provider', 'url', '--database-url', `postgresql://u:S3cretPw@127.0.0.1:${port}/x`, ...(json ? ['--json'] : [])], {
          env: { ...env, ALEMBIC_SQUASH_VERBOSE: '1' },
        });
        assert.equal(r.status, 3, r.stderr);
        assert.match(r.stderr, new RegExp(`127\\.0\\.0\\.1:${port}`), 'the server is named');
        assert.ok(!r.stdout.includes('S3cretPw') && !r.stderr.includes('S3cretPw'), `${r.stdout}\n${r.stderr}`);
      }
    });
  });
});
