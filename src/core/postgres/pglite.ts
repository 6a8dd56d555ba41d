import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { Extension, PGlite as PGliteInstance } from '@electric-sql/pglite';
import type { PGLiteSocketServer as SocketServer } from '@electric-sql/pglite-socket';
import { cacheFolder } from '../common/cache';
import { schemaDumpArgs } from './client';
import { ProviderUnavailableError, ThrowawayServerError, throwIfAborted } from './errors';
import { randomDatabaseName } from './names';
import { resolveExtensions } from './pglite-extensions';
import type { ProviderOptions, SchemaDumpOptions, ThrowawayDatabase, ThrowawayServer } from './types';

const HOST = '127.0.0.1';
const USER = 'postgres';
/** PGlite 0.5.x embeds PostgreSQL 18. */
const PGLITE_MAJOR = 18;
/**
 * PostgreSQL's default 128 MB of shared buffers lives in each instance's WASM memory: some 190 MB more
 * per instance than 16 MB, which holds a throwaway schema and its seed rows with room to spare.
 */
const SHARED_BUFFERS = '16MB';

/* eslint-disable @typescript-eslint/no-require-imports */
interface Modules {
  PGlite: typeof import('@electric-sql/pglite').PGlite;
  PGLiteSocketServer: typeof import('@electric-sql/pglite-socket').PGLiteSocketServer;
  pgDump: typeof import('@electric-sql/pglite-tools').pgDump;
  version: string;
}

function loadModules(): Modules {
  try {
    const { PGlite } = require('@electric-sql/pglite') as typeof import('@electric-sql/pglite');
    const { PGLiteSocketServer } = require('@electric-sql/pglite-socket') as typeof import('@electric-sql/pglite-socket');
    const { pgDump } = require('@electric-sql/pglite-tools') as typeof import('@electric-sql/pglite-tools');
    return { PGlite, PGLiteSocketServer, pgDump, version: pgliteVersion() };
  } catch (error) {
    throw new ProviderUnavailableError(
      'pglite',
      'pglite-unavailable',
      `The embedded PostgreSQL (PGlite) could not be loaded: ${(error as Error).message}. Reinstall the extension, or use --provider local or docker.`,
    );
  }
}

function pgliteVersion(): string {
  try {
    // package.json is not an export of the package: find it next to the resolved entry point.
    const entry = require.resolve('@electric-sql/pglite');
    const pkg = require(path.join(path.dirname(entry), '..', 'package.json')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}


/** A freshly initialized data dir depends only on the PGlite build and the extensions loaded with it. */
export function dataDirCacheFile(version: string, extensionNames: string[]): string {
  const key = createHash('sha256').update(extensionNames.join(',')).digest('hex').slice(0, 12);
  return path.join(cacheFolder(), `pglite-${version}-datadir-${key}.tar.gz`);
}

interface Instance {
  pg: PGliteInstance;
  socket: SocketServer;
  port: number;
}

/**
 * Embedded PostgreSQL 18 (PGlite, WASM) served over a socket so the project's own driver can connect.
 * PGlite has a single backend and ignores the database name, so each throwaway database is its own
 * PGlite instance on its own port (~0.5 GB each: drop databases as soon as they are done with).
 *
 * Schema dumps are taken from a copy of the instance's data dir: pg_dump run on a served instance
 * leaves its protocol state so that new socket connections hang and a second dump fails, while the
 * copy leaves the served instance untouched and can be repeated (downgrade round trips dump twice).
 */
export class PgliteServer implements ThrowawayServer {
  readonly kind = 'pglite' as const;
  readonly majorVersion = PGLITE_MAJOR;
  readonly description: string;
  private readonly instances = new Map<string, Instance>();
  private disposing: Promise<void> | undefined;
  private disposed = false;
  /** Dumps run one at a time: each needs a copy instance of its own (hundreds of MB while it lives). */
  private dumps: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly modules: Modules,
    private readonly extensions: Record<string, Extension>,
    private readonly cacheFile: string,
    private readonly log: (line: string) => void,
  ) {
    const names = Object.keys(extensions);
    this.description =
      `PGlite ${modules.version} (embedded PostgreSQL ${PGLITE_MAJOR}, one instance per database)` +
      (names.length ? ` with ${names.join(', ')}` : '');
  }

  static async start(options: ProviderOptions): Promise<PgliteServer> {
    const log = options.log ?? (() => undefined);
    const resolved = resolveExtensions(options.extensions);
    if (resolved.unsupported.length) {
      const list = resolved.unsupported.join(', ');
      throw new ProviderUnavailableError(
        'pglite',
        'pglite-extension-unsupported',
        `The embedded PostgreSQL (PGlite) cannot load the extension${resolved.unsupported.length > 1 ? 's' : ''} ${list} that the migrations create. ` +
          `Use --provider local with a PostgreSQL that has ${list} installed, or --provider docker with an image that includes ${resolved.unsupported.length > 1 ? 'them' : 'it'}.`,
      );
    }
    const modules = loadModules();
    throwIfAborted(options.signal);
    const server = new PgliteServer(modules, resolved.extensions, dataDirCacheFile(modules.version, resolved.names), log);
    await server.warmCache(options.signal);
    return server;
  }

  /** Makes sure the cached data dir exists, so each createDatabase starts from it (cold init takes ~4 s). */
  private async warmCache(signal: AbortSignal | undefined): Promise<void> {
    if (await this.readCache()) return;
    this.log(`initializing a PGlite data dir for the cache (${this.cacheFile})`);
    const pg = await this.modules.PGlite.create(this.options());
    try {
      throwIfAborted(signal);
      await this.writeCache(pg);
    } finally {
      await pg.close();
    }
  }

  private async readCache(): Promise<Buffer | undefined> {
    try {
      return await readFile(this.cacheFile);
    } catch {
      return undefined;
    }
  }

  private async writeCache(pg: PGliteInstance): Promise<void> {
    const tarball = Buffer.from(await (await pg.dumpDataDir('gzip')).arrayBuffer());
    await mkdir(path.dirname(this.cacheFile), { recursive: true });
    // Write then rename: a concurrent run never reads a half-written tarball.
    const temp = `${this.cacheFile}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(temp, tarball);
    await rename(temp, this.cacheFile);
  }

  private async newInstance(): Promise<PGliteInstance> {
    const cached = await this.readCache();
    if (cached) {
      try {
        return await this.modules.PGlite.create(this.options({ loadDataDir: new Blob([cached]) }));
      } catch (error) {
        this.log(`cached PGlite data dir unusable (${(error as Error).message}); rebuilding it`);
        await rm(this.cacheFile, { force: true });
      }
    }
    const pg = await this.modules.PGlite.create(this.options());
    await this.writeCache(pg).catch((error) => this.log(`could not write the PGlite cache: ${(error as Error).message}`));
    return pg;
  }

  async createDatabase(): Promise<ThrowawayDatabase> {
    if (this.disposed) throw new ThrowawayServerError('pglite', 'disposed', 'This PGlite server has been disposed.');
    const name = randomDatabaseName();
    const pg = await this.newInstance();
    let socket: SocketServer | undefined;
    try {
      // Port 0: the OS picks a free port at bind time, no race with other programs.
      socket = new this.modules.PGLiteSocketServer({ db: pg, host: HOST, port: 0, maxConnections: 16 });
      await socket.start();
      const port = Number(socket.getServerConn().split(':').pop());
      if (!Number.isInteger(port) || port <= 0) throw new Error(`unexpected socket address ${socket.getServerConn()}`);
      this.instances.set(name, { pg, socket, port });
      this.log(`PGlite instance for ${name} on ${HOST}:${port}`);
      return { name, host: HOST, port, user: USER, url: `postgresql://${USER}@${HOST}:${port}/${name}` };
    } catch (error) {
      await socket?.stop().catch(() => undefined);
      await pg.close().catch(() => undefined);
      throw new ThrowawayServerError('pglite', 'create-failed', `Could not serve a PGlite instance: ${(error as Error).message}`);
    }
  }

  async dropDatabase(db: ThrowawayDatabase): Promise<void> {
    const instance = this.instances.get(db.name);
    if (!instance) {
      throw new ThrowawayServerError('pglite', 'not-ours', `Database ${db.name} is not one of this server's PGlite instances.`);
    }
    this.instances.delete(db.name);
    await closeInstance(instance);
    this.log(`closed PGlite instance for ${db.name}`);
  }

  async dumpSchema(db: ThrowawayDatabase, options?: SchemaDumpOptions): Promise<string> {
    const instance = this.instances.get(db.name);
    if (!instance) {
      throw new ThrowawayServerError('pglite', 'not-ours', `Database ${db.name} is not one of this server's PGlite instances.`);
    }
    const dump = this.dumps.then(async () => {
      const snapshot = await instance.pg.dumpDataDir('none');
      const copy = await this.modules.PGlite.create(this.options({ loadDataDir: snapshot }));
      try {
        const file = await this.modules.pgDump({ pg: copy, args: schemaDumpArgs(options?.excludeTables) });
        return await file.text();
      } catch (error) {
        throw new ThrowawayServerError('pglite', 'dump-failed', `pg_dump of PGlite instance ${db.name} failed: ${(error as Error).message}`);
      } finally {
        await copy.close().catch(() => undefined);
      }
    });
    this.dumps = dump.catch(() => undefined);
    return dump;
  }

  /** Options of every instance: the extensions, and capped shared buffers (see SHARED_BUFFERS). */
  private options(more: { loadDataDir?: Blob | File } = {}) {
    return { ...more, extensions: this.extensions, startParams: [...this.modules.PGlite.defaultStartParams, '-c', `shared_buffers=${SHARED_BUFFERS}`] };
  }

  dispose(): Promise<void> {
    this.disposed = true;
    this.disposing ??= (async () => {
      const all = [...this.instances.values()];
      this.instances.clear();
      await Promise.all(all.map(closeInstance));
      if (all.length) this.log(`closed ${all.length} PGlite instance(s)`);
    })();
    return this.disposing;
  }
}

async function closeInstance(instance: Instance): Promise<void> {
  await instance.socket.stop().catch(() => undefined);
  if (!instance.pg.closed) await instance.pg.close().catch(() => undefined);
}
