import * as fs from 'node:fs';
import * as path from 'node:path';
import { runAlembic, type AlembicSession } from '../../alembic';
import { DEFAULT_TEMPLATE, indentAfterFirst, validate, withHooks, type RenderSquashInput } from '../render';
import { formatFileName, messageForTemplate, pyRepr, pythonDateString, renderBuiltinTemplate, revAsScalar, templateIndent, type TemplateVariables } from '../template';
import { summarize } from '../docstring';
import type { ClassifiedStatement, RenderResult, SquashPlan } from '../types';
import { EXECUTE_HELPER, SIDECAR_HELPER, SIDECAR_NAME, type SnapshotBodies } from './assemble';
import { sidecarOf } from './sidecars';

export interface RenderSnapshotFileInput {
  plan: SquashPlan;
  bodies: SnapshotBodies;
  imports: string[];
  /** What the chain's code did (from the op-merge classification): listed as dropped by the snapshot. */
  classification: ClassifiedStatement[];
  project?: RenderSquashInput['project'];
  python?: string;
  hooks?: RenderSquashInput['hooks'];
  hooksSkippedBecause?: string;
  /** The chain's imports of project code (from the op-merge squash): the snapshot does not carry them. */
  projectImports?: RenderResult['projectImports'];
  /** A long-lived driver of `python` to render script.py.mako in (no interpreter start). */
  session?: AlembicSession;
}

/** Text placed in a triple-quoted docstring: backslashes and `"""` must not end or alter it. */
function escapeDocstring(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"""/g, '\\"\\"\\"');
}

const KIND_ORDER = ['extension', 'schema', 'enum', 'type', 'domain', 'function', 'sequence', 'table', 'foreign key', 'index', 'view', 'materialized view', 'trigger', 'policy', 'rule'];

function plural(kind: string, n: number): string {
  if (n === 1) return `1 ${kind}`;
  if (kind === 'index') return `${n} indexes`;
  if (kind === 'policy') return `${n} policies`;
  return `${n} ${kind}s`;
}

/** What the snapshot contains, by kind in creation order. */
export function countsLine(counts: Record<string, number>): string {
  const kinds = [...KIND_ORDER.filter((k) => counts[k]), ...Object.keys(counts).filter((k) => !KIND_ORDER.includes(k)).sort()];
  return kinds.map((k) => plural(k, counts[k]!)).join(', ');
}

/** The snapshot's `${message}`: what it replaced, what it contains, what of the chain's code it leaves out. */
export function snapshotDocstring(plan: SquashPlan, bodies: SnapshotBodies, classification: ClassifiedStatement[]): string {
  const lines = [plan.message.split('\n')[0]!, '', `Squashes ${plan.members.length} revisions:`];
  for (const m of plan.members) lines.push(`- ${m.revision}: ${m.message}`);
  lines.push('', `Snapshot of the schema the chain builds at ${plan.tip}: ${countsLine(bodies.counts) || 'no objects'}.`);
  if (bodies.seeded.length) {
    lines.push('Seed rows:');
    for (const s of bodies.seeded) lines.push(`- ${s.table}: ${s.rows} row(s)${s.leftToDefault.length ? ` (${s.leftToDefault.join(', ')} left to the default)` : ''}`);
  }
  const { data, external } = summarize(classification);
  if (data.length || external.length) {
    lines.push('', 'Not carried (they ran on the chain\'s tables, whose resulting rows are above):');
    for (const c of data) lines.push(`- ${c.revision}: ${c.what ?? c.summary}`);
    for (const c of external) lines.push(`- ${c.revision}: ${(c.externalNames ?? []).join(', ') || c.summary} (project code)`);
  }
  if (plan.idChanged) lines.push('', `Replaces tip ${plan.tip} under a new id; see the stamp plan for deployed databases.`);
  return escapeDocstring(lines.join('\n'));
}

/** The snapshot revision through the project's script.py.mako, file_template and post_write_hooks, as the op-merge one. */
export async function renderSnapshotFile(input: RenderSnapshotFileInput): Promise<RenderResult> {
  const { plan, bodies, project } = input;
  const warnings: string[] = [];
  const templatePath = project?.templatePath && fs.existsSync(project.templatePath) ? project.templatePath : undefined;
  const templateText = templatePath ? fs.readFileSync(templatePath, 'utf8') : DEFAULT_TEMPLATE;
  const createDate = plan.options.createDate ?? new Date();
  const fileName = formatFileName(project?.fileTemplate ?? '%(rev)s_%(slug)s', plan.newRevision, plan.message, createDate, project?.truncateSlugLength ?? 40, project?.timezone);
  const upgrade = bodies.upgrade.split(SIDECAR_NAME).join(pyRepr(path.basename(sidecarOf(fileName))));
  const helpers = bodies.sidecar ? [EXECUTE_HELPER, '', '', SIDECAR_HELPER] : [EXECUTE_HELPER];
  const imports = [...(bodies.sidecar ? ['import os', ''] : []), ...input.imports, '', '', ...helpers].join('\n');
  const variables: TemplateVariables = {
    up_revision: plan.newRevision,
    down_revision: revAsScalar(plan.downRevisions),
    branch_labels: plan.branchLabels.length ? plan.branchLabels : null,
    depends_on: revAsScalar(plan.dependencies),
    message: messageForTemplate(templateText, snapshotDocstring(plan, bodies, input.classification)),
    create_date: pythonDateString(createDate, project?.timezone),
    upgrades: indentAfterFirst(upgrade, templateIndent(templateText, 'upgrades')),
    downgrades: indentAfterFirst(bodies.downgrade, templateIndent(templateText, 'downgrades')),
    imports: `${imports}\n`,
  };
  let renderedWith: RenderResult['renderedWith'] = 'builtin';
  let builtinReason: string | undefined = !templatePath ? 'the project has no script.py.mako' : !input.python ? 'no Python interpreter was given to render script.py.mako with Mako' : undefined;
  let text: string | undefined;
  if (templatePath && input.python && project) {
    try {
      const rendered = await runAlembic(
        { python: input.python, session: input.session, project: { configPath: project.configPath ?? templatePath, section: project.section } },
        { command: 'render-template', template: templatePath, variables: variables as unknown as Record<string, unknown> },
      );
      text = rendered.text;
      renderedWith = 'project-template';
    } catch (err) {
      builtinReason = `rendering script.py.mako failed: ${err instanceof Error ? err.message : String(err)}`;
    }
  }
  text ??= renderBuiltinTemplate(variables);
  if (builtinReason) warnings.push(`Rendered with the built-in template: ${builtinReason}`);
  const hooksRun: string[] = [];
  const hookProblems: string[] = [];
  const hooks = project?.postWriteHooks ?? [];
  const hooksSkipped = hooks.length && input.hooks === false ? (input.hooksSkippedBecause ?? 'turned off') : undefined;
  if (hooks.length && !hooksSkipped && input.python) {
    const hooked = await withHooks(text, fileName, input.python, hooks, project?.here ?? process.cwd(), warnings);
    text = hooked.text;
    hooksRun.push(...hooked.ran);
    hookProblems.push(...hooked.problems);
  }
  await validate(text, fileName, input.python, warnings, input.session);
  return { text, fileName, renderedWith, ...(builtinReason ? { builtinReason } : {}), classification: input.classification, partialDowngrade: [], renames: [], droppedHelpers: [], noOpDowngrades: [], optimizations: [], projectImports: input.projectImports ?? [], hooksRun, hookProblems, ...(hooksSkipped ? { hooksSkipped } : {}), warnings };
}
