import * as vscode from 'vscode';
import { CommandIds } from '../constants';
import type { Ctx } from '../ctx';
import { openRevision, refresh, revealRevision, setDatabaseUrl, showLog } from './general';
import { reviewSquash, showStampPlanCommand, squashFolder, squashRange, squashSelected, squashUpToHere, undoLastSquash } from './squash';
import { compareSchemasOfRevisions, compareWithParent, showSchemaAtRevision } from './schema';
import type { Cmd } from './types';
import { rollBackInterrupted } from '../squash/recovery';
import { openSchemaDifference, showSchemaDiff, verifySquash } from './verify';

/** Every command, id → factory: the one table activate() registers. */
export const COMMANDS: Record<string, (ctx: Ctx) => Cmd> = {
  [CommandIds.squashRange]: squashRange,
  [CommandIds.squashSelected]: squashSelected,
  [CommandIds.squashUpToHere]: squashUpToHere,
  [CommandIds.squashFolder]: squashFolder,
  [CommandIds.reviewSquash]: reviewSquash,
  [CommandIds.undoLastSquash]: undoLastSquash,
  [CommandIds.rollBackInterrupted]: rollBackInterrupted,
  [CommandIds.showStampPlan]: showStampPlanCommand,
  [CommandIds.refresh]: refresh,
  [CommandIds.revealRevision]: revealRevision,
  [CommandIds.openRevision]: openRevision,
  [CommandIds.showLog]: showLog,
  [CommandIds.setDatabaseUrl]: setDatabaseUrl,
  [CommandIds.verifySquash]: verifySquash,
  [CommandIds.showSchemaDiff]: showSchemaDiff,
  [CommandIds.showSchemaAtRevision]: showSchemaAtRevision,
  [CommandIds.compareSchemas]: compareSchemasOfRevisions,
  [CommandIds.compareWithParent]: compareWithParent,
  [CommandIds.openSchemaDifference]: openSchemaDifference,
};

/** Registers the table; each run is logged and a failure is reported once, here. */
export function registerCommands(ctx: Ctx, table: Record<string, (ctx: Ctx) => Cmd> = COMMANDS): vscode.Disposable[] {
  return Object.entries(table).map(([id, factory]) => {
    const run = factory(ctx);
    return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      if (id !== CommandIds.openRevision && id !== CommandIds.openSchemaDifference) ctx.log.command(id, args.filter((a) => !(a && typeof a === 'object' && 'toTreeItem' in a)));
      try {
        return await run(...args);
      } catch (err) {
        ctx.log.error(`${id} failed`, err);
        void vscode.window.showErrorMessage(`${err instanceof Error ? err.message : String(err)}`, 'Show Log').then((c) => c && ctx.log.show());
        return undefined;
      }
    });
  });
}

export type { Cmd } from './types';
