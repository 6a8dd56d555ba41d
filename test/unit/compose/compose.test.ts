import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  AmbiguousComposeImageError,
  chooseDockerImage,
  choosePostgresService,
  findComposeFiles,
  interpolate,
  majorFromImage,
  projectPostgresImage,
  readComposeServices,
  urlHost,
} from '../../../src/core/compose';
import { versionNote } from '../../../src/core/postgres';

const FIXTURES = path.resolve(__dirname, '../../fixtures/compose');

const read = (text: string, env: Record<string, string | undefined> = {}) => readComposeServices([{ path: '/p/docker-compose.yml', text }], env);

describe('compose files: the project\'s own PostgreSQL image', () => {
  describe('majorFromImage', () => {
    const cases: [string, number | undefined][] = [
      ['postgres:17-alpine', 17],
      ['postgres:15.1-bullseye', 15],
      ['pgvector/pgvector:pg15', 15],
      ['timescale/timescaledb:2.11.0-pg15', 15],
      ['timescale/timescaledb-ha:pg16-ts2.14', 16],
      ['postgis/postgis:16-3.4', 16],
      ['ghcr.io/acme/postgres:14@sha256:abc', 14],
      ['localhost:5000/postgres:13', 13],
      ['postgres:9.6', 9.6],
      ['postgres', undefined],
      ['postgres:latest', undefined],
      ['bitnami/postgresql:16.2.0', 16],
      ['pgvector/pgvector:0.8.0-pg17', 17],
      ['ankane/pgvector:v0.5.1', undefined],
      ['supabase/postgres:15.1.0.147', 15],
    ];
    for (const [image, major] of cases) it(`${image} → ${major}`, () => assert.equal(majorFromImage(image), major));
  });

  it('reads a service by its image name, with YAML anchors, merge keys and ${VAR:-default}', () => {
    const { services, problems } = read(
      ['x-pg: &pg', '  environment: {POSTGRES_PASSWORD: x}', 'services:', '  web:', '    image: nginx:1.25', '  db:', '    <<: *pg', '    image: "postgres:${PG:-17}-alpine"', '    container_name: app-db'].join('\n'),
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(
      services.map((s) => [s.service, s.image, s.major, s.looksLikePostgres, s.hostNames]),
      [
        ['web', 'nginx:1.25', undefined, false, ['web']],
        ['db', 'postgres:17-alpine', 17, true, ['db', 'app-db']],
      ],
    );
    assert.equal(read('services:\n  db:\n    image: postgres:${PG:-17}\n', { PG: '16' }).services[0]!.image, 'postgres:16');
  });

  it('says what is wrong with a file that is not YAML, and with an unset variable', () => {
    const broken = read('services:\n  db:\n    image: postgres:15\n  x: [\n');
    assert.deepEqual(broken.services, []);
    assert.equal(broken.problems.length, 1);
    assert.match(broken.problems[0]!.message, /^not valid YAML: /);
    const unset = read('services:\n  db:\n    image: postgres:${PG_MAJOR}\n');
    assert.match(unset.problems[0]!.message, /service db: image postgres:\$\{PG_MAJOR\} uses PG_MAJOR, which is not set/);
    assert.deepEqual(unset.services, [], 'an image ending in ":" is no image');
  });

  it('interpolates as compose does', () => {
    const env = { A: 'a', EMPTY: '' };
    assert.equal(interpolate('x${A}y$A.${EMPTY:-d}${EMPTY-d}${NONE:+alt}${A:+alt}$$', env).value, 'xaya.dalt$');
    assert.deepEqual(interpolate('${NONE}', env), { value: '', missing: ['NONE'] });
  });

  describe('choosing the service', () => {
    const services = read(
      ['services:', '  app-db:', '    image: postgres:15', '  warehouse:', '    image: timescale/timescaledb:2.14.2-pg16', '  legacy:', '    image: mycorp/database:3'].join('\n'),
    ).services;
    const choose = (url?: string) => choosePostgresService({ services, sqlalchemyUrl: url, files: ['/p/docker-compose.yml'], problems: [] });

    it('takes the service sqlalchemy.url\'s host names, whatever its image', () => {
      const chosen = choose('postgresql+psycopg2://u:p@legacy:5432/app');
      assert.equal(chosen.kind, 'found');
      assert.equal(chosen.kind === 'found' && chosen.service.image, 'mycorp/database:3');
      assert.equal(chosen.kind === 'found' && chosen.by, 'sqlalchemy-url-host');
    });

    it('leaves the choice to the user when several PostgreSQL images remain', () => {
      const chosen = choose('postgresql://localhost/placeholder');
      assert.equal(chosen.kind, 'ambiguous');
      assert.deepEqual(chosen.kind === 'ambiguous' && chosen.candidates.map((c) => c.service), ['app-db', 'warehouse']);
    });

    it('takes the only PostgreSQL service, and one image shared by several', () => {
      const one = choosePostgresService({ services: services.slice(0, 1), files: [], problems: [] });
      assert.equal(one.kind === 'found' && one.by, 'only-postgres-service');
      const twice = read('services:\n  a:\n    image: postgres:16\n  b:\n    image: postgres:16\n').services;
      assert.equal(choosePostgresService({ services: twice, files: [], problems: [] }).kind, 'found');
    });

    it('reads the host of a SQLAlchemy URL', () => {
      assert.equal(urlHost('postgresql+asyncpg://user:p%40ss@DB:5432/x'), 'db');
      assert.equal(urlHost('%(DB_URL)s'), undefined);
      assert.equal(urlHost(undefined), undefined);
    });
  });

  describe('in a project', () => {
    let root: string;
    beforeEach(() => {
      root = mkdtempSync(path.join(os.tmpdir(), 'compose-test-'));
    });
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    it('finds compose files next to the project, in docker/, and in a parent folder up to the repository root', () => {
      const backend = path.join(root, 'repo', 'backend');
      mkdirSync(path.join(root, 'repo', '.git'), { recursive: true });
      mkdirSync(backend, { recursive: true });
      writeFileSync(path.join(root, 'docker-compose.yml'), 'services: {}\n'); // above the repository: not ours
      assert.deepEqual(findComposeFiles(backend), []);
      mkdirSync(path.join(root, 'repo', 'docker'));
      writeFileSync(path.join(root, 'repo', 'docker', 'docker-compose.test.yml'), 'services: {}\n');
      writeFileSync(path.join(root, 'repo', 'compose.yaml'), 'services: {}\n');
      assert.deepEqual(findComposeFiles(backend).map((f) => path.relative(root, f)), ['repo/compose.yaml', 'repo/docker/docker-compose.test.yml']);
    });

    it('lets docker-compose.override.yml change the image and .env fill variables', () => {
      writeFileSync(path.join(root, 'docker-compose.yml'), 'services:\n  db:\n    image: postgres:${PG}\n');
      writeFileSync(path.join(root, 'docker-compose.override.yml'), 'services:\n  db:\n    image: pgvector/pgvector:pg${PG}\n');
      writeFileSync(path.join(root, '.env'), '# local\nPG=17\n');
      const found = projectPostgresImage({ projectDir: root });
      assert.equal(found.kind === 'found' && found.service.image, 'pgvector/pgvector:pg17');
      assert.equal(found.kind === 'found' && found.service.major, 17);
    });

    it('chooses: an override first, then the compose service, then postgres:16', () => {
      assert.deepEqual(chooseDockerImage({ projectDir: root }), { image: 'postgres:16', origin: 'the default, no compose file found', source: 'default', problems: [] });
      writeFileSync(path.join(root, 'compose.yaml'), 'services:\n  db:\n    image: postgres:17-alpine\n');
      const fromCompose = chooseDockerImage({ projectDir: root });
      assert.deepEqual([fromCompose.image, fromCompose.origin, fromCompose.source], ['postgres:17-alpine', 'compose.yaml, service db', 'compose']);
      const overridden = chooseDockerImage({ projectDir: root, override: { image: 'postgres:15', origin: '--docker-image' } });
      assert.deepEqual([overridden.image, overridden.origin, overridden.project?.major], ['postgres:15', '--docker-image', 17]);
    });

    it('names every candidate when it cannot choose', () => {
      writeFileSync(path.join(root, 'compose.yaml'), 'services:\n  db:\n    image: postgres:17\n  test-db:\n    image: postgres:16\n');
      assert.throws(
        () => chooseDockerImage({ projectDir: root, sqlalchemyUrl: 'postgresql://localhost/x' }),
        (e: unknown) =>
          e instanceof AmbiguousComposeImageError &&
          e.message.includes('compose.yaml, service db (postgres:17); compose.yaml, service test-db (postgres:16)') &&
          e.message.includes('--docker-image'),
      );
    });
  });

  describe('the fixtures', () => {
    it('linear-db: the only PostgreSQL service among api, db and cache', () => {
      const c = chooseDockerImage({ projectDir: path.join(FIXTURES, 'linear-db'), sqlalchemyUrl: 'postgresql://localhost/placeholder' });
      assert.deepEqual([c.image, c.origin], ['postgres:15-bookworm', 'docker-compose.yml, service db']);
    });

    it('trgm-by-url: the service sqlalchemy.url names, in docker/', () => {
      const c = chooseDockerImage({ projectDir: path.join(FIXTURES, 'trgm-by-url'), sqlalchemyUrl: 'postgresql+psycopg2://helpdesk:helpdesk@db:5432/helpdesk', env: {} });
      assert.deepEqual([c.image, c.origin, c.project?.major], ['postgres:15.6', 'docker/docker-compose.dev.yml, service db', 15]);
    });
  });

  describe('versionNote', () => {
    const project = { image: 'postgres:17-alpine', major: 17, origin: 'compose.yaml, service db' };
    it('says how another back end\'s version compares with the project\'s', () => {
      assert.equal(versionNote({ kind: 'local', majorVersion: 15 }, { projectPostgres: project }), 'verified on PostgreSQL 15; your compose file runs 17 (compose.yaml, service db: postgres:17-alpine)');
      assert.equal(versionNote({ kind: 'pglite', majorVersion: 17 }, { projectPostgres: project }), 'verified on PostgreSQL 17, the major version your compose file runs (compose.yaml, service db: postgres:17-alpine)');
      assert.equal(versionNote({ kind: 'docker', majorVersion: 17 }, { projectPostgres: project, dockerImage: 'postgres:17-alpine' }), undefined);
      assert.equal(versionNote({ kind: 'local', majorVersion: 15 }, {}), undefined);
    });
  });
});
