/**
 * What the review screen shows, as plain data built from the squash (no vscode): the webview only
 * renders it. Paths are relative to the project folder.
 */
import * as path from 'node:path';
import type { ClassifiedStatement, FileEdit, RenderResult, SquashPlan, StampPlan } from '../../core/squash';

/** The squash strategies the review can pass on to the core (the core's `--strategy`). */
export type Strategy = 'ops' | 'snapshot' | 'auto';

export interface ReviewModel {
  title: string;
  strategy: Strategy;
  range: { from: string; to: string; first: string; tip: string; fromBase: boolean };
  newRevision: string;
  idChanged: boolean;
  message: string;
  downRevisions: string[];
  members: { revision: string; message: string; file: string }[];
  files: { created: string[]; deleted: string[]; archived: { from: string; to: string }[]; rewired: string[] };
  /** Data migrations carried into the new file (bulk_insert, DML, sessions). */
  data: Statement[];
  /** Calls into the project's own code, carried as written. */
  external: Statement[];
  partialDowngrade: string[];
  stamp: StampPlan;
  renderedWith: RenderResult['renderedWith'];
  warnings: string[];
  /** Apply also shows VS Code's refactor preview (the `refactorPreview` setting). */
  refactorPreview: boolean;
  newFile: { name: string; text: string };
}

export interface Statement {
  revision: string;
  fn: 'upgrade' | 'downgrade';
  summary: string;
  names?: string[];
}

export interface ReviewInput {
  plan: SquashPlan;
  render: RenderResult;
  edits: readonly FileEdit[];
  stamp: StampPlan;
  strategy: Strategy;
  refactorPreview?: boolean;
  /** The project folder paths are shown relative to. */
  here: string;
}

export function reviewModel(input: ReviewInput): ReviewModel {
  const { plan, render, edits, here } = input;
  const rel = (p: string) => path.relative(here, p) || p;
  const files: ReviewModel['files'] = { created: [], deleted: [], archived: [], rewired: [] };
  for (const e of edits) {
    if (e.kind === 'create') files.created.push(rel(e.path));
    else if (e.kind === 'delete') files.deleted.push(rel(e.path));
    else if (e.kind === 'move') files.archived.push({ from: rel(e.from), to: rel(e.to) });
    else files.rewired.push(rel(e.path));
  }
  const statement = (s: ClassifiedStatement): Statement => ({ revision: s.revision, fn: s.fn, summary: s.summary, ...(s.externalNames ? { names: s.externalNames } : {}) });
  const isData = (s: ClassifiedStatement) => s.kind === 'data' || s.kind === 'raw-sql-dml' || (s.kind === 'control' && (s.contains === 'data' || s.contains === 'raw-sql-dml'));
  const isExternal = (s: ClassifiedStatement) => s.kind === 'external' || (s.kind === 'control' && s.contains === 'external');
  const first = plan.members[0]?.revision ?? plan.from;
  return {
    title: `Squash ${plan.members.length} revisions → ${plan.newRevision}`,
    strategy: input.strategy,
    range: { from: plan.from, to: plan.to, first, tip: plan.tip, fromBase: plan.fromBase },
    newRevision: plan.newRevision,
    idChanged: plan.idChanged,
    message: plan.message,
    downRevisions: plan.downRevisions,
    members: plan.members.map((m) => ({ revision: m.revision, message: m.message, file: rel(m.path) })),
    files,
    data: render.classification.filter(isData).map(statement),
    external: render.classification.filter(isExternal).map(statement),
    partialDowngrade: render.partialDowngrade,
    stamp: input.stamp,
    renderedWith: render.renderedWith,
    warnings: render.warnings,
    refactorPreview: input.refactorPreview ?? false,
    newFile: { name: render.fileName, text: render.text },
  };
}
