/** A service of a compose file that runs PostgreSQL (or that the project's `sqlalchemy.url` names). */
export interface PostgresService {
  /** The compose file, absolute. */
  file: string;
  /** The service's key under `services:`. */
  service: string;
  /** `image:` after `${VAR:-default}` interpolation. */
  image: string;
  /** Major version read from the image tag (`17-alpine` → 17, `pg15` → 15); undefined for `latest` or no tag. */
  major?: number;
  /** Host names the service answers to on its compose network: the service key, `container_name`, `hostname`. */
  hostNames: string[];
  /** True when the image name says PostgreSQL (postgres, postgis, pgvector, timescaledb, …). */
  looksLikePostgres: boolean;
}

/** Something in a compose file that could not be used, with where. */
export interface ComposeProblem {
  file: string;
  message: string;
}

/** Which image the Docker back end should run for a project, and why. */
export type ProjectImage =
  | {
      kind: 'found';
      service: PostgresService;
      /** How the service was picked. */
      by: 'only-postgres-service' | 'sqlalchemy-url-host' | 'same-image';
      files: string[];
      problems: ComposeProblem[];
    }
  | { kind: 'ambiguous'; candidates: PostgresService[]; files: string[]; problems: ComposeProblem[] }
  | { kind: 'none'; files: string[]; problems: ComposeProblem[] };
