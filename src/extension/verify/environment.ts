import * as vscode from 'vscode';
import { findPython } from '../../core/alembic';
import { AmbiguousComposeImageError, chooseDockerImage, describeService } from '../../core/compose';
import type { ProviderOptions } from '../../core/postgres';
import type { Ctx } from '../ctx';
import type { Provider } from '../config';
import type { ProjectState } from '../state/projects';

const PYTHON_EXTENSION = 'ms-python.python';

/** The part of the Python extension's public API used here (it is optional: never a dependency). */
interface PythonExtensionApi {
  environments?: {
    getActiveEnvironmentPath(resource?: vscode.Uri): { id: string; path: string };
    resolveEnvironment(env: { id: string; path: string } | string): Promise<{ executable: { uri?: vscode.Uri } } | undefined>;
  };
}

/**
 * The interpreter that runs the project's Alembic: the `alembicSquash.python` setting, else the
 * Python extension's active interpreter when it is installed, else the project's .venv, $VIRTUAL_ENV,
 * `ALEMBIC_SQUASH_PYTHON`, python3. Undefined in an untrusted workspace: the project's Python never runs there.
 */
export async function interpreterFor(ctx: Ctx, state: ProjectState): Promise<string | undefined> {
  if (!vscode.workspace.isTrusted) return undefined;
  const scope = state.folder.uri;
  const configured = ctx.config.python(scope);
  if (configured) return configured;
  const fromExtension = await activeInterpreter(scope).catch((err) => {
    ctx.log.warn(`the Python extension's interpreter could not be read: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  });
  if (fromExtension) return fromExtension;
  return findPython({ projectDir: state.project.here });
}

async function activeInterpreter(scope: vscode.Uri): Promise<string | undefined> {
  const extension = vscode.extensions.getExtension<PythonExtensionApi>(PYTHON_EXTENSION);
  if (!extension) return undefined;
  const api = extension.isActive ? extension.exports : await extension.activate();
  const environments = api?.environments;
  if (!environments) return undefined;
  const active = environments.getActiveEnvironmentPath(scope);
  const resolved = await environments.resolveEnvironment(active);
  return resolved?.executable.uri?.fsPath ?? active.path;
}

/** Back-end options from the settings; the `url` back end's URL comes from SecretStorage only. */
export async function providerOptionsFor(ctx: Ctx, state: ProjectState, override?: Provider): Promise<ProviderOptions> {
  const scope = state.folder.uri;
  const provider = override ?? ctx.config.provider(scope);
  const options: ProviderOptions = {
    provider,
    ...(provider === 'url' ? {} : await dockerImageFor(ctx, state)),
    binDir: ctx.config.postgresBinDir(scope) || undefined,
  };
  if (provider === 'url') {
    options.databaseUrl = await ctx.databaseUrl();
    if (!options.databaseUrl) throw new Error('The `url` back end needs a database URL: run "Alembic: Set Database URL for Verify" first.');
  }
  return options;
}

/**
 * The Docker image: the `alembicSquash.dockerImage` setting, else the project's compose service, else
 * postgres:16; when the compose files offer several and sqlalchemy.url names none, the user picks.
 */
async function dockerImageFor(ctx: Ctx, state: ProjectState): Promise<Pick<ProviderOptions, 'dockerImage' | 'dockerImageOrigin' | 'projectPostgres'>> {
  const setting = ctx.config.dockerImage(state.folder.uri);
  const choose = (override?: { image: string; origin: string }) =>
    chooseDockerImage({ projectDir: state.project.here, sqlalchemyUrl: state.project.sqlalchemyUrl, override, env: process.env });
  let chosen: ReturnType<typeof chooseDockerImage>;
  try {
    chosen = choose(setting ? { image: setting, origin: 'the alembicSquash.dockerImage setting' } : undefined);
  } catch (error) {
    if (!(error instanceof AmbiguousComposeImageError)) throw error;
    const picked = await vscode.window.showQuickPick(
      error.candidates.map((c) => ({ label: c.image, description: describeService(c, error.projectDir), candidate: c })),
      { title: 'Several PostgreSQL services in the compose files: which one does the project run?', ignoreFocusOut: true },
    );
    if (!picked) throw error;
    chosen = choose({ image: picked.candidate.image, origin: picked.description });
  }
  for (const p of chosen.problems) ctx.log.warn(`${p.file}: ${p.message}`);
  return { dockerImage: chosen.image, dockerImageOrigin: chosen.origin, projectPostgres: chosen.project };
}
