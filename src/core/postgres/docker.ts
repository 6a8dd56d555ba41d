import * as sql from './client';
import { OwnedDatabases } from './owned';
import { ProviderUnavailableError, ServerLostError, ThrowawayServerError, throwIfAborted } from './errors';
import { DOCKER_LABEL, DOCKER_PID_LABEL } from './names';
import { freePort } from './ports';
import { delay, run, tail, type RunResult } from './process';
import type { ProviderOptions, SchemaDumpOptions, ThrowawayDatabase, ThrowawayServer } from './types';

const DEFAULT_IMAGE = 'postgres:16';
const HOST = '127.0.0.1';
const USER = 'postgres';
const READY_TIMEOUT_MS = 60_000;
/** A daemon shutting down stops its containers before it stops answering: how long to watch for that. */
const SHUTDOWN_GRACE_MS = 20_000;

async function docker(args: string[], timeoutMs = 30_000, signal?: AbortSignal): Promise<RunResult> {
  return run('docker', args, { timeoutMs, signal });
}

/** Where the client looks for its daemon, for messages. */
function daemonAddress(): string {
  return process.env.DOCKER_HOST || 'the default socket';
}

/** True while the daemon answers at all (any server version). */
async function daemonAnswers(): Promise<boolean> {
  const result = await docker(['version', '--format', '{{.Server.Version}}'], 10_000).catch(() => undefined);
  return result?.code === 0 && result.stdout.trim() !== '';
}

function daemonLost(containerId: string, when: string): ServerLostError {
  return new ServerLostError(
    'docker',
    'docker-daemon-lost',
    `The Docker daemon stopped answering ${when} (${daemonAddress()}); the throwaway PostgreSQL in container ${containerId.slice(0, 12)} is gone. ` +
      'Start Docker again and re-run; whatever is left of this run is removed by the next one.',
  );
}

/**
 * Whether the container still runs; if not, whether its daemon went away (a daemon that is being
 * stopped stops its containers first, then stops answering) or only the container stopped.
 */
async function containerLost(containerId: string, when: string): Promise<ServerLostError | undefined> {
  const state = await docker(['inspect', '--format', '{{.State.Running}}', containerId], 10_000).catch(() => undefined);
  if (state?.code === 0 && state.stdout.trim() === 'true') return undefined;
  const deadline = Date.now() + SHUTDOWN_GRACE_MS;
  do {
    if (!(await daemonAnswers())) return daemonLost(containerId, when);
    await delay(250);
  } while (Date.now() < deadline);
  return new ServerLostError('docker', 'docker-container-stopped', `The container ${containerId.slice(0, 12)} running the throwaway PostgreSQL stopped ${when}. ${tail(state?.stderr ?? '', 2)}`.trim());
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

/**
 * The image is there, or can be pulled; otherwise "image not available". Resolves with the paths the
 * image declares as VOLUME (each would get an anonymous volume per run).
 */
async function ensureImage(image: string, origin: string, log: (line: string) => void, signal?: AbortSignal): Promise<string[]> {
  const inspect = () => docker(['image', 'inspect', '--format', '{{json .Config.Volumes}}', image], 30_000, signal);
  let found = await inspect();
  if (found.code !== 0) {
    log(`image ${image} not present; pulling`);
    const pull = await docker(['pull', image], 600_000, signal);
    if (pull.code !== 0) {
      throw new ProviderUnavailableError(
        'docker',
        'docker-image-unavailable',
        `The Docker image ${image} (${origin}) is not available: it is not on this machine and pulling it failed (${tail(pull.stderr || found.stderr, 3)}). ` +
          `Pull it when a registry is reachable (docker pull ${image}), name an image you have with --docker-image, or use --provider local or pglite.`,
      );
    }
    found = await inspect();
  }
  try {
    return Object.keys((JSON.parse(found.stdout.trim() || 'null') as Record<string, unknown> | null) ?? {});
  } catch {
    return [];
  }
}

/** A PostgreSQL container with its data on tmpfs, published on 127.0.0.1 only, removed on dispose. */
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
    origin: string,
    private readonly log: (line: string) => void,
  ) {
    this.description = `PostgreSQL ${version} in Docker container ${containerId.slice(0, 12)} (${image} from ${origin}; port ${port})`;
  }

  static async start(options: ProviderOptions): Promise<DockerServer> {
    const log = options.log ?? (() => undefined);
    const signal = options.signal;
    const image = options.dockerImage ?? DEFAULT_IMAGE;
    const origin = options.dockerImageOrigin ?? (options.dockerImage ? 'the options' : 'the default');
    await checkDocker(signal);
    log(`image ${image} (from ${origin})`);
    const volumes = await ensureImage(image, origin, log, signal);
    throwIfAborted(signal);
    const port = await freePort();
    const started = await docker(
      [
        'run', '--detach', '--rm',
        '--label', `${DOCKER_LABEL}=1`, '--label', `${DOCKER_PID_LABEL}=${process.pid}`,
        '-e', 'POSTGRES_HOST_AUTH_METHOD=trust',
        // PGDATA on our own tmpfs works for every image version (18 moved the default data path).
        '-e', 'PGDATA=/alembic-squash/data', '--tmpfs', '/alembic-squash',
        // A tmpfs over each VOLUME of the image: no anonymous volume is created, so none can be left behind.
        ...volumes.filter((v) => v !== '/alembic-squash').flatMap((v) => ['--tmpfs', v]),
        '-p', `${HOST}:${port}:5432`,
        image,
        '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
      ],
      120_000,
    );
    const id = started.stdout.trim().split('\n').pop() ?? '';
    if (started.code !== 0 || !id) {
      if (id) await removeContainer(id);
      throw new ProviderUnavailableError('docker', 'docker-run-failed', `docker run ${image} failed: ${tail(started.stderr, 5)}`);
    }
    log(`container ${id.slice(0, 12)} (${image}) on ${HOST}:${port}`);
    try {
      const config = { host: HOST, port, user: USER, database: 'postgres' };
      const problem = await sql.waitUntilReady(config, {
        timeoutMs: READY_TIMEOUT_MS,
        signal,
        failed: async () => {
          const lost = await containerLost(id, 'while waiting for PostgreSQL to start');
          if (lost?.code === 'docker-daemon-lost') throw lost;
          return lost ? 'the container stopped' : undefined;
        },
      });
      if (problem) {
        const logs = await docker(['logs', '--tail', '20', id], 10_000).catch(() => undefined);
        throw new ProviderUnavailableError('docker', 'docker-start-failed', `PostgreSQL in container ${id.slice(0, 12)} (${image}) did not start: ${problem}.\n${tail((logs?.stdout ?? '') + (logs?.stderr ?? ''))}`);
      }
      const version = await sql.withClient(config, sql.serverVersion);
      return new DockerServer(id, image, port, version.major, version.version, origin, log);
    } catch (error) {
      await removeContainer(id);
      throw error;
    }
  }

  private admin() {
    return { host: HOST, port: this.port, user: USER, database: 'postgres' };
  }

  createDatabase(): Promise<ThrowawayDatabase> {
    return this.databases.create();
  }

  cloneDatabase(db: ThrowawayDatabase): Promise<ThrowawayDatabase> {
    return this.databases.create(db);
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

  /** Why the server went away, once known. */
  private gone: ServerLostError | undefined;

  async lost(): Promise<ServerLostError | undefined> {
    // Once removing it, a missing container is our own doing.
    if (this.disposing) return undefined;
    // A container that stopped does not come back: found once (the daemon check takes up to 20 s), kept.
    this.gone ??= await containerLost(this.containerId, 'during the run');
    return this.gone;
  }

  dispose(): Promise<void> {
    this.disposing ??= (async () => {
      const removed = await removeContainer(this.containerId);
      this.databases.forget();
      this.log(removed ? `removed container ${this.containerId.slice(0, 12)}` : `container ${this.containerId.slice(0, 12)} could not be removed now; the next run removes it`);
    })();
    return this.disposing;
  }
}

/** `docker rm -f -v`: the container and any anonymous volume it has; false when the daemon refused or is gone. */
async function removeContainer(id: string): Promise<boolean> {
  const rm = await docker(['rm', '--force', '--volumes', id], 60_000).catch(() => undefined);
  return rm?.code === 0 || /no such container/i.test(rm?.stderr ?? '');
}

/**
 * Our containers and volumes (by label) whose owning pid is dead; docker being unusable means nothing
 * to sweep. Containers go with their anonymous volumes (`-v`).
 */
export async function sweepDockerContainers(isOwnerAlive: (pid: number) => boolean): Promise<string[]> {
  const removed: string[] = [];
  const format = `{{.ID}}\t{{.Label "${DOCKER_PID_LABEL}"}}`;
  const listing = await docker(['ps', '--all', '--filter', `label=${DOCKER_LABEL}=1`, '--format', format], 10_000).catch(() => undefined);
  if (listing?.code !== 0) return removed;
  for (const line of listing.stdout.split('\n')) {
    const [id, pid] = line.trim().split('\t');
    if (!id || isOwnerAlive(Number(pid))) continue;
    if (await removeContainer(id)) removed.push(`docker container ${id}`);
  }
  const volumes = await docker(['volume', 'ls', '--filter', `label=${DOCKER_LABEL}=1`, '--format', `{{.Name}}\t{{.Label "${DOCKER_PID_LABEL}"}}`], 10_000).catch(() => undefined);
  for (const line of volumes?.code === 0 ? volumes.stdout.split('\n') : []) {
    const [name, pid] = line.trim().split('\t');
    if (!name || isOwnerAlive(Number(pid))) continue;
    const rm = await docker(['volume', 'rm', '--force', name], 30_000).catch(() => undefined);
    if (rm?.code === 0) removed.push(`docker volume ${name}`);
  }
  return removed;
}
