import * as os from 'node:os';
import * as path from 'node:path';

/**
 * The user's cache folder for this tool (`$XDG_CACHE_HOME/alembic-squash` or `~/.cache/alembic-squash`):
 * header parses, PGlite and PostgreSQL data-dir templates. Never inside a project.
 */
export function cacheFolder(): string {
  const xdg = process.env.XDG_CACHE_HOME;
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.cache'), 'alembic-squash');
}
