import type { ProviderOptions, ThrowawayServer } from './types';

/**
 * How the throwaway server's major version compares with the PostgreSQL the project runs (its
 * compose file), when that is known and the server is not the project's own image:
 * `verified on PostgreSQL 15; your compose file runs 17 (docker-compose.yml, service db: postgres:17-alpine)`.
 */
export function versionNote(server: Pick<ThrowawayServer, 'kind' | 'majorVersion'>, options: Pick<ProviderOptions, 'projectPostgres' | 'dockerImage'>): string | undefined {
  const project = options.projectPostgres;
  if (!project) return undefined;
  if (server.kind === 'docker' && options.dockerImage === project.image) return undefined;
  const where = `${project.origin}: ${project.image}`;
  if (project.major === undefined) return `verified on PostgreSQL ${server.majorVersion}; your compose file's image names no version (${where})`;
  if (project.major === server.majorVersion) return `verified on PostgreSQL ${server.majorVersion}, the major version your compose file runs (${where})`;
  return `verified on PostgreSQL ${server.majorVersion}; your compose file runs ${project.major} (${where})`;
}
