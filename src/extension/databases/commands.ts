import * as vscode from 'vscode';
import { runAlembic } from '../../core/alembic';
import { maskUrl } from '../../core/common/mask';
import { needWords } from '../../core/databases';
import { parseDatabaseUrl } from '../../core/postgres';
import type { Ctx } from '../ctx';
import { requireTrust } from '../trust';
import type { Connections } from './connections';
import { DatabaseNode, type DatabasesProvider } from './view';

export const DatabaseCommands = {
  add: 'alembicSquash.addDatabase',
  remove: 'alembicSquash.removeDatabase',
  refresh: 'alembicSquash.refreshDatabases',
  stamp: 'alembicSquash.stampDatabase',
} as const;

/** Arguments scripts and tests pass to skip the prompts of Add Database. */
export interface AddDatabaseArgs {
  name?: string;
  url?: string;
  project?: string;
}

export function registerDatabaseCommands(ctx: Ctx, connections: Connections, view: DatabasesProvider): vscode.Disposable[] {
  const nodeId = (arg: unknown) => (arg instanceof DatabaseNode ? arg.status.connection.id : typeof arg === 'object' && arg && 'id' in arg ? String((arg as { id: unknown }).id) : undefined);
  return [
    vscode.commands.registerCommand(DatabaseCommands.add, async (args: AddDatabaseArgs = {}) => {
      await ctx.store.ready;
      const state = (args.project ? ctx.store.find(args.project) : undefined) ?? ctx.store.all[0];
      const name = args.name ?? (await vscode.window.showInputBox({ title: 'Add Database (1/2)', prompt: 'A name for this database', placeHolder: 'production' }));
      if (!name) return undefined;
      let url = args.url;
      if (!url) {
        const own = state?.project.sqlalchemyUrl;
        const ENTER = 'Enter a URL…';
        const choice = own
          ? await vscode.window.showQuickPick([{ label: `The project's sqlalchemy.url`, description: maskUrl(own), url: own }, { label: ENTER, url: undefined }], { title: 'Add Database (2/2)' })
          : { url: undefined, label: ENTER };
        if (!choice) return undefined;
        url =
          choice.url ??
          (await vscode.window.showInputBox({
            title: 'Add Database (2/2)',
            prompt: 'postgresql://user:password@host:port/database — kept in VS Code\'s secret storage; only read, never written (except by Stamp…)',
            password: true,
            ignoreFocusOut: true,
            validateInput: (v) => {
              try {
                parseDatabaseUrl(v);
                return undefined;
              } catch (e) {
                return (e as Error).message;
              }
            },
          }));
      }
      if (!url) return undefined;
      const added = await connections.add({ name, url, project: state ? state.project.configPath ?? state.project.here : undefined });
      ctx.log.info(`database added: ${name} ${maskUrl(url)}`);
      await view.refresh(added.id);
      return added.id;
    }),
    vscode.commands.registerCommand(DatabaseCommands.remove, async (arg?: unknown) => {
      const id = nodeId(arg);
      if (id) await connections.remove(id);
      await view.refresh();
    }),
    vscode.commands.registerCommand(DatabaseCommands.refresh, () => view.refresh()),
    vscode.commands.registerCommand(DatabaseCommands.stamp, (arg?: unknown) => stamp(ctx, view, nodeId(arg))),
  ];
}

/**
 * Stamp…: the one write to a user's database, through Alembic's own `stamp` with the project's
 * env.py and interpreter — only in a trusted workspace, after a modal that names the database,
 * its current row(s) and the exact new row.
 */
async function stamp(ctx: Ctx, view: DatabasesProvider, id: string | undefined): Promise<string | undefined> {
  const status = view.all.find((s) => s.connection.id === id) ?? (await pickDatabase(view));
  if (!status) return undefined;
  if (!(await requireTrust('Stamp'))) return undefined;
  const state = view.projectFor(status.connection);
  if (!state?.project.configPath) {
    await vscode.window.showErrorMessage('Stamp runs Alembic with the project\'s alembic.ini: no configuration file was found for this project.', { modal: true });
    return undefined;
  }
  const python = ctx.pythonFor(state);
  if (!python) return undefined;
  // Read again now: the modal must show what the table holds at this moment.
  const fresh = (await view.refresh(status.connection.id)).find((s) => s.connection.id === status.connection.id);
  if (!fresh?.placement) {
    await vscode.window.showErrorMessage(`Cannot read ${status.connection.name}: ${fresh?.reason ?? 'removed'}`, { modal: true });
    return undefined;
  }
  const rows = fresh.placement;
  const map = state.scripts.map;
  const need = rows.need;
  let target = need?.kind === 'stamp' ? need.to : undefined;
  if (!target) {
    const heads = map.heads;
    const picked = await vscode.window.showQuickPick(
      [...heads, ...map.topologicalOrder().reverse().filter((r) => !heads.includes(r))].map((r) => ({ label: r, description: map.get(r)?.message })),
      { title: `Stamp ${status.connection.name}: the revision alembic_version should hold` },
    );
    target = picked?.label;
  }
  if (!target) return undefined;
  const purge = rows.versions.some((v) => !map.has(v));
  if (purge && rows.versions.length > 1) {
    // `stamp --purge` would drop the database's other heads too; Alembic has no stamp for one row of several.
    await vscode.window.showErrorMessage(`${status.connection.name} has several alembic_version rows; Stamp… would drop all of them.`, {
      modal: true,
      detail: need?.kind === 'stamp' ? `Change the one row instead:\n${need.command}` : needWords(rows),
    });
    return undefined;
  }
  const command = `alembic stamp ${purge ? '--purge ' : ''}${target}`;
  const ok = 'Stamp';
  const answer = await vscode.window.showWarningMessage(
    `Stamp the database "${status.connection.name}"?`,
    {
      modal: true,
      detail:
        `${maskUrl(status.connection.url)}\n\n` +
        `alembic_version now: ${rows.versions.length ? rows.versions.join(', ') : '(no rows)'}\n` +
        `alembic_version after: ${target}\n\n` +
        `Runs \`${command}\` with the project's env.py and ${python}. No migration runs; only the version table changes.`,
    },
    ok,
  );
  if (answer !== ok) return undefined;
  ctx.log.info(`stamp ${status.connection.name} (${maskUrl(status.connection.url)}): ${rows.versions.join(', ') || '(none)'} → ${target}`);
  await runAlembic(
    {
      python,
      project: { configPath: state.project.configPath, section: state.project.section },
      databaseUrl: status.connection.url,
      envVarNames: ctx.config.urlEnvVars(state.folder.uri),
      log: (line) => ctx.log.info(`stamp: ${line}`),
    },
    { command: purge ? 'stamp-purge' : 'stamp', target },
  );
  await view.refresh(status.connection.id);
  void vscode.window.showInformationMessage(`${status.connection.name}: alembic_version now holds ${target}.`);
  return target;
}

async function pickDatabase(view: DatabasesProvider) {
  if (view.all.length === 0) await view.refresh();
  const picked = await vscode.window.showQuickPick(view.all.map((s) => ({ label: s.connection.name, description: maskUrl(s.connection.url), s })), { title: 'Stamp: which database' });
  return picked?.s;
}
