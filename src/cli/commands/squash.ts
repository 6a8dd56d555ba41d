import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { findPython } from '../../core/alembic';
import { maskUrl } from '../../core/postgres';
import {
  adviseDatabase,
  applyChanges,
  applyEdits,
  readDatabaseState,
  RenderFailedError,
  stampPlan,
  undoLast,
  type FileEdit,
  type PreparedSquash,
  type SquashOptions,
} from '../../core/squash';
import { faultAfterWrite } from '../../core/squash/journal';
import { squashWithStrategy, SnapshotNotProvenError, SnapshotRangeError, type SnapshotFormat, type Strategy, type StrategySquash } from '../../core/squash/snapshot';
import { ExitCode, UsageError } from '../errors';
import { cancelOnInterrupt, providerFrom } from '../providerArgs';
import { printSnapshot, snapshotJson, printNotProven } from './squashSnapshot';
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
  /** `python` (default) or `sql`: pg_dump's statements in a .sql file next to the revision. */
  snapshotFormat?: string;
  /** --provider, --docker-image, --pg-bin, --url-env: where the snapshot strategy runs the chain. */
  providerValues?: Record<string, unknown>;
  /** --no-hooks: leave the project's post_write_hooks out. */
  noHooks?: boolean;
  /** --no-optimize: keep every statement as the chain ran it. */
  noOptimize?: boolean;
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
  const strategy = (args.strategy ?? 'auto') as Strategy;
  if (!['auto', 'ops', 'snapshot'].includes(strategy)) throw new UsageError('--strategy takes "auto", "ops" or "snapshot"');
  if (args.snapshotFormat && !['python', 'sql'].includes(args.snapshotFormat)) throw new UsageError('--snapshot-format takes "python" or "sql"');
  if (args.snapshotFormat && strategy === 'ops') throw new UsageError('--snapshot-format applies to the snapshot strategy, not to --strategy ops');
  if (args.partialDowngrade && !['raise', 'comment'].includes(args.partialDowngrade)) {
    throw new UsageError('--partial-downgrade takes "raise" or "comment"');
  }
  const python = findPython({ python: args.python, projectDir: project.here });
  const options: SquashOptions = {
    revisionId: args.revisionId ?? 'tip',
    message: args.message,
    archiveDir: args.archive ? path.resolve(args.archive) : undefined,
    partialDowngrade: args.partialDowngrade as SquashOptions['partialDowngrade'],
    optimize: !args.noOptimize,
  };
  // --database-url names a deployed database to advise on; the chain runs on a throwaway one only.
  const provider = providerFrom({ ...(args.providerValues ?? {}), 'database-url': undefined });
  const cancel = cancelOnInterrupt();
  let chosen: StrategySquash;
  // A dry run writes nothing, so nothing is formatted either.
  const hooksSkippedBecause = args.dryRun ? '--dry-run writes nothing' : args.noHooks ? '--no-hooks' : undefined;
  try {
    o.progress(`planning the squash of ${args.from}..${args.to}…`);
    chosen = await squashWithStrategy(strategy, {
      project, python, from: args.from, to: args.to, options, provider, format: args.snapshotFormat as SnapshotFormat | undefined,
      urlEnvVars: args.providerValues?.['url-env'] as string[] | undefined,
      hooks: !hooksSkippedBecause, hooksSkippedBecause,
      signal: cancel.signal,
      onProgress: (m) => o.progress(`${m}…`),
    });
  } catch (error) {
    o.done();
    // Whatever failed after a Ctrl-C during planning failed because of it; nothing was written yet.
    if (cancel.signal.aborted) return cancelledBeforeWrite(o);
    if (error instanceof SnapshotRangeError) {
      o.err(`${paint(o, 'red', 'refused:')} ${error.message}`);
      return ExitCode.found;
    }
    if (error instanceof SnapshotNotProvenError) {
      if (args.json) o.json({ strategy: 'snapshot', refused: error.message, differences: error.proof.schema.differences, data: error.proof.data.differences, downgrade: error.proof.downgrade?.schema.differences ?? [] });
      else printNotProven(o, error);
      return ExitCode.found;
    }
    throw error instanceof RenderFailedError ? keepRejected(error, journalDir(project.here), root) : error;
  } finally {
    cancel.dispose();
  }
  o.done();
  // A Ctrl-C during planning that the planner did not notice: still nothing written, still cancelled.
  if (cancel.signal.aborted) return cancelledBeforeWrite(o);
  const prepared = chosen.prepared;
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
    faultAfterWrite();
    if (interrupted) {
      o.err(cancelled(interrupted));
      return CANCELLED;
    }
  }

  if (args.json) {
    o.json({ strategy: chosen.strategy, strategyReason: chosen.reason, ...squashJson(root, prepared, stamp, database, written), ...(chosen.snapshot ? { snapshot: snapshotJson(chosen.snapshot) } : {}) });
    return ExitCode.ok;
  }
  o.out(`Strategy: ${paint(o, 'bold', chosen.strategy)} — ${chosen.reason}`);
  if (chosen.snapshot) printSnapshot(o, chosen.snapshot);
  printSquash(o, root, prepared, stamp.text, database, !!args.dryRun, chosen.strategy);
  if (written) {
    o.out();
    o.out(paint(o, 'green', `Wrote the squash: ${relativeTo(root, path.join(prepared.plan.directory, prepared.render.fileName))}`));
    o.out(`Undo with: alembic-squash squash ${args.path === '.' ? '' : args.path + ' '}--undo`);
    o.out(`Prove it on a throwaway PostgreSQL: alembic-squash verify ${args.path === '.' ? '' : args.path + ' '}--against-ref HEAD   (the written squash vs the committed chain)`);
  }
  return ExitCode.ok;
}

/**
 * A rendered file the re-parse or the compiler rejected is kept (beside the journals, else in the
 * temp folder) so it can be read and filed; the error then names it and shows the text around the line.
 */
function keepRejected(err: RenderFailedError, dir: string, root: string): Error {
  const name = `rejected-${new Date().toISOString().replace(/[:.]/g, '-')}.py`;
  let saved: string | undefined;
  for (const folder of [path.join(dir, 'rejected'), os.tmpdir()]) {
    try {
      fs.mkdirSync(folder, { recursive: true });
      // Never committed by accident: the folder ignores itself for git.
      if (folder !== os.tmpdir() && !fs.existsSync(path.join(folder, '.gitignore'))) fs.writeFileSync(path.join(folder, '.gitignore'), '*\n');
      fs.writeFileSync(path.join(folder, name), err.text);
      saved = path.join(folder, name);
      break;
    } catch {
      // Try the next folder.
    }
  }
  const where = saved ? `\nThe rejected file is saved at ${relativeTo(root, saved)}${err.line ? ` (line ${err.line})` : ''}.` : '';
  const excerpt = err.excerpt();
  return Object.assign(new Error(`${err.message}${where}${excerpt ? `\n\n${excerpt}` : ''}\n\nNothing was written. This is a bug in the squash engine: please report it with the saved file.`), {
    exitCode: ExitCode.found,
    savedPath: saved,
  });
}

function cancelledBeforeWrite(o: Output): number {
  o.err('cancelled: nothing was written');
  return CANCELLED;
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
    noOpDowngrades: p.render.noOpDowngrades,
    projectImports: p.render.projectImports.map((i) => ({ ...i, path: rel(i.path) })),
    optimizations: p.render.optimizations,
    renames: p.render.renames,
    droppedHelpers: p.render.droppedHelpers,
    hooksRun: p.render.hooksRun,
    hooksSkipped: p.render.hooksSkipped ?? null,
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

function printSquash(o: Output, root: string, p: PreparedSquash, stampText: string, database: Awaited<ReturnType<typeof databaseAdvice>> | undefined, dryRun: boolean, strategy: 'ops' | 'snapshot') {
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
  if (data.length && strategy === 'ops') {
    o.out();
    o.out(paint(o, 'yellow', `Data operations kept (${data.length}):`));
    for (const c of data) o.out(`  ${c.revision}: ${c.what ?? c.summary}`);
  }
  if (external.length && strategy === 'ops') {
    o.out(paint(o, 'yellow', `Calls into project code (${external.length}):`));
    for (const c of external) o.out(`  ${c.revision}: ${c.summary}`);
  }
  if (render.projectImports.length) {
    o.out(paint(o, 'yellow', `Imports of project code (${render.projectImports.length}), carried into the squash [imports-project-code]:`));
    for (const i of render.projectImports) o.out(`  ${i.revision}: ${i.module}  ${paint(o, 'gray', `${relativeTo(root, i.path)}:${i.line}`)}`);
  }
  if (render.partialDowngrade.length) {
    o.out(paint(o, 'yellow', `Partial downgrade: ${render.partialDowngrade.join(', ')} cannot be downgraded (${plan.options.partialDowngrade === 'raise' ? "the squash's downgrade() raises NotImplementedError" : 'marked with a comment'})`));
  }
  if (render.noOpDowngrades.length) o.out(paint(o, 'gray', `No-op downgrades carried as written (pass): ${render.noOpDowngrades.join(', ')}`));
  if (render.optimizations.length) {
    o.out(paint(o, 'cyan', `Optimized: removed ${render.optimizations.length} statement(s) from ${render.optimizations.some((x) => x.fn === 'downgrade') ? 'upgrade() and downgrade()' : 'upgrade()'} (--no-optimize keeps them):`));
    for (const x of render.optimizations) o.out(`  ${x.rule}  ${x.object}  ${paint(o, 'gray', `${x.revision}${x.fn ? ` (${x.fn})` : ''}: ${x.statement}`)}`);
  }
  for (const r of render.renames) o.out(paint(o, 'gray', `renamed ${r.what} ${r.from} → ${r.to} (from ${r.revision}) to avoid a clash`));
  if (render.hooksSkipped) o.out(paint(o, 'gray', `post_write_hooks not run (${render.hooksSkipped})`));
  else if (render.hooksRun.length) o.out(paint(o, 'gray', `post_write_hooks run: ${render.hooksRun.join(', ')}`));
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
