import { tmpdir } from 'node:os';
import { DockerServer } from './docker';
import { sweepVersionsCopies } from './leftovers';
import { OperationAbortedError, ProviderUnavailableError } from './errors';
import { LocalServer } from './local';
import { maskUrl } from '../common/mask';
import { PgliteServer } from './pglite';
import { sweepStale } from './sweep';
import type { ProviderChoice, ProviderKind, ProviderOptions, ThrowawayServer } from './types';
import { UrlServer } from './url';
import { versionNote } from './version-note';

export type { ProviderChoice, ProviderKind, ProviderOptions, SchemaDumpOptions, ThrowawayDatabase, ThrowawayServer } from './types';
export { OperationAbortedError, ProviderUnavailableError, ServerLostError, ThrowawayServerError } from './errors';
export { versionNote } from './version-note';
export { maskUrl } from '../common/mask';
export { sweepStale, type SweepOptions } from './sweep';
export { cleanupLeftovers, sweepVersionsCopies, VERSIONS_COPY_PREFIX, type CleanupReport, type CleanupOptions } from './leftovers';
export { sweepUrlDatabases, type UrlSweep } from './url';
export { randomDatabaseName, DATABASE_PREFIX, TEMP_PREFIX } from './names';
export { parseDatabaseUrl } from './url';

const STARTERS: Record<ProviderKind, (options: ProviderOptions) => Promise<ThrowawayServer>> = {
  docker: (o) => DockerServer.start(o),
  local: (o) => LocalServer.start(o),
  pglite: (o) => PgliteServer.start(o),
  url: (o) => UrlServer.start(o),
};

/** `auto` order: a real server in Docker, then local binaries, then the embedded one. */
const AUTO_ORDER: ProviderKind[] = ['docker', 'local', 'pglite'];

/**
 * Starts a throwaway server. A named provider that cannot be used throws ProviderUnavailableError;
 * `auto` tries docker, local, pglite in turn and records why each was skipped. Every log line is
 * passed through `maskUrl`. On abort, whatever was started is removed and OperationAbortedError thrown.
 */
export async function startServer(options: ProviderOptions): Promise<{ server: ThrowawayServer; choice: ProviderChoice }> {
  const log = (line: string) => options.log?.(maskUrl(line));
  const safe: ProviderOptions = { ...options, log };
  if (options.signal?.aborted) throw new OperationAbortedError();
  // Best effort: leftovers of crashed runs must not pile up, but must never block a start either. The
  // sweep runs alongside the start (`docker ps` alone takes a while): it only removes what belongs to
  // processes that are gone, never what this one is starting.
  // Docker's leftovers are looked for by runs that may use Docker (and by `alembic-squash cleanup`):
  // `docker ps` costs every other start a process and a round trip to the daemon.
  const docker = options.provider === 'docker' || options.provider === 'auto';
  const sweeping = Promise.all([sweepStale({ docker }).catch(() => []), sweepVersionsCopies([tmpdir()]).catch(() => [])]).then((lists) => {
    for (const leftover of lists.flat()) log(`removed leftover ${leftover}`);
  });
  try {
    return await startChosen(options, safe, log);
  } finally {
    await sweeping;
  }
}

async function startChosen(options: ProviderOptions, safe: ProviderOptions, log: (line: string) => void): Promise<{ server: ThrowawayServer; choice: ProviderChoice }> {
  if (options.provider !== 'auto') {
    const server = await STARTERS[options.provider](safe);
    log(`using ${server.description}`);
    const choice: ProviderChoice = { kind: options.provider, reason: `requested (--provider ${options.provider})`, skipped: [] };
    return { server, choice: withVersionNote(choice, server, options) };
  }
  const skipped: ProviderChoice['skipped'] = [];
  for (const kind of AUTO_ORDER) {
    try {
      const server = await STARTERS[kind](safe);
      log(`using ${server.description}`);
      const reason = skipped.length ? `first usable back end (${skipped.map((s) => s.kind).join(', ')} skipped)` : 'first usable back end';
      return { server, choice: withVersionNote({ kind, reason, skipped }, server, options) };
    } catch (error) {
      if (!(error instanceof ProviderUnavailableError)) throw error;
      log(`${kind} skipped: ${error.message}`);
      skipped.push({ kind, reason: maskUrl(error.message) });
    }
  }
  throw new ProviderUnavailableError(
    'auto',
    'no-provider',
    'No PostgreSQL back end is usable:\n' + skipped.map((s) => `- ${s.kind}: ${s.reason}`).join('\n'),
    skipped,
  );
}

function withVersionNote(choice: ProviderChoice, server: ThrowawayServer, options: ProviderOptions): ProviderChoice {
  const note = versionNote(server, options);
  return note ? { ...choice, versionNote: note } : choice;
}
