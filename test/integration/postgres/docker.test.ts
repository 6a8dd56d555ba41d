import { strict as assert } from 'node:assert';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ProviderUnavailableError, startServer } from '../../../src/core/postgres';
import { assertNothingLeft } from './leftovers';

/** Runs `fn` with PATH (and no DOCKER_HOST) as given, restoring both afterwards. */
async function withPath<T>(pathValue: string, fn: () => Promise<T>): Promise<T> {
  const saved = { PATH: process.env.PATH, DOCKER_HOST: process.env.DOCKER_HOST };
  process.env.PATH = pathValue;
  delete process.env.DOCKER_HOST;
  try {
    return await fn();
  } finally {
    process.env.PATH = saved.PATH;
    if (saved.DOCKER_HOST !== undefined) process.env.DOCKER_HOST = saved.DOCKER_HOST;
  }
}

async function failure(promise: Promise<unknown>): Promise<ProviderUnavailableError> {
  const error = await promise.then(
    () => assert.fail('docker back end started'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof ProviderUnavailableError, String(error));
  assert.equal(error.kind, 'docker');
  return error;
}

describe('docker back end (no Docker engine on this machine: its errors and fallbacks)', function () {
  this.timeout(120_000);
  let fakeBin: string;
  const realPath = process.env.PATH ?? '';

  before(() => {
    // A stand-in `docker` whose daemon answers but has no image and no registry: it prints what the
    // real client (28.x) prints in that situation. The engine cannot run here; this is the one fake.
    fakeBin = mkdtempSync(path.join(os.tmpdir(), 'alembic-squash-test-docker-'));
    const script = [
      '#!/bin/sh',
      'case "$1" in',
      '  version) echo "28.2.2|28.2.2"; exit 0 ;;',
      '  image) echo "[]"; echo "Error response from daemon: No such image: $4" >&2; exit 1 ;;',
      '  pull) echo "Error response from daemon: Get \\"https://registry-1.docker.io/v2/\\": dial tcp: lookup registry-1.docker.io on 127.0.0.11:53: no such host" >&2; exit 1 ;;',
      '  ps) exit 0 ;;',
      '  *) echo "unexpected docker $*" >&2; exit 125 ;;',
      'esac',
      '',
    ].join('\n');
    writeFileSync(path.join(fakeBin, 'docker'), script);
    chmodSync(path.join(fakeBin, 'docker'), 0o755);
  });

  after(() => {
    rmSync(fakeBin, { recursive: true, force: true });
    assertNothingLeft();
  });

  it('says Docker is not installed when there is no docker command', async () => {
    const emptyBin = mkdtempSync(path.join(os.tmpdir(), 'alembic-squash-test-empty-'));
    try {
      const error = await withPath(emptyBin, () => failure(startServer({ provider: 'docker' })));
      assert.equal(error.code, 'docker-not-installed');
      assert.match(error.message, /not installed/);
    } finally {
      rmSync(emptyBin, { recursive: true, force: true });
    }
  });

  it('says the daemon is not running when the real client cannot reach it', async () => {
    const error = await withPath(realPath, () => failure(startServer({ provider: 'docker' })));
    assert.equal(error.code, 'docker-daemon-not-running');
    assert.match(error.message, /daemon is not running/);
    assert.match(error.message, /Cannot connect to the Docker daemon/);
  });

  it('says the image is not available when it is missing and cannot be pulled', async () => {
    const error = await withPath(`${fakeBin}${path.delimiter}${realPath}`, () =>
      failure(startServer({ provider: 'docker', dockerImage: 'postgres:17' })),
    );
    assert.equal(error.code, 'docker-image-unavailable');
    assert.match(error.message, /postgres:17 is not available/);
    assert.match(error.message, /registry-1\.docker\.io/);
  });

  for (const setup of ['no daemon', 'missing image'] as const) {
    it(`auto falls through to local PostgreSQL (${setup})`, async () => {
      const pathValue = setup === 'no daemon' ? realPath : `${fakeBin}${path.delimiter}${realPath}`;
      const { server, choice } = await withPath(pathValue, () => startServer({ provider: 'auto' }));
      try {
        assert.equal(choice.kind, 'local');
        assert.equal(choice.skipped.length, 1);
        assert.equal(choice.skipped[0].kind, 'docker');
        assert.match(choice.skipped[0].reason, setup === 'no daemon' ? /daemon is not running/ : /postgres:16 is not available/);
        assert.equal(server.kind, 'local');
      } finally {
        await server.dispose();
      }
    });
  }
});
