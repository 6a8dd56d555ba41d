import * as sql from './client';
import { OwnedDatabases } from './owned';
import { ProviderUnavailableError, ThrowawayServerError, throwIfAborted } from './errors';
import { DOCKER_LABEL, DOCKER_PID_LABEL } from './names';
import { freePort } from './ports';
import { run, tail, type RunResult } from './process';
import type { ProviderOptions, SchemaDumpOptions, ThrowawayDatabase, ThrowawayServer } from './types';

const DEFAULT_IMAGE = 'postgres:16';
const HOST = '127.0.0.1';
const USER = 'postgres';
const READY_TIMEOUT_MS = 60_000;

async function docker(args: string[], timeoutMs = 30_000, signal?: AbortSignal): Promise<RunResult> {
  return run('docker', args, { timeoutMs, signal });
}

/**
 * Whether the docker client is installed and its daemon answers. Resolves with the server version,
 * or throws ProviderUnavailableError with what is wrong: not installed / daemon down / permission.
 */
export async function checkDocker(signal?: AbortSignal): Promise<{ client: string; server: string }> {
  let result: RunResult;
  try {
    result = await docker(['version', '--format', '{{.Client.Version}}|{{.Server.Version}}'], 15_000, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new ProviderUnavailableError('docker', 'docker-not-installed', 'Docker is not installed (no `docker` command on PATH). Install Docker, or use --provider local or pglite.');
    }
    throw error;
  }
  const [client = '', server = ''] = result.stdout.trim().split('|');
  if (result.code === 0 && server) return { client, server };
  const text = result.stderr.trim();
  if (/permission denied/i.test(text)) {
    throw new ProviderUnavailableError(
      'docker',
      'docker-permission',
      `Docker is installed but this user may not use its daemon (permission denied on the docker socket). Add the user to the "docker" group, or use --provider local or pglite. (${tail(text, 2)})`,
    );
  }
  if (result.timedOut) {
    throw new ProviderUnavailableError('docker', 'docker-daemon-not-running', 'The Docker daemon did not answer within 15 s. Start Docker, or use --provider local or pglite.');
  }
  throw new ProviderUnavailableError(
    'docker',
    'docker-daemon-not-running',
    `Docker${client ? ' ' + client : ''} is installed but its daemon is not running. Start Docker (e.g. systemctl start docker or Docker Desktop), or use --provider local or pglite. (${tail(text || 'no server version', 2)})`,
  );
}

/** The image is there, or can be pulled; otherwise "image not available". */
async function ensureImage(image: string, log: (line: string) => void, signal?: AbortSignal): Promise<void> {
  const inspect = await docker(['image', 'inspect', '--format', '{{.Id}}', image], 30_000, signal);
  if (inspect.code === 0) return;
  log(`image ${image} not present; pulling`);
  const pull = await docker(['pull', image], 600_000, signal);
  if (pull.code === 0) return;
  throw new ProviderUnavailableError(
    'docker',
    'docker-image-unavailable',
    `The Docker image ${image} is not available: it is not on this machine and pulling it failed (${tail(pull.stderr || inspect.stderr, 3)}). ` +
      `Pull it when a registry is reachable (docker pull ${image}), name an image you have, or use --provider local or pglite.`,
  );
}

/** A `postgres:<major>` container with its data on tmpfs, published on 127.0.0.1 only, removed on dispose. */
export class DockerServer implements ThrowawayServer {
  readonly kind = 'docker' as const;
  readonly description: string;
  private readonly databases = new OwnedDatabases('docker', () => this.admin(), () => this.majorVersion, (line) => this.log(line));
  private disposing: Promise<void> | undefined;

  private constructor(
    readonly containerId: string,
    readonly image: string,
    readonly port: number,
    readonly majorVersion: number,
    version: string,
    private readonly log: (line: string) => void,
  ) {
    this.description = `PostgreSQL ${version} in Docker container ${containerId.slice(0, 12)} (${image}, port ${port})`;
  }

  static async start(options: ProviderOptions): Promise<DockerServer> {
    const log = options.log ?? (() => undefined);
    const signal = options.signal;
    const image = options.dockerImage ?? DEFAULT_IMAGE;
    await checkDocker(signal);
    await ensureImage(image, log, signal);
    throwIfAborted(signal);
    const port = await freePort();
    const started = await docker(
      [
        'run', '--detach', '--rm',
        '--label', `${DOCKER_LABEL}=1`, '--label', `${DOCKER_PID_LABEL}=${process.pid}`,
        '-e', 'POSTGRES_HOST_AUTH_METHOD=trust',
        // PGDATA on our own tmpfs works for every image version (18 moved the default data path).
        '-e', 'PGDATA=/alembic-squash/data', '--tmpfs', '/alembic-squash',
        '-p', `${HOST}:${port}:5432`,
        image,
        '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
      ],
      120_000,
    );
    const id = started.stdout.trim().split('\n').pop() ?? '';
    if (started.code !== 0 || !id) {
      if (id) await docker(['rm', '-f', id]).catch(() => undefined);
      throw new ProviderUnavailableError('docker', 'docker-run-failed', `docker run ${image} failed: ${tail(started.stderr, 5)}`);
    }
    log(`container ${id.slice(0, 12)} (${image}) on ${HOST}:${port}`);
    try {
      const config = { host: HOST, port, user: USER, database: 'postgres' };
      const problem = await sql.waitUntilReady(config, {
        timeoutMs: READY_TIMEOUT_MS,
        signal,
        failed: async () => {
          const state = await docker(['inspect', '--format', '{{.State.Running}}', id], 10_000);
          return state.code !== 0 || state.stdout.trim() !== 'true' ? 'the container stopped' : undefined;
        },
      });
      if (problem) {
        const logs = await docker(['logs', '--tail', '20', id], 10_000).catch(() => undefined);
        throw new ProviderUnavailableError('docker', 'docker-start-failed', `PostgreSQL in container ${id.slice(0, 12)} did not start: ${problem}.\n${tail((logs?.stdout ?? '') + (logs?.stderr ?? ''))}`);
      }
      const version = await sql.withClient(config, sql.serverVersion);
      return new DockerServer(id, image, port, version.major, version.version, log);
    } catch (error) {
      await docker(['rm', '-f', id]).catch(() => undefined);
      throw error;
    }
  }

  private admin() {
    return { host: HOST, port: this.port, user: USER, database: 'postgres' };
  }

  createDatabase(): Promise<ThrowawayDatabase> {
    return this.databases.create();
  }

  dropDatabase(db: ThrowawayDatabase): Promise<void> {
    return this.databases.drop(db);
  }

  /** pg_dump inside the container: always the server's own version. */
  async dumpSchema(db: ThrowawayDatabase, options?: SchemaDumpOptions): Promise<string> {
    const result = await docker(
      ['exec', this.containerId, 'pg_dump', '--username', USER, '--dbname', db.name, ...sql.schemaDumpArgs(options?.excludeTables)],
      300_000,
    );
    if (result.code !== 0) {
      throw new ThrowawayServerError('docker', 'dump-failed', `pg_dump of ${db.name} in container ${this.containerId.slice(0, 12)} failed: ${tail(result.stderr)}`);
    }
    return result.stdout;
  }

  dispose(): Promise<void> {
    this.disposing ??= (async () => {
      await docker(['rm', '-f', this.containerId], 60_000);
      this.databases.forget();
      this.log(`removed container ${this.containerId.slice(0, 12)}`);
    })();
    return this.disposing;
  }
}

/** Our containers (label) whose owning pid is dead; docker being unusable means nothing to sweep. */
export async function sweepDockerContainers(isOwnerAlive: (pid: number) => boolean): Promise<string[]> {
  let listing: RunResult;
  try {
    listing = await docker(['ps', '--all', '--filter', `label=${DOCKER_LABEL}=1`, '--format', `{{.ID}}\t{{.Label "${DOCKER_PID_LABEL}"}}`], 10_000);
  } catch {
    return [];
  }
  if (listing.code !== 0) return [];
  const removed: string[] = [];
  for (const line of listing.stdout.split('\n')) {
    const [id, pid] = line.trim().split('\t');
    if (!id || isOwnerAlive(Number(pid))) continue;
    const rm = await docker(['rm', '-f', id], 60_000).catch(() => undefined);
    if (rm?.code === 0) removed.push(`docker container ${id}`);
  }
  return removed;
}
