import { Client } from 'pg';
import type { ThrowawayDatabase } from '../postgres';

/**
 * Promise.all that waits for every promise before it rejects: when one side fails, the other side's
 * Alembic run still holds connections and processes, and cleanup must not pull the server from under it.
 */
export async function settled<T extends readonly unknown[]>(promises: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

/** True when the server still answers on one of our databases. */
export async function answers(db: ThrowawayDatabase): Promise<boolean> {
  const client = new Client({ host: db.host, port: db.port, user: db.user, password: db.password, database: db.name, connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
