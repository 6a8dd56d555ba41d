import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnDriver } from './spawn';
import type { AlembicSession } from './session';
import { AlembicUnavailableError } from './errors';

export interface FindPythonOptions {
  /** `--python` / a setting: used as given. */
  python?: string;
  /** The project folder (where alembic.ini lives); its `.venv` / `venv` is preferred. */
  projectDir?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * The interpreter to run the project's Alembic with: explicit, `ALEMBIC_SQUASH_PYTHON`, the project's
 * venv, VIRTUAL_ENV, else python3.
 */
export function findPython(options: FindPythonOptions = {}): string {
  if (options.python) return options.python;
  const env = options.env ?? process.env;
  if (env.ALEMBIC_SQUASH_PYTHON) return env.ALEMBIC_SQUASH_PYTHON;
  const venvPython = (venv: string): string | undefined => {
    const candidates =
      process.platform === 'win32'
        ? [path.join(venv, 'Scripts', 'python.exe')]
        : [path.join(venv, 'bin', 'python'), path.join(venv, 'bin', 'python3')];
    return candidates.find((c) => fs.existsSync(c));
  };
  if (options.projectDir) {
    for (const name of ['.venv', 'venv']) {
      const found = venvPython(path.join(options.projectDir, name));
      if (found) return found;
    }
  }
  if (env.VIRTUAL_ENV) {
    const found = venvPython(env.VIRTUAL_ENV);
    if (found) return found;
  }
  return process.platform === 'win32' ? 'python' : 'python3';
}

export interface AlembicInfo {
  alembic: string;
  sqlalchemy?: string;
  python: string;
  executable: string;
}

/** Checks that `python` can import Alembic; throws AlembicUnavailableError with the fix otherwise. */
export async function checkAlembic(python: string, signal?: AbortSignal, session?: AlembicSession): Promise<AlembicInfo> {
  const outcome = session ? await session.request({ argv: ['check'] }) : await spawnDriver({ python, args: ['check'], signal });
  const doc = outcome.document;
  if (doc && doc.ok === true && typeof doc.alembic === 'string') {
    return {
      alembic: doc.alembic,
      sqlalchemy: typeof doc.sqlalchemy === 'string' ? doc.sqlalchemy : undefined,
      python: String(doc.python),
      executable: String(doc.executable),
    };
  }
  throw new AlembicUnavailableError(python, unavailableReason(outcome));
}

export function unavailableReason(outcome: { spawnError?: Error; document?: Record<string, unknown>; stderr: string; exitCode: number | null }): string {
  if (outcome.spawnError) return outcome.spawnError.message;
  const error = outcome.document?.error as { message?: string } | undefined;
  if (error?.message) return error.message;
  const lastLine = outcome.stderr.trim().split('\n').pop();
  return lastLine || `exited with code ${outcome.exitCode}`;
}
