import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ProjectConfig } from '../../core/project';
import { ScriptDirectory } from '../../core/scripts';
import { prepareSquash } from '../../core/squash';
import {
  detectSquashedRange,
  VerifyCancelledError,
  verifySquash,
  versionLocationsAtRef,
  type VerifyCandidate,
  type VerifyEvent,
  type VerifyResult,
} from '../../core/verify';
import type { ObjectDifference, TableDataDifference } from '../../core/schema';
import { ExitCode, UsageError } from '../errors';
import { paint, type Output } from '../output';
import { singleProject } from '../projects';
import { cancelOnInterrupt, providerFrom, seconds, withDockerImage } from '../providerArgs';
import { findPython } from '../../core/alembic';

export interface VerifyArgs {
  path: string;
  from?: string;
  to?: string;
  againstRef?: string;
  candidate?: string;
  revisionId?: string;
  seedTables: string[];
  json: boolean;
  values: Record<string, unknown>;
}

/** `alembic-squash verify`: exit 0 when the squash gives the same database, 1 when it does not. */
export async function verifyCommand(args: VerifyArgs, o: Output): Promise<number> {
  const modes = [args.from || args.to ? 'range' : '', args.againstRef ? 'ref' : '', args.candidate ? 'candidate' : ''].filter(Boolean);
  if (modes.length !== 1) throw new UsageError('verify needs exactly one of: --from REV --to REV, --against-ref GITREF, --candidate DIR');
  if (modes[0] === 'range' && !(args.from && args.to)) throw new UsageError('--from and --to go together');
  // Ctrl-C from the first moment: before anything starts it only marks the run as cancelled.
  const interrupt = cancelOnInterrupt();
  try {
    const code = await verifyInterruptible(args, o, interrupt.signal);
    // A Ctrl-C while the result was printed or the copies removed still ends as a cancel (130), never as 0.
    if (interrupt.signal.aborted) throw new VerifyCancelledError();
    return code;
  } catch (error) {
    // Whatever failed after a Ctrl-C (a driver killed by the same signal, a half-read project) failed because of it.
    if (interrupt.signal.aborted && !(error instanceof UsageError)) throw new VerifyCancelledError();
    throw error;
  } finally {
    interrupt.dispose();
  }
}

async function verifyInterruptible(args: VerifyArgs, o: Output, signal: AbortSignal): Promise<number> {
  const modelsArg = args.values.models as string | undefined;
  if (modelsArg !== undefined && modelsArg !== 'on' && modelsArg !== 'strict') throw new UsageError('--models takes no value, or =strict');
  const models = modelsArg === 'strict' ? 'strict' : modelsArg === 'on' ? true : undefined;
  const { project } = await singleProject(args.path);
  const provider = withDockerImage(providerFrom(args.values), project, (l) => o.err(paint(o, 'yellow', `warning: ${l}`)));
  const python = findPython({ python: args.values.python as string | undefined, projectDir: project.here });
  const disposers: (() => Promise<unknown>)[] = [];
  try {
    const setup = await setUp(args, project, python, disposers);
    if (signal.aborted) throw new VerifyCancelledError();
    const onEvent = (e: VerifyEvent) => {
      if (args.json) return;
      if (e.status === 'begin') o.progress(`${e.message ?? e.phase}…`);
      else if (e.status === 'end') {
        o.done();
        const mark = e.failed ? paint(o, 'red', '✗') : paint(o, 'green', '✓');
        o.err(`${mark} ${(e.message ?? e.phase).padEnd(64)} ${paint(o, 'gray', seconds(e.ms))}`);
      }
    };
    if (!args.json) o.err(paint(o, 'bold', `Verifying ${setup.title}`));
    const result = await verifySquash({
      project,
      python,
      provider,
      candidate: setup.candidate,
      chainVersionLocations: setup.chainVersionLocations,
      to: setup.to,
      downgradeTo: setup.downgradeTo,
      seedTables: args.seedTables,
      models,
      urlEnvVars: args.values['url-env'] as string[] | undefined,
      signal,
      onEvent,
      log: process.env.ALEMBIC_SQUASH_VERBOSE ? (l) => o.err(paint(o, 'gray', l)) : undefined,
    });
    // A Ctrl-C during the final cleanup: the run was cancelled, whatever it found.
    if (signal.aborted) throw new VerifyCancelledError();
    if (args.json) o.json(verifyJson(result, setup));
    else printResult(o, result, setup);
    return result.equal ? ExitCode.ok : ExitCode.found;
  } finally {
    for (const d of disposers.reverse()) await d().catch(() => undefined);
  }
}

interface Setup {
  title: string;
  candidate: VerifyCandidate;
  chainVersionLocations?: string[];
  to: string;
  downgradeTo?: string;
  downgradeSkipped?: string;
  members: string[];
}

async function setUp(args: VerifyArgs, project: ProjectConfig, python: string, disposers: (() => Promise<unknown>)[]): Promise<Setup> {
  if (args.from && args.to) {
    const prepared = await prepareSquash({ project, from: args.from, to: args.to, python, options: { revisionId: args.revisionId ?? 'tip' } });
    const parents = prepared.plan.downRevisions;
    const downgradeTo = parents.length === 0 ? 'base' : parents.length === 1 ? parents[0] : undefined;
    return {
      title: `the squash of ${prepared.plan.members.length} revisions (${args.from}..${args.to}) against the chain`,
      candidate: { kind: 'edits', edits: prepared.edits },
      to: 'heads',
      downgradeTo,
      downgradeSkipped: downgradeTo ? undefined : `the range has several parents (${parents.join(', ')})`,
      members: prepared.plan.members.map((m) => m.revision),
    };
  }
  let chainLocations = project.versionLocations;
  let candidateLocations = project.versionLocations;
  let title: string;
  if (args.againstRef) {
    const ref = await versionLocationsAtRef(project.versionLocations, args.againstRef);
    disposers.push(() => ref.dispose());
    chainLocations = ref.versionLocations;
    title = `the working tree's history against ${args.againstRef}`;
  } else {
    const dir = path.resolve(args.candidate!);
    if (!fs.existsSync(dir)) throw new UsageError(`--candidate ${args.candidate}: no such folder`);
    candidateLocations = [dir];
    title = `the history in ${args.candidate} against the project's`;
  }
  const [chain, candidate] = await Promise.all([
    ScriptDirectory.load({ ...project, versionLocations: chainLocations }),
    ScriptDirectory.load({ ...project, versionLocations: candidateLocations, recursiveVersionLocations: project.recursiveVersionLocations || !!args.candidate }),
  ]);
  const detected = detectSquashedRange(chain.map, candidate.map);
  return {
    title,
    candidate: { kind: 'versionLocations', versionLocations: candidateLocations },
    chainVersionLocations: chainLocations === project.versionLocations ? undefined : chainLocations,
    to: 'heads',
    downgradeTo: detected.downgradeTo,
    downgradeSkipped: detected.reason,
    members: detected.members,
  };
}

function verifyJson(r: VerifyResult, setup: Setup) {
  return {
    equal: r.equal,
    summary: summaries(r),
    schema: r.schema,
    data: r.data,
    downgrade: r.downgrade
      ? { target: r.downgrade.target, equal: r.downgrade.schema.equal && r.downgrade.data.equal, differences: r.downgrade.schema.differences, data: r.downgrade.data.differences }
      : { skipped: downgradeSkipped(r, setup.downgradeSkipped) },
    information: r.information,
    models: r.models ?? null,
    members: setup.members,
    unifiedDiff: r.unifiedDiff,
    timings: r.timings,
    totalMs: r.totalMs,
    provider: r.provider,
  };
}

/** Every difference in one line, in the order they are printed. */
function summaries(r: VerifyResult): string[] {
  const down = r.downgrade;
  return [
    ...r.schema.differences.map((d) => d.summary),
    ...r.data.differences.map((d) => d.summary),
    ...r.data.sequences.map((d) => d.summary),
    ...(r.models?.strict ? (r.models.error ? [`models: not compared: ${r.models.error}`] : !r.models.available ? ['models: env.py sets no target_metadata'] : r.models.differences.map((d) => `models: ${d}`)) : []),
    ...(down ? [...down.schema.differences.map((d) => `after downgrade to ${down.target}: ${d.summary}`), ...down.data.differences.map((d) => `after downgrade to ${down.target}: ${d.summary}`)] : []),
  ];
}

function printResult(o: Output, r: VerifyResult, setup: Setup) {
  o.out();
  o.out(paint(o, 'gray', `on ${r.provider.description} — ${r.provider.reason}`));
  if (r.provider.versionNote) o.out(paint(o, 'yellow', r.provider.versionNote));
  printInformation(o, r);
  printModels(o, r);
  if (r.equal) {
    o.out(paint(o, 'green', `✓ equal: same schema (${countObjects(r)} objects), same seed data` + (r.downgrade ? `, and the downgrade to ${r.downgrade.target} gives the chain's schema there` : '')));
    if (!r.downgrade) o.out(paint(o, 'yellow', `downgrade not checked: ${downgradeSkipped(r, setup.downgradeSkipped)}`));
    o.out(paint(o, 'gray', `total ${seconds(r.totalMs)}`));
    return;
  }
  const lines = summaries(r);
  o.out();
  o.out(paint(o, 'bold', `${lines.length} difference(s):`));
  for (const line of lines) o.out(`  ${paint(o, 'red', '✗')} ${line}`);
  printDifferences(o, 'Schema at the tip (chain ↔ squash)', r.schema.differences);
  printData(o, r.data.differences);
  if (r.downgrade && !r.downgrade.schema.equal) {
    printDifferences(o, `After downgrading to ${r.downgrade.target} (the chain's downgrade ↔ the squash's)`, r.downgrade.schema.differences);
  }
  if (r.downgrade && !r.downgrade.data.equal) printData(o, r.downgrade.data.differences, `Seed data after downgrading to ${r.downgrade.target}`);
  o.out();
  o.out(paint(o, 'red', `✗ different: ${lines.length} difference(s)`) + paint(o, 'gray', `  (total ${seconds(r.totalMs)})`));
}

/** Why there is no downgrade comparison: skipped by the caller, or both downgrades raised. */
function downgradeSkipped(r: VerifyResult, skipped: string | undefined): string {
  if (skipped) return skipped;
  return r.information.some((n) => n.kind === 'revision') ? "both the chain's and the squash's downgrade raise (see above)" : 'not requested';
}

/** Facts about the history (lossy downgrades, columns left out), never differences. */
function printInformation(o: Output, r: VerifyResult) {
  const leftOut = r.information.filter((n) => n.where === 'tip');
  const lossy = r.information.filter((n) => n.where === 'downgrade' && n.kind !== 'revision');
  const raised = r.information.filter((n) => n.where === 'downgrade' && n.kind === 'revision');
  if (leftOut.length) {
    o.out();
    o.out(paint(o, 'bold', 'Not compared (their default gives another value on every run):'));
    for (const n of leftOut) o.out(`  ${paint(o, 'gray', 'ℹ')} ${n.name}: ${n.detail}`);
  }
  if (lossy.length) {
    o.out();
    o.out(paint(o, 'bold', `Your history's downgrade to ${r.downgrade?.target} is lossy here (not caused by the squash):`));
    for (const n of lossy) o.out(`  ${paint(o, 'gray', 'ℹ')} ${n.detail}`);
  }
  for (const n of raised) {
    o.out();
    o.out(paint(o, 'bold', `${n.message[0]!.toUpperCase()}${n.message.slice(1)}:`));
    o.out(`  ${paint(o, 'gray', 'ℹ')} ${n.name}: ${n.detail}`);
  }
}

/** The models against the squashed database: information unless --models=strict. */
function printModels(o: Output, r: VerifyResult) {
  const m = r.models;
  if (!m) return;
  o.out();
  if (m.error) o.out(paint(o, 'yellow', `models not compared: ${m.error}`));
  else if (!m.available) o.out(paint(o, 'yellow', "models not compared: the project's env.py sets no target_metadata"));
  else if (!m.differences.length) o.out(paint(o, 'green', '✓ the models agree with the squashed database (autogenerate would generate nothing)'));
  else {
    o.out(paint(o, 'bold', `The models and the squashed database disagree (autogenerate would generate ${m.differences.length} change(s))${m.strict ? '' : ' — information; --models=strict makes it count'}:`));
    for (const d of m.differences) o.out(`  ${paint(o, m.strict ? 'red' : 'gray', m.strict ? '✗' : 'ℹ')} ${d}`);
  }
}

function countObjects(r: VerifyResult): number {
  return r.texts.chain.split('\n').filter((l) => l.startsWith('-- ') && !l.startsWith('-- ====')).length;
}

/** `sides` names the two schemas (chain/squash for a verify, the two revisions for `diff`). */
export function printDifferences(o: Output, title: string, differences: ObjectDifference[], sides = { left: 'chain', right: 'squash' }) {
  if (!differences.length) return;
  o.out();
  o.out(paint(o, 'bold', `${title}: ${differences.length} difference(s)`));
  const onlyLeft = `- only in ${sides.left}`;
  const onlyRight = `+ only in ${sides.right}`;
  const width = Math.max(onlyLeft.length, onlyRight.length);
  let kind: string | undefined;
  for (const d of differences) {
    if (d.kind !== kind) {
      kind = d.kind;
      o.out(`  ${paint(o, 'gray', `— ${kind} —`)}`);
    }
    const mark =
      d.change === 'added' ? paint(o, 'green', onlyRight.padEnd(width)) : d.change === 'removed' ? paint(o, 'red', onlyLeft.padEnd(width)) : paint(o, 'yellow', '~ changed'.padEnd(width));
    o.out(`  ${mark}  ${d.kind} ${paint(o, 'bold', d.name)}${d.detail ? `: ${d.detail}` : ''}`);
    if (d.change === 'changed') {
      const labelWidth = Math.max(sides.left.length, sides.right.length) + 2;
      if (d.left) o.out(indent(paint(o, 'red', `${sides.left}:`.padEnd(labelWidth)) + d.left));
      if (d.right) o.out(indent(paint(o, 'green', `${sides.right}:`.padEnd(labelWidth)) + d.right));
    } else {
      const text = d.left ?? d.right;
      if (text) o.out(indent(text));
    }
  }
}

function printData(o: Output, differences: TableDataDifference[], title = 'Seed data') {
  if (!differences.length) return;
  o.out();
  o.out(paint(o, 'bold', `${title}: ${differences.length} table(s) differ`));
  for (const d of differences) {
    o.out(`  ${paint(o, 'yellow', '~')} ${paint(o, 'bold', d.table)}: ${d.detail} (chain ${d.leftCount} rows, squash ${d.rightCount})`);
    for (const row of d.missing.examples) o.out(indent(paint(o, 'red', 'missing in squash: ') + JSON.stringify(row)));
    for (const row of d.extra.examples) o.out(indent(paint(o, 'green', 'extra in squash:   ') + JSON.stringify(row)));
    for (const c of d.changed) {
      o.out(indent(paint(o, 'red', 'chain:  ') + JSON.stringify(c.left)));
      o.out(indent(paint(o, 'green', 'squash: ') + JSON.stringify(c.right)));
    }
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `      ${l}`)
    .join('\n');
}

