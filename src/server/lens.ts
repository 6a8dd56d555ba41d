import { SymbolKind, type CodeLens, type WorkspaceSymbol } from 'vscode-languageserver';
import { declaration } from './navigation';
import { toRange } from './positions';
import type { FileContext, ProjectState } from './workspace';

/** The command the extension registers; its argument shape is shared with it. */
export const SQUASH_UP_TO_HERE = 'alembicSquash.squashUpToHere';

export interface SquashUpToHereArgs {
  configPath: string | undefined;
  here: string;
  revision: string;
}

/** "N children · Squash up to here" above `revision = …`. */
export function codeLenses(ctx: FileContext): CodeLens[] {
  const { migration } = ctx.file;
  const id = migration.revision;
  const a = migration.header.revision;
  if (id === undefined || !a) return [];
  const n = ctx.state.scripts.map.children(id).length;
  const args: SquashUpToHereArgs = { configPath: ctx.state.project.configPath, here: ctx.state.project.here, revision: id };
  return [
    {
      range: toRange(ctx.file, a.range),
      command: { title: `${n} ${n === 1 ? 'child' : 'children'} · Squash up to here`, command: SQUASH_UP_TO_HERE, arguments: [args] },
    },
  ];
}

const MAX_SYMBOLS = 1000;

/** Revisions whose id or message contains the query (case-insensitive); named `id message`. */
export function workspaceSymbols(projects: ProjectState[], query: string): WorkspaceSymbol[] {
  const q = query.trim().toLowerCase();
  const out: WorkspaceSymbol[] = [];
  for (const state of projects) {
    for (const revision of state.scripts.map.revisions) {
      const id = revision.revision;
      const message = revision.message ?? '';
      if (q && !id.toLowerCase().includes(q) && !message.toLowerCase().includes(q)) continue;
      const location = declaration(state, id);
      if (!location) continue;
      out.push({
        name: message ? `${id} ${message}` : id,
        // Merge points are events in the history; every other revision is a key of it.
        kind: state.scripts.map.isMergePoint(id) ? SymbolKind.Event : SymbolKind.Key,
        containerName: state.project.name,
        location,
      });
      if (out.length >= MAX_SYMBOLS) return out;
    }
  }
  return out;
}

