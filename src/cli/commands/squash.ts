import * as path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { findPython } from '../../core/alembic';
import { maskUrl } from '../../core/postgres';
import {
  adviseDatabase,
  applyChanges,
  applyEdits,
  prepareSquash,
  readDatabaseState,
  stampPlan,
  undoLast,
  type FileEdit,
  type PreparedSquash,
  type SquashOptions,
} from '../../core/squash';
import { ExitCode, UsageError } from '../errors';
import { paint, type Output } from '../output';
import { journalDir, relativeTo, singleProject } from '../projects';
import { withSignalsHeld } from '../signals';

export interface SquashArgs {
  path: string;
  from?: string;
  to?: string;
  strategy?: string;
  revisionId?: string;
  message?: string;
  dryRun: boolean;
  json: boolean;
  archive?: string;
  partialDowngrade?: string;
  python?: string;
  databaseUrl?: string;
  undo: boolean;
}

export { journalDir } from '../projects';

/** Exit code of a command stopped with Ctrl-C (128 + SIGINT), as shells report it. */
const CANCELLED = 130;

/** `alembic-squash squash [PATH] --from REV --to REV …` and `--undo`. */
export async function squashCommand(args: SquashArgs, o: Output): Promise<number> {
  const { root, project, recovered } = await singleProject(args.path);
  if (args.undo) {
    // An interrupted squash was just rolled back on start: that is the undo the user asked for.
    const rolledBack = recovered.find((r) => r.action === 'rolled-back');
    if (rolledBack) {
      if (args.json) o.json({ undone: relativeTo(root, rolledBack.journal), state: 'pending', restored: rolledBack.files.map((f) => relativeTo(root, f)) });
      else o.out(`The interrupted squash was rolled back: ${rolledBack.files.length} file(s) are as they were before it.`);
      return ExitCode.ok;
    }
    const { value, interrupted } = await withSignalsHeld(
      () => undoLast(journalDir(project.here)),
      (signal) => lateCancel(o, `cancelled (${signal}) after the undo completed`),
    );
    const { restored, journalPath, state } = value;
    if (args.json) o.json({ undone: relativeTo(root, journalPath), state, restored: restored.map((f) => relativeTo(root, f)) });
    else {
      o.out(`Restored ${restored.length} file(s) as they were before the ${state === 'complete' ? '' : 'interrupted '}squash:`);
      for (const f of restored) o.out(`  ${relativeTo(root, f)}`);
    }
    if (interrupted) {
      o.err(`cancelled (${interrupted}) after the undo completed`);
      return CANCELLED;
    }
    return ExitCode.ok;
  }
  if (!args.from || !args.to) throw new UsageError('squash needs --from REV and --to REV (e.g. --from base --to head)');
  if (args.strategy && args.strategy !== 'ops') {
    throw new UsageError(`--strategy ${args.strategy} is not available yet; the op-merge strategy ("ops") is`);
  }
  if (args.partialDowngrade && !['raise', 'comment'].includes(args.partialDowngrade)) {
    throw new UsageError('--partial-downgrade takes "raise" or "comment"');
  }
  const python = findPython({ python: args.python, projectDir: project.here });
  const options: SquashOptions = {
    revisionId: args.revisionId ?? 'tip',
    message: args.message,
    archiveDir: args.archive ? path.resolve(args.archive) : undefined,
    partialDowngrade: args.partialDowngrade as SquashOptions['partialDowngrade'],
  };
  o.progress(`planning the squash of ${args.from}..${args.to}…`);
  const prepared = await prepareSquash({ project, from: args.from, to: args.to, options, python });
  o.done();
  const stamp = stampPlan(prepared.plan);
  const database = args.databaseUrl ? await databaseAdvice(args.databaseUrl, prepared) : undefined;

  let written: { journal: string; files: string[] } | undefined;
  if (!args.dryRun) {
    const where = relativeTo(root, path.join(prepared.plan.directory, prepared.render.fileName));
    const cancelled = (signal: string) =>
      `cancelled (${signal}): the squash had started writing and was completed (${where}); undo it with: alembic-squash squash ${args.path === '.' ? '' : args.path + ' '}--undo`;
    const { value: result, interrupted } = await withSignalsHeld(
      () =>
        applyEdits(prepared.edits, {
          journalDir: journalDir(project.here),
          description: `squash ${prepared.plan.from}..${prepared.plan.to} into ${prepared.plan.newRevision}`,
        }),
      (signal) => lateCancel(o, cancelled(signal)),
    );
    written = { journal: result.journalPath, files: [...result.written, ...result.deleted] };
    if (interrupted) {
      o.err(cancelled(interrupted));
      return CANCELLED;
    }
  }

  if (args.json) {
    o.json(squashJson(root, prepared, stamp, database, written));
    return ExitCode.ok;
  }
  printSquash(o, root, prepared, stamp.text, database, !!args.dryRun);
  if (written) {
    o.out();
    o.out(paint(o, 'green', `Wrote the squash: ${relativeTo(root, path.join(prepared.plan.directory, prepared.render.fileName))}`));
    o.out(`Undo with: alembic-squash squash ${args.path === '.' ? '' : args.path + ' '}--undo`);
    o.out(`Prove it on a throwaway PostgreSQL: alembic-squash verify ${args.path === '.' ? '' : args.path + ' '}--against-ref HEAD   (the written squash vs the committed chain)`);
  }
  return ExitCode.ok;
}

/** A Ctrl-C that reaches us after the write: the files are complete; say so and stop as Ctrl-C does. */
function lateCancel(o: Output, message: string): never {
  o.done();
  o.err(message);
  process.exit(CANCELLED);
}

async function databaseAdvice(url: string, prepared: PreparedSquash) {
  const state = await readDatabaseState(url).catch((e: Error) => {
    throw Object.assign(new Error(`Could not read alembic_version from ${maskUrl(url)}: ${maskUrl(e.message)}`), { exitCode: ExitCode.environment });
  });
  return { url: maskUrl(url), ...state, advice: adviseDatabase(prepared.plan, state.versions) };
}

function squashJson(root: string, p: PreparedSquash, stamp: ReturnType<typeof stampPlan>, database: unknown, written?: { journal: string; files: string[] }) {
  const rel = (f: string) => relativeTo(root, f);
  return {
    plan: {
      from: p.plan.from,
      to: p.plan.to,
      tip: p.plan.tip,
      roots: p.plan.roots,
      newRevision: p.plan.newRevision,
      idChanged: p.plan.idChanged,
      downRevisions: p.plan.downRevisions,
      dependsOn: p.plan.dependencies,
      branchLabels: p.plan.branchLabels,
      message: p.plan.message,
      members: p.plan.members.map((m) => ({ revision: m.revision, message: m.message, path: rel(m.path) })),
      children: p.plan.children.map((c) => ({ revision: c.revision, path: rel(c.path), via: c.via })),
    },
    file: { path: rel(path.join(p.plan.directory, p.render.fileName)), text: p.render.text, renderedWith: p.render.renderedWith, builtinReason: p.render.builtinReason },
    classification: p.render.classification,
    partialDowngrade: p.render.partialDowngrade,
    renames: p.render.renames,
    droppedHelpers: p.render.droppedHelpers,
    warnings: p.render.warnings,
    stampPlan: stamp,
    database,
    edits: p.edits.map((e) => editJson(e, rel)),
    written: written ? { journal: rel(written.journal), files: written.files.map(rel) } : null,
  };
}

function editJson(e: FileEdit, rel: (f: string) => string) {
  switch (e.kind) {
    case 'create':
      return { kind: e.kind, path: rel(e.path) };
    case 'delete':
      return { kind: e.kind, path: rel(e.path) };
    case 'move':
      return { kind: e.kind, from: rel(e.from), to: rel(e.to) };
    case 'modify':
      return { kind: e.kind, path: rel(e.path), changes: e.changes };
  }
}

function printSquash(o: Output, root: string, p: PreparedSquash, stampText: string, database: Awaited<ReturnType<typeof databaseAdvice>> | undefined, dryRun: boolean) {
  const { plan, render } = p;
  o.out(paint(o, 'bold', `Squash ${plan.members.length} revisions (${plan.from}..${plan.to}) into ${plan.newRevision}${plan.idChanged ? ' (new id)' : ' (the tip\'s id)'}`));
  o.out(`  down_revision: ${plan.downRevisions.length ? plan.downRevisions.join(', ') : 'None (base)'}`);
  if (plan.dependencies.length) o.out(`  depends_on:    ${plan.dependencies.join(', ')}`);
  if (plan.branchLabels.length) o.out(`  branch_labels: ${plan.branchLabels.join(', ')}`);
  o.out(`  rendered with: ${render.renderedWith === 'project-template' ? "the project's script.py.mako" : `the built-in template (${render.builtinReason ?? 'no Python'})`}`);
  o.out();
  for (const m of plan.members) o.out(`  ${paint(o, 'gray', '-')} ${m.revision}  ${m.message}  ${paint(o, 'gray', relativeTo(root, m.path))}`);
  const data = render.classification.filter((c) => c.fn === 'upgrade' && (c.kind === 'data' || c.kind === 'raw-sql-dml' || c.contains === 'data' || c.contains === 'raw-sql-dml'));
  const external = render.classification.filter((c) => c.kind === 'external' || c.contains === 'external');
  if (data.length) {
    o.out();
    o.out(paint(o, 'yellow', `Data operations kept (${data.length}):`));
    for (const c of data) o.out(`  ${c.revision}: ${c.summary}`);
  }
  if (external.length) {
    o.out(paint(o, 'yellow', `Calls into project code (${external.length}):`));
    for (const c of external) o.out(`  ${c.revision}: ${c.summary}`);
  }
  if (render.partialDowngrade.length) {
    o.out(paint(o, 'yellow', `Partial downgrade: ${render.partialDowngrade.join(', ')} had no usable downgrade() (${plan.options.partialDowngrade === 'raise' ? 'downgrade() raises NotImplementedError' : 'marked with a comment'})`));
  }
  for (const r of render.renames) o.out(paint(o, 'gray', `renamed ${r.what} ${r.from} → ${r.to} (from ${r.revision}) to avoid a clash`));
  for (const w of render.warnings) o.out(paint(o, 'yellow', `warning: ${w}`));
  o.out();
  o.out(paint(o, 'bold', 'Deployed databases:'));
  o.out(stampText.replace(/^/gm, '  '));
  if (database) {
    o.out();
    o.out(paint(o, 'bold', `Database ${database.url}:`) + ` ${database.versions.length ? database.versions.join(', ') : database.tableExists ? 'alembic_version is empty' : 'no alembic_version table'}`);
    for (const s of database.advice.steps) o.out(`  - ${s}`);
    if (!database.advice.steps.length) o.out('  nothing to do');
  }
  if (dryRun) {
    o.out();
    o.out(paint(o, 'bold', '--dry-run: nothing written. The edits:'));
    for (const e of p.edits) o.out(colorPatch(o, patchOf(root, e)));
  }
}

function patchOf(root: string, e: FileEdit): string {
  const rel = (f: string) => relativeTo(root, f);
  switch (e.kind) {
    case 'create':
      return createTwoFilesPatch('/dev/null', rel(e.path), '', e.text, '', '(new)');
    case 'delete':
      return createTwoFilesPatch(rel(e.path), '/dev/null', e.expectedText, '', '', '(deleted)');
    case 'move':
      return `moved ${rel(e.from)} → ${rel(e.to)}\n`;
    case 'modify':
      return createTwoFilesPatch(rel(e.path), rel(e.path), e.expectedText, applyChanges(e.expectedText, e.changes));
  }
}

function colorPatch(o: Output, patch: string): string {
  if (!o.color) return patch;
  return patch
    .split('\n')
    .map((l) => (l.startsWith('+') && !l.startsWith('+++') ? paint(o, 'green', l) : l.startsWith('-') && !l.startsWith('---') ? paint(o, 'red', l) : l.startsWith('@@') ? paint(o, 'cyan', l) : l))
    .join('\n');
}
