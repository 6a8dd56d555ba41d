import * as path from 'node:path';
import { isMap, isScalar, parseDocument, type Document } from 'yaml';
import { majorFromImage, looksLikePostgres } from './image';
import { interpolate } from './interpolate';
import type { ComposeProblem, PostgresService } from './types';

/** A service that builds its own image (`build:` without `image:`): it cannot be run as is. */
export interface BuiltService {
  file: string;
  service: string;
  hostNames: string[];
}

export interface ComposeText {
  /** Absolute path of the compose file. */
  path: string;
  text: string;
}

/**
 * The services of compose files that run PostgreSQL (by image name), plus every service with an
 * image (the caller matches their host names against `sqlalchemy.url`). Files that do not parse are
 * reported as problems, never guessed at; services that only build an image are listed apart.
 */
export function readComposeServices(
  files: ComposeText[],
  env: Record<string, string | undefined>,
): { services: PostgresService[]; built: BuiltService[]; problems: ComposeProblem[] } {
  const services: PostgresService[] = [];
  const built: BuiltService[] = [];
  const problems: ComposeProblem[] = [];
  for (const file of files) {
    let doc: Document;
    try {
      doc = parseDocument(file.text, { uniqueKeys: false });
    } catch (error) {
      problems.push({ file: file.path, message: `not readable as YAML (${(error as Error).message})` });
      continue;
    }
    if (doc.errors.length) {
      const first = doc.errors[0]!;
      problems.push({ file: file.path, message: `not valid YAML: ${first.message.split('\n')[0]}` });
      continue;
    }
    const root = doc.contents;
    if (!isMap(root)) continue;
    const list = root.get('services', true);
    if (!isMap(list)) continue;
    for (const pair of list.items) {
      const name = isScalar(pair.key) ? String(pair.key.value) : undefined;
      const body = pair.value;
      if (!name || !isMap(body)) continue;
      const rawImage = scalarText(body.get('image', true));
      const hostNames = [name, scalarText(body.get('container_name', true)), scalarText(body.get('hostname', true))].filter((h): h is string => !!h);
      if (!rawImage) {
        if (body.has('build')) built.push({ file: file.path, service: name, hostNames });
        continue;
      }
      const { value: image, missing } = interpolate(rawImage, env);
      if (missing.length) {
        problems.push({ file: file.path, message: `service ${name}: image ${rawImage} uses ${missing.join(', ')}, which is not set` });
      }
      if (!image || image.endsWith(':')) continue;
      services.push({ file: file.path, service: name, image, major: majorFromImage(image), hostNames, looksLikePostgres: looksLikePostgres(image) });
    }
  }
  return { services, built, problems };
}

function scalarText(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const v = node.value;
  return typeof v === 'string' || typeof v === 'number' ? String(v).trim() || undefined : undefined;
}

/** `docker/docker-compose.dev.yml` style: the compose file relative to a folder, with forward slashes. */
export function relativeFile(from: string, file: string): string {
  return path.relative(from, file).split(path.sep).join('/');
}
