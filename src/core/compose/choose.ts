import type { BuiltService } from './read';
import type { ComposeProblem, PostgresService, ProjectImage } from './types';

/** The host of a SQLAlchemy URL (`postgresql+psycopg2://u:p@db:5432/x` → `db`); undefined when it is not a URL. */
export function urlHost(sqlalchemyUrl: string | undefined): string | undefined {
  if (!sqlalchemyUrl) return undefined;
  try {
    // WHATWG URL parses any scheme; the driver part (`+psycopg2`) is a valid scheme character.
    const host = new URL(sqlalchemyUrl).hostname;
    return host ? decodeURIComponent(host).toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Picks the project's PostgreSQL service: the one `sqlalchemy.url`'s host names (any image), else the
 * only service whose image says PostgreSQL, else — when several do and they run the same image —
 * the first of them; otherwise the choice is the user's (`ambiguous`).
 */
export function choosePostgresService(input: {
  services: PostgresService[];
  built?: BuiltService[];
  sqlalchemyUrl?: string;
  files: string[];
  problems: ComposeProblem[];
}): ProjectImage {
  const { services, files } = input;
  const problems = [...input.problems];
  const host = urlHost(input.sqlalchemyUrl);
  if (host) {
    const named = services.find((s) => s.hostNames.some((h) => h.toLowerCase() === host));
    if (named) return { kind: 'found', service: named, by: 'sqlalchemy-url-host', files, problems };
    const built = input.built?.find((s) => s.hostNames.some((h) => h.toLowerCase() === host));
    if (built) problems.push({ file: built.file, message: `service ${built.service} (the host of sqlalchemy.url) builds its own image; name an image with --docker-image (or the dockerImage setting) to use it` });
  }
  const postgres = services.filter((s) => s.looksLikePostgres);
  if (postgres.length === 0) return { kind: 'none', files, problems };
  if (postgres.length === 1) return { kind: 'found', service: postgres[0]!, by: 'only-postgres-service', files, problems };
  if (new Set(postgres.map((s) => s.image)).size === 1) return { kind: 'found', service: postgres[0]!, by: 'same-image', files, problems };
  return { kind: 'ambiguous', candidates: postgres, files, problems };
}
