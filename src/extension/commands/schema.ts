import * as vscode from 'vscode';
import { OperationAbortedError } from '../../core/postgres';
import { compareSchemas } from '../../core/schema';
import { schemasAt, VerifyCancelledError, type SchemaAt } from '../../core/verify';
import type { Ctx } from '../ctx';
import type { ProjectState } from '../state/projects';
import { interpreterFor, providerOptionsFor } from '../verify/environment';
import { withCancellableProgress } from '../verify/progress';
import { displayOrder, shortDate, shortId } from '../views/revisionModel';
import { RevisionNode } from '../views/revisionsView';
import { pickProject } from './pick';
import { trustRefusal } from './trustGate';
import type { Cmd } from './types';

/** What the schema commands resolve with (tests read it). */
export interface SchemaOutcome {
  status: 'shown' | 'refused' | 'cancelled' | 'failed';
  /** The revisions whose schemas were shown, left first. */
  revisions?: string[];
  differences?: number;
  uris?: vscode.Uri[];
  reasons?: string[];
}

export interface RevisionArgs {
  configPath?: string;
  revision?: string;
  interactive?: boolean;
}

export interface CompareArgs {
  configPath?: string;
  left?: string;
  right?: string;
  interactive?: boolean;
}

/** Show Schema at Revision: the normalized schema the history gives there, as a read-only SQL document. */
export function showSchemaAtRevision(ctx: Ctx): Cmd {
  return async (arg?: RevisionNode | RevisionArgs): Promise<SchemaOutcome | undefined> => {
    const args = argsOf(arg);
    const refused = await trustRefusal('Show Schema at Revision', args.interactive !== false);
    if (refused) return refused;
    const state = arg instanceof RevisionNode ? arg.state : await pickProject(ctx, args.configPath);
    if (!state) return undefined;
    const revision = args.revision ?? (await pickRevision(state, 'Show Schema at Revision'));
    if (!revision) return { status: 'cancelled' };
    return withSchemas(ctx, state, [revision], args.interactive !== false, async ([at]) => {
      const doc = await ctx.schemas.show({ side: at!.revision, name: `schema at ${shortId(at!.revision, state.scripts.map)}`, text: at!.text });
      return { status: 'shown', revisions: [at!.revision], uris: [doc.uri] };
    });
  };
}

/** Compare Schemas of Two Revisions: two quick picks, then the diff editor. */
export function compareSchemasOfRevisions(ctx: Ctx): Cmd {
  return async (args: CompareArgs = {}): Promise<SchemaOutcome | undefined> => {
    const refused = await trustRefusal('Compare Schemas', args.interactive !== false);
    if (refused) return refused;
    const state = await pickProject(ctx, args.configPath);
    if (!state) return undefined;
    const left = args.left ?? (await pickRevision(state, 'Compare Schemas: the older revision (left side)'));
    if (!left) return { status: 'cancelled' };
    const right = args.right ?? (await pickRevision(state, `Compare Schemas: the revision to compare with ${shortId(left, state.scripts.map)} (right side)`, left));
    if (!right) return { status: 'cancelled' };
    return compare(ctx, state, left, right, args.interactive !== false);
  };
}

/** Compare with Parent (tree context menu): the revision's schema against its parent's. */
export function compareWithParent(ctx: Ctx): Cmd {
  return async (arg?: RevisionNode | RevisionArgs): Promise<SchemaOutcome | undefined> => {
    const args = argsOf(arg);
    const interactive = args.interactive !== false;
    const refused = await trustRefusal('Compare with Parent', interactive);
    if (refused) return refused;
    const state = arg instanceof RevisionNode ? arg.state : await pickProject(ctx, args.configPath);
    if (!state) return undefined;
    const revision = args.revision ?? (await pickRevision(state, 'Compare with Parent: which revision'));
    if (!revision) return { status: 'cancelled' };
    const entry = state.scripts.map.get(revision);
    if (!entry) throw new Error(`Unknown revision ${revision}`);
    let parent: string | undefined = entry.downRevisions[0] ?? 'base';
    if (entry.downRevisions.length > 1) {
      // A merge point: Alembic can upgrade to one parent at a time, so one is compared.
      const items = entry.downRevisions.map((p) => ({ label: p, description: state.scripts.map.get(p)?.message }));
      parent = interactive ? (await vscode.window.showQuickPick(items, { title: `${shortId(revision, state.scripts.map)} merges several parents: compare with which one?` }))?.label : entry.downRevisions[0];
      if (!parent) return { status: 'cancelled' };
    }
    return compare(ctx, state, parent, revision, interactive);
  };
}

async function compare(ctx: Ctx, state: ProjectState, left: string, right: string, interactive: boolean): Promise<SchemaOutcome> {
  return withSchemas(ctx, state, [left, right], interactive, async ([a, b]) => {
    const n = compareSchemas(a!.snapshot, b!.snapshot).differences.length;
    const title = `Schema: ${shortId(left, state.scripts.map)} ↔ ${shortId(right, state.scripts.map)} (${n === 0 ? 'equal' : `${n} difference${n === 1 ? '' : 's'}`})`;
    await ctx.schemas.diff({ side: left, name: `schema at ${shortId(left, state.scripts.map)}`, text: a!.text }, { side: right, name: `schema at ${shortId(right, state.scripts.map)}`, text: b!.text }, title);
    return { status: 'shown', revisions: [left, right], differences: n };
  });
}

/** Runs the history up to each revision on a throwaway server (progress + cancel), then `show`. */
async function withSchemas(ctx: Ctx, state: ProjectState, revisions: string[], interactive: boolean, show: (schemas: SchemaAt[]) => Promise<SchemaOutcome>): Promise<SchemaOutcome> {
  const python = await interpreterFor(ctx, state);
  if (!python) return { status: 'refused', reasons: ['Reading a schema runs the project\'s Python: trust this workspace first.'] };
  let outcome: SchemaOutcome;
  try {
    const provider = await providerOptionsFor(ctx, state);
    ctx.log.info(`schemas at ${revisions.join(', ')} in ${state.key} on ${provider.provider}`);
    const { schemas } = await withCancellableProgress(`Schema at ${revisions.map((r) => shortId(r, state.scripts.map)).join(' and ')}`, (signal, report) =>
      schemasAt({
        project: state.project,
        python,
        provider,
        revisions,
        signal,
        urlEnvVars: ctx.config.urlEnvVars(state.folder.uri),
        onProgress: report,
        log: (line) => ctx.log.info(`schema: ${line}`),
      }),
    );
    outcome = await show(schemas);
  } catch (err) {
    if (err instanceof VerifyCancelledError || err instanceof OperationAbortedError) return { status: 'cancelled' };
    ctx.log.error('reading schemas failed', err);
    outcome = { status: 'failed', reasons: [err instanceof Error ? err.message : String(err)] };
    if (interactive) void vscode.window.showErrorMessage('Reading the schema failed', { modal: true, detail: outcome.reasons!.join('\n') });
  }
  return outcome;
}

function argsOf(arg: RevisionNode | RevisionArgs | undefined): RevisionArgs {
  if (arg instanceof RevisionNode) return { configPath: arg.state.key, revision: arg.revision };
  return arg ?? {};
}

/** Every revision newest first (heads marked); `exclude` is left out. */
async function pickRevision(state: ProjectState, title: string, exclude?: string): Promise<string | undefined> {
  const map = state.scripts.map;
  const items = displayOrder(map)
    .filter((id) => id !== exclude)
    .map((id) => {
      const r = map.get(id)!;
      return { label: `${map.isHead(id) ? '$(arrow-circle-up) ' : ''}${r.message || id}`, description: [id, shortDate(r.createDate)].filter(Boolean).join(' · '), id };
    });
  const item = await vscode.window.showQuickPick(items, { title, matchOnDescription: true });
  return item?.id;
}
