import * as fs from 'node:fs';
import * as path from 'node:path';
import { choosePostgresService } from './choose';
import { findComposeFiles } from './find';
import { parseDotEnv } from './interpolate';
import { readComposeServices, relativeFile, type ComposeText } from './read';
import type { PostgresService, ProjectImage } from './types';

export type { ComposeProblem, PostgresService, ProjectImage } from './types';
export { findComposeFiles, isComposeFileName } from './find';
export { readComposeServices, type BuiltService, type ComposeText } from './read';
export { choosePostgresService, urlHost } from './choose';
export { majorFromImage, looksLikePostgres, splitImage } from './image';
export { interpolate, parseDotEnv } from './interpolate';

/** The image the Docker back end runs when neither the user nor a compose file names one. */
export const DEFAULT_DOCKER_IMAGE = 'postgres:16';

/** Several compose services run PostgreSQL with different images and `sqlalchemy.url` names none of them. */
export class AmbiguousComposeImageError extends Error {
  override readonly name = 'AmbiguousComposeImageError';
  constructor(
    readonly candidates: PostgresService[],
    readonly projectDir: string,
  ) {
    super(
      `The compose files run several PostgreSQL images and sqlalchemy.url names none of their services: ` +
        candidates.map((c) => `${describeService(c, projectDir)} (${c.image})`).join('; ') +
        '. Choose one with --docker-image IMAGE (or the alembicSquash.dockerImage setting).',
    );
  }
}

/** `docker/docker-compose.dev.yml, service db` (the file relative to the project's folder). */
export function describeService(s: PostgresService, projectDir: string): string {
  return `${relativeFile(projectDir, s.file)}, service ${s.service}`;
}

/**
 * The project's own PostgreSQL service from its compose files (see findComposeFiles and
 * choosePostgresService). `env` interpolates `${VAR:-default}` in images; a `.env` next to the first
 * compose file fills what `env` lacks, as compose does.
 */
export function projectPostgresImage(options: { projectDir: string; sqlalchemyUrl?: string; env?: Record<string, string | undefined> }): ProjectImage {
  const files = findComposeFiles(options.projectDir);
  if (!files.length) return { kind: 'none', files, problems: [] };
  const texts: ComposeText[] = [];
  for (const file of files) {
    try {
      texts.push({ path: file, text: fs.readFileSync(file, 'utf8') });
    } catch {
      /* vanished or unreadable: as if absent */
    }
  }
  const dotEnv = readDotEnv(path.dirname(files[0]!));
  const read = readComposeServices(texts, { ...dotEnv, ...(options.env ?? {}) });
  return choosePostgresService({ ...read, services: withOverrides(read.services), sqlalchemyUrl: options.sqlalchemyUrl, files });
}

/** `docker-compose.override.yml` changes the service of the same name in its folder's main file. */
function withOverrides(services: PostgresService[]): PostgresService[] {
  const isOverride = (s: PostgresService) => path.basename(s.file).includes('.override.');
  return services.filter((s) => isOverride(s) || !services.some((o) => isOverride(o) && o.service === s.service && path.dirname(o.file) === path.dirname(s.file)));
}

function readDotEnv(folder: string): Record<string, string> {
  try {
    return parseDotEnv(fs.readFileSync(path.join(folder, '.env'), 'utf8'));
  } catch {
    return {};
  }
}

/** What the Docker back end runs, and the words for where it came from. */
export interface DockerImageChoice {
  image: string;
  /** `--docker-image`, `the alembicSquash.dockerImage setting`, `docker-compose.yml, service db`, `the default`. */
  origin: string;
  source: 'override' | 'compose' | 'default';
  /** The project's own PostgreSQL per its compose file, when one names it (also when overridden). */
  project?: { image: string; major?: number; origin: string };
}

/**
 * Picks the image for the Docker back end: an override (flag or setting) first, else the project's
 * compose service, else DEFAULT_DOCKER_IMAGE. Throws AmbiguousComposeImageError when the compose
 * files leave the choice open and nothing overrides it.
 */
export function chooseDockerImage(options: {
  projectDir: string;
  sqlalchemyUrl?: string;
  override?: { image: string; origin: string };
  env?: Record<string, string | undefined>;
}): DockerImageChoice & { problems: ProjectImage['problems'] } {
  const found = projectPostgresImage(options);
  const project = found.kind === 'found' ? { image: found.service.image, major: found.service.major, origin: describeService(found.service, options.projectDir) } : undefined;
  const problems = found.problems;
  if (options.override) return { ...options.override, source: 'override', project, problems };
  if (found.kind === 'ambiguous') throw new AmbiguousComposeImageError(found.candidates, options.projectDir);
  if (project) return { image: project.image, origin: project.origin, source: 'compose', project, problems };
  return { image: DEFAULT_DOCKER_IMAGE, origin: found.files.length ? 'the default, no PostgreSQL service in the compose files' : 'the default, no compose file found', source: 'default', problems };
}
