import * as vscode from 'vscode';
import type { Provider } from '../config';
import type { Ctx, LastSquash } from '../ctx';
import type { ProjectState } from '../state/projects';
import { trustRefusal } from './trustGate';
import { openChainSquashDiff, openDataDiff, openObjectDiff, presentDifferences } from '../verify/present';
import { withCancellableProgress } from '../verify/progress';
import type { VerifyOutcome } from '../verify/results';
import { runVerify, type VerifyTarget } from '../verify/run';
import { differenceCount } from '../verify/format';
import type { ObjectDifference, TableDataDifference } from '../../core/schema';
import { pickFrom, pickProject, pickTip } from './pick';
import type { Cmd } from './types';

/** Arguments scripts and tests pass to skip the pickers. */
export interface VerifyArgs {
  configPath?: string;
  from?: string;
  to?: string;
  /** Verify the squash applied last (its history before vs the folders now). */
  lastSquash?: boolean;
  provider?: Provider;
  /** False: no pickers, prompts or result messages (the outcome is returned). Default true. */
  interactive?: boolean;
}

/** Verify Squash…: a range squashed in memory (nothing written), or the last applied squash. */
export function verifySquash(ctx: Ctx): Cmd {
  return async (args?: VerifyArgs): Promise<VerifyOutcome | undefined> => {
    const interactive = args?.interactive !== false;
    const refused = await trustRefusal('Verify Squash', interactive);
    if (refused) return refused;
    const state = await pickProject(ctx, args?.configPath);
    if (!state) return undefined;
    const target = await pickTarget(ctx, state, args);
    if (!target) return { status: 'cancelled' };
    return verifyWithProgress(ctx, state, target, { interactive, provider: args?.provider });
  };
}

/** The hook behind the squash flow's "Verify Now" (the squash is applied by then). */
export function verifyAppliedSquash(ctx: Ctx): (squash: LastSquash, state: ProjectState) => Promise<void> {
  return async (squash, state) => {
    if (await trustRefusal('Verify Squash', true)) return;
    await verifyWithProgress(ctx, state, { kind: 'lastSquash', squash }, { interactive: true });
  };
}

async function pickTarget(ctx: Ctx, state: ProjectState, args?: VerifyArgs): Promise<VerifyTarget | undefined> {
  const last = ctx.lastSquash?.applied && ctx.lastSquash.configPath === state.key ? ctx.lastSquash : undefined;
  if (args?.lastSquash) {
    if (!last) throw new Error('There is no applied squash of this project to verify: squash first, or give a range.');
    return { kind: 'lastSquash', squash: last };
  }
  if (args?.from && args.to) return { kind: 'range', from: args.from, to: args.to };
  if (args?.interactive === false) throw new Error('Verify Squash needs `from` and `to`, or `lastSquash: true`, when not interactive.');
  if (last) {
    const choice = await vscode.window.showQuickPick(
      [
        { label: `$(check-all) The squash just applied (${last.from}..${last.to})`, detail: `The history before it vs the folders now: ${last.plan.members.length} revisions → ${last.plan.newRevision}`, last: true },
        { label: '$(list-selection) A range…', detail: 'Squash a range in memory (nothing is written) and compare it with the chain', last: false },
      ],
      { title: 'Verify Squash' },
    );
    if (!choice) return undefined;
    if (choice.last) return { kind: 'lastSquash', squash: last };
  }
  const to = args?.to ?? (await pickTip(state, 'Verify Squash'));
  if (!to) return undefined;
  const from = args?.from ?? (await pickFrom(state, to, 'Verify Squash'));
  if (!from) return undefined;
  return { kind: 'range', from, to };
}

export async function verifyWithProgress(ctx: Ctx, state: ProjectState, target: VerifyTarget, options: { interactive: boolean; provider?: Provider }): Promise<VerifyOutcome> {
  const range = target.kind === 'range' ? `${target.from}..${target.to}` : `${target.squash.from}..${target.squash.to}`;
  const outcome = await withCancellableProgress(`Verifying the squash of ${range}`, (signal, report) =>
    runVerify(ctx, state, target, {
      signal,
      provider: options.provider,
      onEvent: (e) => e.status === 'begin' && e.message && report(e.message),
      onImage: report,
    }),
  );
  if (outcome.record) await presentDifferences(ctx, outcome.record);
  if (options.interactive) void tellOutcome(ctx, outcome);
  return outcome;
}

async function tellOutcome(ctx: Ctx, outcome: VerifyOutcome): Promise<void> {
  const record = outcome.record;
  if (outcome.status === 'equal' && record) {
    const r = record.result;
    const show = 'Show Schema Diff';
    const choice = await vscode.window.showInformationMessage(
      `Verify: equal — ${record.title} gives the same schema and seed data as the chain${r.downgrade ? `, and downgrades to ${r.downgrade.target} cleanly` : ''} (on ${r.provider.description}, ${(r.totalMs / 1000).toFixed(1)} s).${r.provider.versionNote ? ` Note: ${r.provider.versionNote}.` : ''}`,
      show,
    );
    if (choice === show) await openChainSquashDiff(ctx, record);
  } else if (outcome.status === 'different' && record) {
    void vscode.window.showWarningMessage(`Verify: ${differenceCount(record.result)} difference(s) between the chain and ${record.title}. See the Schema Differences view and the Problems panel.`);
  } else if (outcome.status === 'failed' || outcome.status === 'refused') {
    const log = 'Show Log';
    const buttons = outcome.fix === 'interpreter' ? [...interpreterButtons(), log] : [log];
    const choice = await vscode.window.showErrorMessage(outcome.status === 'failed' ? 'Verify failed' : 'Cannot verify', { modal: true, detail: (outcome.reasons ?? []).join('\n\n') }, ...buttons);
    if (choice === log) ctx.log.show();
    else if (choice) await runInterpreterButton(choice);
  }
}

/** The chain ↔ squash diff of the latest verify. */
export function showSchemaDiff(ctx: Ctx): Cmd {
  return async () => {
    const record = ctx.verifications.last;
    if (!record) return void vscode.window.showInformationMessage('No verify has run yet: run Verify Squash… first.');
    await openChainSquashDiff(ctx, record);
  };
}

/** A Schema Differences item: that object's text on both sides, or a table's rows side by side. */
export function openSchemaDifference(ctx: Ctx): Cmd {
  return async (d?: ObjectDifference | TableDataDifference) => {
    if (!d) return;
    if ('table' in d) await openDataDiff(ctx, d);
    else await openObjectDiff(ctx, d);
  };
}

const SELECT_INTERPRETER = 'Select Interpreter';
const OPEN_SETTINGS = 'Open Settings';

/** "Select Interpreter" only when the Python extension is there to do it. */
export function interpreterButtons(): string[] {
  return vscode.extensions.getExtension('ms-python.python') ? [SELECT_INTERPRETER, OPEN_SETTINGS] : [OPEN_SETTINGS];
}

export async function runInterpreterButton(choice: string): Promise<void> {
  if (choice === SELECT_INTERPRETER) await vscode.commands.executeCommand('python.setInterpreter');
  else if (choice === OPEN_SETTINGS) await vscode.commands.executeCommand('workbench.action.openSettings', 'alembicSquash.python');
}
