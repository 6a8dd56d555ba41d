// Reading an image reference: `[registry[:port]/]path[:tag][@digest]`. Docker's own grammar is small
// enough to split by hand; nothing here guesses at YAML, SQL or Python.

/** Image repositories (last path segment) that are PostgreSQL or a PostgreSQL distribution. */
const POSTGRES_NAMES = ['postgres', 'postgresql', 'postgis', 'pgvector', 'timescaledb', 'timescaledb-ha', 'citus', 'paradedb', 'pgvecto-rs', 'supabase-postgres'];

export function splitImage(image: string): { repository: string; tag?: string } {
  const noDigest = image.split('@')[0] ?? image;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  if (colon > slash) return { repository: noDigest.slice(0, colon), tag: noDigest.slice(colon + 1) };
  return { repository: noDigest };
}

export function looksLikePostgres(image: string): boolean {
  const { repository } = splitImage(image.toLowerCase());
  const last = repository.split('/').pop() ?? '';
  const path = repository.split('/');
  return POSTGRES_NAMES.includes(last) || last.startsWith('postgres') || (path.includes('supabase') && last === 'postgres');
}

/**
 * The PostgreSQL major version an image tag names: `pg15` anywhere wins (`pgvector:pg15`,
 * `timescaledb:2.11.0-pg15`), else the leading number (`17-alpine`, `15.1-bullseye`, `16-3.4`);
 * 9.x keeps its minor (9.6). Undefined for `latest`, no tag, or a tag without a version.
 */
export function majorFromImage(image: string): number | undefined {
  const { tag } = splitImage(image);
  if (!tag) return undefined;
  const lower = tag.toLowerCase();
  const pg = lower.indexOf('pg');
  if (pg >= 0) {
    const n = leadingNumber(lower.slice(pg + 2));
    if (n !== undefined) return n.major;
  }
  return leadingNumber(lower)?.major;
}

function leadingNumber(text: string): { major: number } | undefined {
  let i = 0;
  while (i < text.length && text[i]! >= '0' && text[i]! <= '9') i++;
  if (i === 0) return undefined;
  const first = Number(text.slice(0, i));
  if (first >= 10) return { major: first };
  // 9.6, 9.5: the major of old releases has two parts.
  if (first === 9 && text[i] === '.') {
    const minor = Number.parseInt(text.slice(i + 1), 10);
    if (Number.isInteger(minor)) return { major: Number(`9.${minor}`) };
  }
  return undefined;
}
