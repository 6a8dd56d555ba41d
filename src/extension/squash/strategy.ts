/**
 * Which strategy writes the squash in VS Code, and the snapshot run itself (a throwaway PostgreSQL,
 * with progress and cancel). The core decides and proves; this only asks and shows.
 */
import * as vscode from 'vscode';
import type { SquashOptions, SquashPlan } from '../../core/squash';
import { squashWithStrategy, SnapshotNotProvenError, SnapshotRangeError, type StrategySquash } from '../../core/squash/snapshot';
import { VerifyCancelledError } from '../../core/verify';
import { OperationAbortedError } from '../../core/postgres';
import type { Ctx } from '../ctx';
import type { ProjectState } from '../state/projects';
import type { Strategy } from '../review/model';
import { providerOptionsFor } from '../verify/environment';

export type StrategyChoice = { strategy: 'ops' | 'snapshot' | 'auto'; reason: string } | undefined;

/**
 * The request's strategy, else the setting. `auto` asks (recommending the snapshot) only where a
 * snapshot can be made: a range from base, in a trusted workspace, when a person is there to answer.
 */
export async function chooseStrategy(setting: Strategy, plan: SquashPlan, interactive: boolean, trusted: boolean): Promise<StrategyChoice> {
  if (setting !== 'auto') return { strategy: setting, reason: 'the alembicSquash.strategy setting' };
  if (!plan.fromBase) return { strategy: 'ops', reason: 'the range does not start at base: only the operations can be merged' };
  if (!trusted) return { strategy: 'ops', reason: "Restricted Mode: a snapshot runs the project's migrations" };
  if (!interactive) return { strategy: 'ops', reason: 'scripted squashes take the operations unless they ask for another strategy' };
  const snapshot = {
    label: '$(database) Snapshot',
    description: 'recommended for a whole history',
    detail: 'The schema at the tip as one clean revision (tables as Alembic operations, views, functions and the rest as pg_dump statements, seed rows), proven equal to the chain on a throwaway PostgreSQL first.',
    strategy: 'auto' as const,
  };
  const ops = {
    label: '$(list-ordered) Operations',
    description: 'every revision\'s operations merged in order',
    detail: 'Keeps each upgrade()/downgrade() body, data migrations and calls into project code as they are; no database needed.',
    strategy: 'ops' as const,
  };
  const picked = await vscode.window.showQuickPick([snapshot, ops], {
    title: `How should the squash of ${plan.members.length} revisions be written?`,
    placeHolder: 'Snapshot is what teams write by hand when they squash from base',
    ignoreFocusOut: true,
  });
  if (!picked) return undefined;
  return { strategy: picked.strategy, reason: picked.strategy === 'ops' ? 'chosen' : 'chosen (the operations if the chain cannot run here)' };
}

export type SnapshotOutcome = { kind: 'made'; made: StrategySquash } | { kind: 'cancelled' } | { kind: 'refused'; reasons: string[] };

/** Runs the chain, reads it, renders and proves the snapshot, with a cancellable progress notification. */
export async function makeSnapshot(
  ctx: Ctx,
  state: ProjectState,
  request: { strategy: 'auto' | 'snapshot'; from: string; to: string; options: SquashOptions; python: string },
): Promise<SnapshotOutcome> {
  const scope = state.folder.uri;
  const provider = await providerOptionsFor(ctx, state);
  const urlEnvVars = ctx.config.urlEnvVars(scope);
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Squash as a snapshot', cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      const listener = token.onCancellationRequested(() => abort.abort());
      try {
        const made = await squashWithStrategy(request.strategy, {
          project: state.project,
          python: request.python,
          from: request.from,
          to: request.to,
          options: request.options,
          provider,
          urlEnvVars: urlEnvVars.length ? urlEnvVars : undefined,
          signal: abort.signal,
          onProgress: (message) => progress.report({ message }),
          log: (line) => ctx.log.info(`snapshot: ${line}`),
        });
        ctx.log.info(`squash strategy ${made.strategy}: ${made.reason}`);
        return { kind: 'made', made };
      } catch (err) {
        if (abort.signal.aborted || err instanceof VerifyCancelledError || err instanceof OperationAbortedError) return { kind: 'cancelled' };
        if (err instanceof SnapshotRangeError) return { kind: 'refused', reasons: [err.message] };
        if (err instanceof SnapshotNotProvenError) {
          const p = err.proof;
          const lines = [...p.schema.differences.map((d) => d.summary), ...p.data.differences.map((d) => d.summary)];
          return { kind: 'refused', reasons: [err.message.replace('--strategy ops', 'the Operations strategy'), ...lines.slice(0, 20)] };
        }
        throw err;
      } finally {
        listener.dispose();
      }
    },
  );
}
