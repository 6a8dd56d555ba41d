import type { ProviderKind, ProviderOptions } from '../core/postgres';
import { UsageError } from './errors';

const KINDS = ['auto', 'docker', 'local', 'pglite', 'url'];

/** Options shared by every command that starts a throwaway PostgreSQL. */
export const providerOptionSpec = {
  provider: { type: 'string' },
  'database-url': { type: 'string' },
  'docker-image': { type: 'string' },
  'pg-bin': { type: 'string' },
  python: { type: 'string' },
  'url-env': { type: 'string', multiple: true },
} as const;

export function providerFrom(values: Record<string, unknown>): ProviderOptions {
  const provider = (values.provider as string | undefined) ?? (values['database-url'] ? 'url' : 'auto');
  if (!KINDS.includes(provider)) throw new UsageError(`--provider must be one of ${KINDS.join(', ')}`);
  const databaseUrl = (values['database-url'] as string | undefined) ?? process.env.ALEMBIC_SQUASH_DATABASE_URL;
  if (provider === 'url' && !databaseUrl) {
    throw new UsageError('--provider url needs --database-url postgresql://user:password@host:port/db (or ALEMBIC_SQUASH_DATABASE_URL)');
  }
  return {
    provider: provider as ProviderKind | 'auto',
    databaseUrl,
    dockerImage: values['docker-image'] as string | undefined,
    binDir: values['pg-bin'] as string | undefined,
  };
}

/** Ctrl-C cancels: everything started is removed before the process exits (a second Ctrl-C forces it). */
export function cancelOnInterrupt(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  let count = 0;
  const onSignal = () => {
    count++;
    if (count === 1) {
      process.stderr.write('\ncancelling: removing everything that was started… (Ctrl-C again to force)\n');
      controller.abort();
    } else process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

export function seconds(ms: number | undefined): string {
  return ms === undefined ? '' : ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
