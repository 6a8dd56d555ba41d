import { Client, type ClientConfig } from 'pg';
import { OperationAbortedError } from './errors';
import { delay } from './process';
import { quoteIdent } from './names';

/** Runs `fn` on a fresh connection that is always closed afterwards (no pooled leftovers). */
export async function withClient<T>(config: ClientConfig, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionTimeoutMillis: 10_000, ...config });
  // A server that dies under us must not crash the process through an unhandled 'error' event.
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export interface WaitOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** Stops waiting early with this text when it returns a string (e.g. "the server exited"). */
  failed?: () => string | undefined | Promise<string | undefined>;
}

/** Polls until `SELECT 1` succeeds. Resolves undefined when ready, else the reason it is not. */
export async function waitUntilReady(config: ClientConfig, options: WaitOptions): Promise<string | undefined> {
  const deadline = Date.now() + options.timeoutMs;
  let last = '';
  let pause = 10;
  for (;;) {
    if (options.signal?.aborted) throw new OperationAbortedError();
    const failure = await options.failed?.();
    if (failure) return failure;
    try {
      await withClient({ ...config, connectionTimeoutMillis: 2_000 }, (c) => c.query('SELECT 1'));
      return undefined;
    } catch (error) {
      last = (error as Error).message;
    }
    if (Date.now() > deadline) return `not accepting connections after ${Math.round(options.timeoutMs / 1000)} s (${last})`;
    // A local server is up within tens of milliseconds: poll often at first, then every 100 ms.
    await delay(pause);
    pause = Math.min(100, pause * 1.5);
  }
}

export async function serverVersion(client: Client): Promise<{ major: number; version: string }> {
  const result = await client.query<{ num: string; text: string }>(
    "SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS text",
  );
  const num = Number(result.rows[0].num);
  return { major: Math.floor(num / 10000), version: result.rows[0].text.split(' ')[0] };
}

export async function createDatabase(client: Client, name: string, template?: string): Promise<void> {
  await client.query(`CREATE DATABASE ${quoteIdent(name)}${template ? ` TEMPLATE ${quoteIdent(template)}` : ''}`);
}

/** Drops one database even while sessions are connected (Alembic may have left one open). */
export async function dropDatabase(client: Client, name: string, serverMajor: number): Promise<void> {
  if (serverMajor >= 13) {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    return;
  }
  await client.query(`ALTER DATABASE ${quoteIdent(name)} ALLOW_CONNECTIONS false`).catch(() => undefined);
  await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
  await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`);
}

/** pg_dump arguments shared by every back end: schema only, no owners, no privileges. */
export function schemaDumpArgs(excludeTables: string[] | undefined): string[] {
  const tables = new Set(['*.alembic_version', ...(excludeTables ?? [])]);
  return ['--schema-only', '--no-owner', '--no-privileges', ...[...tables].map((t) => `--exclude-table=${t}`)];
}
