import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chooseDockerImage } from '../../../src/core/compose';
import { ProviderUnavailableError, ServerLostError, startServer, type ProviderOptions } from '../../../src/core/postgres';
import { BackendLostError, VerifyCancelledError, verifySquash } from '../../../src/core/verify';
import { fixture, repoRoot, runCli, runCliJson } from '../../support/cli';
import { allVolumes, engineHost, engineUnavailableReason, FIXTURE_IMAGES, ourLeftovers, startSecondDaemon } from '../../support/docker-engine';
import { clusterUnavailableReason } from '../../support/pg-cluster';
import { replaceOnce, squashFixture, verifyOptions, withCreatedText } from '../verify/support';
import { assertNothingLeft } from './leftovers';

/** Runs `fn` with these environment variables (undefined = unset), restoring them afterwards. */
async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const set = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  set(vars);
  try {
    return await fn();
  } finally {
    set(saved);
  }
}

async function unavailable(promise: Promise<unknown>): Promise<ProviderUnavailableError> {
  const error = await promise.then(
    () => assert.fail('docker back end started'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof ProviderUnavailableError, String(error));
  assert.equal(error.kind, 'docker');
  return error;
}

/** The Docker options a user of this fixture gets: the image its compose file names, and where from. */
function composeProvider(name: string, sqlalchemyUrl?: string): ProviderOptions {
  const chosen = chooseDockerImage({ projectDir: fixture('compose', name), sqlalchemyUrl, env: {} });
  return { provider: 'docker', dockerImage: chosen.image, dockerImageOrigin: chosen.origin, projectPostgres: chosen.project };
}

describe('docker back end when no engine answers (the test makes that so)', function () {
  this.timeout(120_000);
  let scratch: string;
  before(() => {
    scratch = mkdtempSync(path.join(os.tmpdir(), 'alembic-squash-test-docker-'));
  });
  after(() => {
    rmSync(scratch, { recursive: true, force: true });
    assertNothingLeft();
  });
  /** A socket path nobody serves: the real client cannot reach a daemon there, whatever runs elsewhere. */
  const nobody = () => `unix://${scratch}/nobody.sock`;

  it('says Docker is not installed when there is no docker command', async () => {
    const error = await withEnv({ PATH: scratch }, () => unavailable(startServer({ provider: 'docker' })));
    assert.equal(error.code, 'docker-not-installed');
    assert.match(error.message, /not installed/);
  });

  it('says the daemon is not running when the client cannot reach it', async () => {
    const error = await withEnv({ DOCKER_HOST: nobody() }, () => unavailable(startServer({ provider: 'docker' })));
    assert.equal(error.code, 'docker-daemon-not-running');
    assert.match(error.message, /daemon is not running/);
    assert.match(error.message, /Cannot connect to the Docker daemon/);
  });

  /** The linear history with a compose file of the test's choosing. */
  const projectWithCompose = (name: string, compose: string) => {
    const dir = path.join(scratch, name);
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'alembic.ini'), readFileSync(fixture('compose', 'linear-db', 'alembic.ini'), 'utf8').replace('%(here)s/../../linear/migrations', fixture('linear', 'migrations')));
    writeFileSync(path.join(dir, 'compose.yaml'), compose);
    return dir;
  };

  it('the CLI lists the PostgreSQL services it cannot choose between, and asks for --docker-image', () => {
    const dir = projectWithCompose('two-services', 'services:\n  db:\n    image: postgres:17-alpine\n  reporting:\n    image: postgis/postgis:16-3.4\n');
    const r = runCli(['verify', dir, '--from', 'base', '--to', 'head', '--provider', 'docker'], { env: { DOCKER_HOST: nobody() } });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /several PostgreSQL images and sqlalchemy\.url names none of their services: compose\.yaml, service db \(postgres:17-alpine\); compose\.yaml, service reporting \(postgis\/postgis:16-3\.4\)\. Choose one with --docker-image IMAGE/);
  });

  it('on local binaries the result says how their version compares with the compose file\'s', function () {
    if (clusterUnavailableReason()) this.skip();
    const dir = projectWithCompose('pg17', 'services:\n  db:\n    image: postgres:17-alpine\n');
    const r = runCli(['verify', dir, '--from', 'base', '--to', 'head', '--provider', 'local'], { env: { ALEMBIC_SQUASH_PYTHON: '/usr/bin/python3' } });
    assert.equal(r.status, 0, r.stderr);
    const major = /on local PostgreSQL (\d+)/.exec(r.stdout)?.[1];
    assert.ok(major, r.stdout);
    assert.match(r.stdout, new RegExp(`^verified on PostgreSQL ${major}; your compose file runs 17 \\(compose\\.yaml, service db: postgres:17-alpine\\)$`, 'm'));
  });

  it('auto falls through to local PostgreSQL and says why docker was skipped', async function () {
    if (clusterUnavailableReason()) this.skip();
    const { server, choice } = await withEnv({ DOCKER_HOST: nobody() }, () => startServer({ provider: 'auto' }));
    try {
      assert.equal(choice.kind, 'local');
      assert.deepEqual(choice.skipped.map((s) => s.kind), ['docker']);
      assert.match(choice.skipped[0]!.reason, /daemon is not running/);
    } finally {
      await server.dispose();
    }
  });
});

describe('docker back end on a real Docker engine', function () {
  this.timeout(300_000);
  let volumesBefore: string[] = [];
  let restore: Record<string, string | undefined> = {};

  before(function () {
    const reason = engineUnavailableReason();
    if (reason) {
      // Never silently: the reason is in the test output.
      console.log(`      skipped: ${reason}`);
      this.skip();
    }
    restore = { DOCKER_HOST: process.env.DOCKER_HOST };
    const host = engineHost();
    if (host) process.env.DOCKER_HOST = host;
    volumesBefore = allVolumes();
  });

  afterEach(function () {
    if (this.currentTest?.isPending()) return;
    // Nothing of ours after any test: no labelled container or volume, and no anonymous volume either.
    assert.deepEqual(ourLeftovers(), { containers: [], volumes: [] });
    assert.deepEqual(allVolumes(), volumesBefore);
  });

  after(() => {
    for (const [k, v] of Object.entries(restore)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    assertNothingLeft();
  });

  it('verify (CLI) proves a squash equal on the image the fixture\'s compose file names, and says where it came from', () => {
    const { status, json, stderr } = runCliJson(['verify', fixture('compose', 'linear-db'), '--from', 'base', '--to', 'head', '--provider', 'docker'], {
      env: engineHost() ? { DOCKER_HOST: engineHost() } : {},
    });
    assert.equal(status, 0, stderr);
    assert.equal(json.equal, true);
    assert.equal(json.provider.kind, 'docker');
    assert.match(json.provider.description, /^PostgreSQL 15\.\d+ in Docker container [0-9a-f]{12} \(postgres:15-bookworm from docker-compose\.yml, service db; port \d+\)$/);
  });

  it('a wrong squash gives exactly the missing index', async () => {
    // Without the optimizer, which would fold this index into the create_table of projects.
    const s = await squashFixture('compose/linear-db', 'base', 'head', { optimize: false });
    const edits = withCreatedText(s.prepared.edits, (t) => replaceOnce(t, "op.create_index(op.f('ix_projects_owner_id'), 'projects', ['owner_id'], unique=False)", 'pass'));
    const r = await verifySquash(verifyOptions(s, { provider: composeProvider('linear-db'), candidate: { kind: 'edits', edits }, downgradeTo: undefined }));
    assert.equal(r.provider.kind, 'docker');
    assert.equal(r.equal, false);
    assert.deepEqual(r.schema.differences.map((d) => [d.kind, d.name, d.change]), [['index', 'public.ix_projects_owner_id', 'removed']]);
    assert.match(r.unifiedDiff, /^-CREATE INDEX ix_projects_owner_id ON public\.projects USING btree \(owner_id\);$/m);
  });

  it('picks the service sqlalchemy.url names and runs a history that creates pg_trgm (contrib) on it', async () => {
    const s = await squashFixture('compose/trgm-by-url', 'base', 'head');
    const provider = composeProvider('trgm-by-url', s.project.sqlalchemyUrl);
    assert.equal(provider.dockerImage, 'postgres:15.6');
    const r = await verifySquash(verifyOptions(s, { provider }));
    assert.match(r.provider.description, /\(postgres:15\.6 from docker\/docker-compose\.dev\.yml, service db; port \d+\)$/);
    assert.equal(r.provider.versionNote, undefined, 'the project\'s own image needs no comparison');
    assert.deepEqual(r.schema.differences, [], r.unifiedDiff);
    assert.equal(r.equal, true);
    assert.match(r.texts.chain, /^-- extension pg_trgm$/m);
    assert.match(r.texts.chain, /USING gin \(title public\.gin_trgm_ops\)/);
  });

  it('cancel mid-run stops and removes everything it started', async () => {
    const s = await squashFixture('compose/linear-db', 'base', 'head');
    const abort = new AbortController();
    const run = verifySquash(
      verifyOptions(s, {
        provider: composeProvider('linear-db'),
        signal: abort.signal,
        onEvent: (e) => e.phase === 'migrate-chain' && e.status === 'begin' && abort.abort(),
      }),
    );
    await assert.rejects(run, VerifyCancelledError);
  });

  it('the container killed between queries: "the throwaway PostgreSQL server stopped while …", nothing left', async () => {
    const s = await squashFixture('compose/linear-db', 'base', 'head');
    const log: string[] = [];
    const container = () => log.flatMap((l) => /^container ([0-9a-f]{12}) /.exec(l)?.[1] ?? [])[0];
    const run = verifySquash(
      verifyOptions(s, {
        provider: composeProvider('linear-db'),
        log: (l) => log.push(l),
        // Comparing touches no database: only the check after the phase sees the container gone.
        onEvent: (e) => e.phase === 'compare' && e.status === 'begin' && spawnSync('docker', ['kill', container()!]),
      }),
    );
    await assert.rejects(run, (e: Error) => {
      assert.ok(e instanceof BackendLostError, `${e.name}: ${e.message}`);
      assert.match(e.message, /^the throwaway PostgreSQL server stopped while (comparing schemas|downgrading both)/);
      assert.match(e.message, /container [0-9a-f]{12} running the throwaway PostgreSQL stopped/);
      return true;
    });
  });

  it('auto picks Docker when it works', async () => {
    const { server, choice } = await startServer({ provider: 'auto', dockerImage: FIXTURE_IMAGES[0] });
    try {
      assert.equal(choice.kind, 'docker');
      assert.deepEqual(choice.skipped, []);
      assert.equal(server.majorVersion, 15);
    } finally {
      await server.dispose();
    }
  });

  it('an image that is missing with no registry to pull it from: a clear error, and auto falls through', async function () {
    const image = 'registry.alembic-squash.invalid/postgres:15';
    const error = await unavailable(startServer({ provider: 'docker', dockerImage: image, dockerImageOrigin: '--docker-image' }));
    assert.equal(error.code, 'docker-image-unavailable');
    assert.match(error.message, /^The Docker image registry\.alembic-squash\.invalid\/postgres:15 \(--docker-image\) is not available: it is not on this machine and pulling it failed/);
    assert.match(error.message, /docker pull registry\.alembic-squash\.invalid\/postgres:15/);
    if (clusterUnavailableReason()) return;
    const { server, choice } = await startServer({ provider: 'auto', dockerImage: image });
    await server.dispose();
    assert.equal(choice.kind, 'local');
    assert.match(choice.skipped[0]!.reason, /is not available/);
  });

  describe('the daemon stops mid-run (a daemon this test started)', () => {
    let second: Awaited<ReturnType<typeof startSecondDaemon>>;
    before(async function () {
      this.timeout(600_000);
      second = await startSecondDaemon(FIXTURE_IMAGES);
      if (typeof second === 'string') {
        console.log(`      skipped: ${second}`);
        this.skip();
      }
    });
    after(async () => {
      if (typeof second === 'object') await second.dispose();
    });

    it('verify exits 3 saying the Docker daemon stopped answering, and nothing is left once it is back', async () => {
      if (typeof second !== 'object') return;
      const daemon = second;
      const child = spawn(process.execPath, [path.join(repoRoot, 'dist/cli.js'), 'verify', fixture('compose', 'trgm-by-url'), '--from', 'base', '--to', 'head', '--provider', 'docker'], {
        env: { ...process.env, DOCKER_HOST: daemon.host, NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      let stopping: Promise<void> | undefined;
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (!stopping && output.includes('upgrading the original chain')) stopping = daemon.stop();
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
      await stopping;
      assert.ok(stopping, `the run never reached the upgrade:\n${output}`);
      assert.equal(code, 3, output);
      assert.match(output, /error: The Docker daemon stopped answering during the run \(unix:\/\/\/run\/alembic-squash-docker-t\d+\/docker\.sock\)/);
      assert.doesNotMatch(output, /failed during upgrade/);
      await daemon.start();
      const volumes = allVolumes(daemon.host);
      assert.deepEqual(ourLeftovers(daemon.host), { containers: [], volumes: [] });
      assert.deepEqual(volumes, []);
    });

    it('while PostgreSQL is starting: the same environment error, not "the container stopped"', async () => {
      if (typeof second !== 'object') return;
      const daemon = second;
      // An image whose server never gets ready: the run is surely still waiting when the daemon goes.
      const never = 'alembic-squash-test/never-ready:2';
      const build = spawnSync('sh', ['-c', `printf 'FROM ${FIXTURE_IMAGES[0]}\\nSTOPSIGNAL SIGKILL\\nENTRYPOINT ["sh", "-c", "exec sleep 3600"]\\n' | DOCKER_BUILDKIT=0 docker build -q -t ${never} -`], {
        env: { ...process.env, DOCKER_HOST: daemon.host },
        encoding: 'utf8',
      });
      assert.equal(build.status, 0, build.stderr);
      const started = startServer({ provider: 'docker', dockerImage: never, log: (line) => line.startsWith('container ') && void daemon.stop() });
      const error = await withEnv({ DOCKER_HOST: daemon.host }, () => started.then(() => assert.fail('started'), (e: unknown) => e));
      assert.ok(error instanceof ServerLostError, String(error));
      assert.equal(error.code, 'docker-daemon-lost');
      assert.match(error.message, /^The Docker daemon stopped answering while waiting for PostgreSQL to start \(unix:\/\/\/run\/alembic-squash-docker-t\d+\/docker\.sock\)/);
      await daemon.start();
      assert.deepEqual(ourLeftovers(daemon.host), { containers: [], volumes: [] });
      assert.deepEqual(allVolumes(daemon.host), []);
    });
  });
});
