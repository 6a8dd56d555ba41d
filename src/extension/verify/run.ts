import * as path from 'node:path';
import { AlembicUnavailableError, copyVersionLocations, MigrationFailedError } from '../../core/alembic';
import { NotSquashableError, GraphError } from '../../core/graph';
import { prepareSquash, SquashError } from '../../core/squash';
import { verifySquash, VerifyCancelledError, VerifyMigrationError, type VerifyCandidate, type VerifyEvent } from '../../core/verify';
import type { Provider } from '../config';
import type { Ctx, LastSquash } from '../ctx';
import type { ProjectState } from '../state/projects';
import { interpreterFor, providerOptionsFor } from './environment';
import { createdFile, historyBefore } from './history';
import type { DiagnosticTargets } from './diagnostics';
import type { VerifyOutcome, VerifyRecord } from './results';
import { editorWords } from './words';

/** What to verify: a range squashed in memory (nothing written), or the squash last applied. */
export type VerifyTarget = { kind: 'range'; from: string; to: string } | { kind: 'lastSquash'; squash: LastSquash };

export interface VerifyRunOptions {
  signal: AbortSignal;
  onEvent?: (event: VerifyEvent) => void;
  /** Detail lines (back-end start-up, Alembic's output); already password-free. */
  onLine?: (line: string) => void;
  /** The Docker image the run will use and where it came from (`postgres:17 from compose.yaml, service db`). */
  onImage?: (text: string) => void;
  /** Overrides the `provider` setting (a task's `provider`). */
  provider?: Provider;
}

interface VerifyJob {
  title: string;
  candidate: VerifyCandidate;
  chainVersionLocations?: string[];
  downgradeTo?: string;
  downgradeSkipped?: string;
  targets: DiagnosticTargets;
  dispose(): Promise<void>;
}

/**
 * Runs one verify and records it (Problems entries, Schema Differences view). Never throws for what
 * users cause (refusal, cancel, failing migration, no back end): the outcome says it.
 * The caller checks trust first; this refuses too, so no path runs Python in Restricted Mode.
 */
export async function runVerify(ctx: Ctx, state: ProjectState, target: VerifyTarget, options: VerifyRunOptions): Promise<VerifyOutcome> {
  const done = (outcome: VerifyOutcome) => ctx.verifications.finish(outcome);
  const python = await interpreterFor(ctx, state);
  if (!python) return done({ status: 'refused', reasons: ['Verify runs the project\'s Python: trust this workspace to use it.'] });
  let job: VerifyJob | undefined;
  try {
    const provider = await providerOptionsFor(ctx, state, options.provider);
    job = await jobFor(ctx, state, target, python);
    ctx.log.info(`verify ${job.title} in ${state.key} with ${python} on ${provider.provider}`);
    if (provider.dockerImage && (provider.provider === 'docker' || provider.provider === 'auto')) {
      options.onImage?.(`Docker image ${provider.dockerImage} (from ${provider.dockerImageOrigin})`);
    }
    const scope = state.folder.uri;
    const seedTables = ctx.config.seedTables(scope);
    const urlEnvVars = ctx.config.urlEnvVars(scope);
    const result = await verifySquash({
      project: state.project,
      python,
      provider,
      candidate: job.candidate,
      chainVersionLocations: job.chainVersionLocations,
      to: 'heads',
      downgradeTo: job.downgradeTo,
      seedTables: seedTables.length ? seedTables : undefined,
      urlEnvVars: urlEnvVars.length ? urlEnvVars : undefined,
      models: ctx.config.verifyModels(scope) || undefined,
      signal: options.signal,
      onEvent: (e) => {
        if (e.status === 'end') ctx.log.info(`verify: ${e.message ?? e.phase} (${e.ms} ms)`);
        options.onEvent?.(e);
      },
      log: (line) => {
        ctx.log.info(`verify: ${line}`);
        options.onLine?.(line);
      },
    });
    const record: VerifyRecord = {
      id: ctx.verifications.nextId(),
      configPath: state.key,
      title: job.title,
      result,
      downgradeSkipped: job.downgradeSkipped,
      targets: job.targets,
      finishedAt: new Date(),
    };
    ctx.verifications.publish(record);
    ctx.log.info(`verify ${job.title}: ${result.equal ? 'equal' : 'different'} in ${result.totalMs} ms on ${result.provider.description}`);
    return done({ status: result.equal ? 'equal' : 'different', record });
  } catch (err) {
    return done(failure(ctx, err));
  } finally {
    await job?.dispose().catch(() => undefined);
  }
}

async function jobFor(ctx: Ctx, state: ProjectState, target: VerifyTarget, python: string): Promise<VerifyJob> {
  const configFile = state.project.configPath;
  if (target.kind === 'range') {
    const scope = state.folder.uri;
    const prepared = await prepareSquash({
      project: state.project,
      scripts: state.scripts,
      from: target.from,
      to: target.to,
      python,
      options: { revisionId: ctx.config.revisionId(scope), partialDowngrade: ctx.config.partialDowngrade(scope), archiveDir: ctx.config.archiveFolder(scope) || undefined },
    });
    const { plan } = prepared;
    return {
      title: `the squash of ${plan.members.length} revisions (${target.from}..${target.to})`,
      candidate: { kind: 'edits', edits: prepared.edits },
      ...downgradeOf(plan.downRevisions),
      targets: { memberFiles: plan.members.map((m) => m.path), configFile },
      dispose: async () => undefined,
    };
  }
  // Already applied: the chain is the history before the squash, rebuilt from its edits in a copy.
  const { squash } = target;
  const locations = state.project.versionLocations;
  const chain = await copyVersionLocations({ versionLocations: locations }, historyBefore(squash.edits, locations));
  return {
    title: `the applied squash of ${squash.plan.members.length} revisions (${squash.from}..${squash.to})`,
    candidate: { kind: 'versionLocations', versionLocations: locations },
    chainVersionLocations: chain.versionLocations,
    ...downgradeOf(squash.plan.downRevisions),
    targets: { squashFile: createdFile(squash.edits), memberFiles: squash.plan.members.map((m) => m.path), configFile },
    dispose: () => chain.dispose(),
  };
}

function downgradeOf(parents: string[]): { downgradeTo?: string; downgradeSkipped?: string } {
  if (parents.length === 0) return { downgradeTo: 'base' };
  if (parents.length === 1) return { downgradeTo: parents[0] };
  return { downgradeSkipped: `the range has several parents (${parents.join(', ')}); Alembic cannot downgrade to all of them in one step` };
}

/** Errors → an outcome with people's words; a failing migration also gets a Problems entry. */
function failure(ctx: Ctx, err: unknown): VerifyOutcome {
  if (err instanceof VerifyCancelledError) {
    ctx.log.info('verify cancelled; everything it started was removed');
    return { status: 'cancelled' };
  }
  if (err instanceof NotSquashableError) return { status: 'refused', reasons: err.reasons.map((r) => r.message) };
  if (err instanceof SquashError || err instanceof GraphError) return { status: 'refused', reasons: [err.message] };
  ctx.log.error('verify failed', err);
  if (err instanceof VerifyMigrationError && err.cause instanceof MigrationFailedError) {
    const c = err.cause;
    ctx.verifications.publishFailure(c.file, c.line, `${err.side === 'chain' ? 'The original chain' : 'The squashed history'} failed here during ${err.step}: ${c.errorType}: ${c.errorMessage}`);
    return { status: 'failed', reasons: [err.message, `${path.basename(c.file)}:${c.line}`, c.traceback].filter(Boolean) };
  }
  const unavailable = err instanceof AlembicUnavailableError ? err : err instanceof Error && err.cause instanceof AlembicUnavailableError ? err.cause : undefined;
  if (unavailable) {
    // The core's words name the CLI's flag; in the editor the choice is a setting or the Python extension.
    return {
      status: 'failed',
      fix: 'interpreter',
      reasons: [
        `Alembic cannot be imported with ${unavailable.python} (${unavailable.reason}).`,
        'Install Alembic in that environment, or choose the interpreter that has it: "Python: Select Interpreter" (Python extension) or the setting alembicSquash.python.',
      ],
    };
  }
  // No back end, env.py errors: their messages say what to do, in the CLI's words made the editor's.
  return { status: 'failed', reasons: [editorWords(err instanceof Error ? err.message : String(err))] };
}
