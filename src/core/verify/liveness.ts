import type { ServerLostError, ThrowawayServer } from '../postgres';
import { BackendLostError } from './errors';

/**
 * Whether the server under this run is still the one it started on: the local postmaster still runs,
 * the Docker container still runs, the user's server (`url`) neither stopped nor restarted. Asked after
 * every phase, so a death that no query noticed still ends the run as lost.
 */
export async function serverLost(server: ThrowawayServer | undefined): Promise<ServerLostError | undefined> {
  return server?.lost?.().catch(() => undefined);
}

/** The error a run ends with when its server went away while it was `during` something. */
export function lostWhile(during: string, lost: ServerLostError): Error {
  // A Docker daemon that stopped answering is named as such: starting it again is the remedy.
  if (lost.code === 'docker-daemon-lost') return lost;
  if (lost.where) return new BackendLostError(during, lost, { where: lost.where, restarted: lost.code === 'server-restarted' });
  return new BackendLostError(during, lost);
}
