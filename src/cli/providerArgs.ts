import { AmbiguousComposeImageError, chooseDockerImage } from '../core/compose';
import type { ProviderKind, ProviderOptions } from '../core/postgres';
import type { ProjectConfig } from '../core/project';
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

/**
 * The Docker image: --docker-image, else the project's compose service (said where it came from), else
 * postgres:16; also what the project runs, so other back ends can say how their version compares.
 * Compose files that cannot be read are reported through `warn`. Several candidate services are a
 * usage error only when Docker may be used.
 */
export function withDockerImage(options: ProviderOptions, project: ProjectConfig, warn: (line: string) => void = () => undefined): ProviderOptions {
  if (options.provider === 'url') return options;
  const override = options.dockerImage ? { image: options.dockerImage, origin: '--docker-image' } : undefined;
  try {
    const chosen = chooseDockerImage({ projectDir: project.here, sqlalchemyUrl: project.sqlalchemyUrl, override, env: process.env });
    for (const p of chosen.problems) warn(`${p.file}: ${p.message}`);
    return { ...options, dockerImage: chosen.image, dockerImageOrigin: chosen.origin, projectPostgres: chosen.project };
  } catch (error) {
    if (error instanceof AmbiguousComposeImageError && options.provider !== 'docker' && options.provider !== 'auto') return options;
    throw error;
  }
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
    } else {
      process.stderr.write('cancelled: forced; `alembic-squash cleanup` removes what was left\n');
      process.exit(130);
    }
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
