import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runAlembic, type AlembicSession } from '../alembic';
import { parseMigration } from '../parse';
import type { ProjectConfig } from '../project/types';
import { docstringAsComment, lacksDowngrade, returnsEarly, wrapInFunction, type MissingDowngrade } from './body';
import { carryCode, importBindings, type MemberCode } from './carry';
import { classifyBody, prepareClassifier } from './classify';
import { RenderFailedError } from './errors';
import { renderDocstring } from './docstring';
import type { SourceFile } from './plan';
import { optimizeDowngrade, optimizeUpgrade, type Optimization } from './optimize';
import { isProjectModule, projectCodeImports, projectRoots } from './projectCode';
import { compileCheck, runPostWriteHooks } from './python';
import { inAlembicOrder } from './order';
import {
  formatFileName,
  messageForTemplate,
  pythonDateString,
  renderBuiltinTemplate,
  revAsScalar,
  templateIndent,
  type TemplateVariables,
} from './template';
import type { ClassifiedStatement, RenderResult, SquashPlan } from './types';
import { indent } from '../parse';

export interface RenderSquashInput {
  plan: SquashPlan;
  files: ReadonlyMap<string, SourceFile>;
  project?: Pick<ProjectConfig, 'fileTemplate' | 'truncateSlugLength' | 'templatePath' | 'postWriteHooks' | 'configPath' | 'section' | 'here' | 'timezone'> &
    Partial<Pick<ProjectConfig, 'prependSysPath'>>;
  /** The project's interpreter; without it the built-in template is used and nothing is compiled. */
  python?: string;
  /** false: do not run the project's post_write_hooks (a dry run, `--no-hooks`). */
  hooks?: boolean;
  /** Why the hooks were not run, for the result (e.g. "--dry-run"). */
  hooksSkippedBecause?: string;
  /** A long-lived driver of `python` to render script.py.mako in (no interpreter start). */
  session?: AlembicSession;
  /**
   * false: the text is never written (the snapshot strategy reads only its classification and size),
   * so it is neither parsed back nor compiled. Default true.
   */
  check?: boolean;
}

/** What matters of Alembic's default template when a project has none: where the bodies go and how deep. */
export const DEFAULT_TEMPLATE = '    ${upgrades if upgrades else "pass"}\n    ${downgrades if downgrades else "pass"}';

function header(revision: string, message: string): string {
  return `# --- ${revision}: ${message.replace(/\s+/g, ' ').trim()} ---`;
}

/** Renders the op-merge squash: one file, as `alembic revision` would have written it. */
export async function renderSquash(input: RenderSquashInput): Promise<RenderResult> {
  const { files, project } = input;
  await prepareClassifier();
  const warnings: string[] = [];
  const ordered = await inAlembicOrder(input.plan, project, input.python, input.session);
  const plan = ordered.plan;
  if (ordered.warning) warnings.push(ordered.warning);
  const members: MemberCode[] = plan.members.map((m) => {
    const source = files.get(m.path)!;
    return { revision: m.revision, text: source.text, file: source.file };
  });

  const templatePath = project?.templatePath && fs.existsSync(project.templatePath) ? project.templatePath : undefined;
  const templateText = templatePath ? fs.readFileSync(templatePath, 'utf8') : DEFAULT_TEMPLATE + '\nfrom alembic import op\nimport sqlalchemy as sa';
  const templateBindings = templateImports(templateText);

  const roots = project ? projectRoots({ here: project.here, prependSysPath: project.prependSysPath ?? [] }) : [];
  const carried = carryCode(members, templateBindings, (module, level) => isProjectModule(module, level, roots));
  warnings.push(...carried.warnings);

  const projectImports: RenderResult['projectImports'] = [];
  for (const m of plan.members) {
    const { text: source, file } = files.get(m.path)!;
    const fns = [file.upgrade, file.downgrade].filter((f) => f !== undefined).map((f) => f.range);
    for (const imp of projectCodeImports(source, roots, fns)) projectImports.push({ revision: m.revision, path: m.path, module: imp.module, line: imp.line });
  }
  if (projectImports.length) {
    const modules = [...new Set(projectImports.map((i) => i.module))];
    warnings.push(
      `${new Set(projectImports.map((i) => i.revision)).size} revision(s) import project code (${modules.slice(0, 5).join(', ')}${modules.length > 5 ? ', …' : ''}): ` +
        `the squash runs that code as it is now, not as it was when they were written${plan.downRevisions.length === 0 ? '; for a range from base, the snapshot strategy does not depend on it' : ''}`,
    );
  }

  const block = (revision: string, message: string, body: string | undefined, fn: string, note?: string): string => {
    let text = docstringAsComment((body ?? 'pass').replace(/\s+$/, ''));
    if (returnsEarly(text)) {
      text = wrapInFunction(text, `_${fn}_${revision}`);
      warnings.push(`${revision}: ${fn}() returns early; its body is wrapped in a local function so the other blocks still run`);
    }
    return `${header(revision, message)}\n${note ? `# ${note}\n` : ''}${text}`;
  };

  let optimizations: Optimization[] = [];
  if (plan.options.optimize !== false) {
    const optimized = optimizeUpgrade(plan.members.map((m) => ({ revision: m.revision, body: carried.bodies.get(m.revision)?.upgrade ?? '' })));
    optimizations = optimized.removed;
    for (const m of plan.members) {
      const bodies = carried.bodies.get(m.revision);
      if (bodies?.upgrade !== undefined) bodies.upgrade = optimized.bodies.get(m.revision);
    }
  }
  const upgradeBlocks = plan.members.map((m) => block(m.revision, m.message, carried.bodies.get(m.revision)?.upgrade, 'upgrade'));
  const missing = new Map<string, MissingDowngrade>();
  const noOp: string[] = [];
  for (const m of plan.members) {
    const file = files.get(m.path)!.file;
    const why = lacksDowngrade(file.downgrade);
    if (why) missing.set(m.revision, why);
    else if (file.downgrade?.isEmpty && file.upgrade && !file.upgrade.isEmpty) noOp.push(m.revision);
  }
  const partial = [...missing.keys()];
  const reason = partialReason(missing);
  if (plan.options.optimize !== false && !partial.length) {
    const down = [...plan.members].reverse().map((m) => ({ revision: m.revision, body: carried.bodies.get(m.revision)?.downgrade ?? '' }));
    const up = plan.members.map((m) => ({ revision: m.revision, body: carried.bodies.get(m.revision)?.upgrade ?? '' }));
    const optimized = optimizeDowngrade(down, up);
    optimizations = [...optimizations, ...optimized.removed];
    for (const m of plan.members) {
      const bodies = carried.bodies.get(m.revision);
      if (bodies?.downgrade !== undefined && optimized.removed.some((o) => o.revision === m.revision)) bodies.downgrade = optimized.bodies.get(m.revision);
    }
  }
  let downgradeBlocks: string[];
  const reversed = [...plan.members].reverse();
  if (partial.length && plan.options.partialDowngrade === 'raise') {
    downgradeBlocks = [
      `# Not every replaced revision can be downgraded: ${reason}.\n` +
      `raise NotImplementedError(\n    ${JSON.stringify(`Downgrade not available: ${reason}`)}\n)`,
    ];
  } else {
    const blocks = reversed.map((m) =>
      missing.has(m.revision)
        ? `${header(m.revision, m.message)}\n# !!! ${m.revision} ${missing.get(m.revision) === 'raises' ? 'raises NotImplementedError in its downgrade()' : 'has no downgrade()'}: NOTHING of it is undone here.`
        : block(m.revision, m.message, carried.bodies.get(m.revision)?.downgrade, 'downgrade', noOp.includes(m.revision) ? `downgrade() of ${m.revision} is a no-op, as written by its author.` : undefined),
    );
    const banner = partial.length ? `# !!! PARTIAL DOWNGRADE: ${reason}; what they did stays in the database.\n` : '';
    downgradeBlocks = blocks.length ? [banner + blocks[0], ...blocks.slice(1)] : [banner];
  }
  if (partial.length) warnings.push(`Downgrade is partial: ${reason} (${plan.options.partialDowngrade})`);

  const classification: ClassifiedStatement[] = [];
  for (const m of plan.members) {
    const scope = carried.scopes.get(m.revision)!;
    const bodies = carried.bodies.get(m.revision)!;
    if (bodies.upgrade) classification.push(...classifyBody(bodies.upgrade, m.revision, 'upgrade', scope));
    if (bodies.downgrade && !partial.includes(m.revision)) classification.push(...classifyBody(bodies.downgrade, m.revision, 'downgrade', scope));
  }

  const createDate = plan.options.createDate ?? new Date();
  const message = renderDocstring(plan, classification, reason, projectImports, optimizations);
  const upIndent = templateIndent(templateText, 'upgrades');
  const downIndent = templateIndent(templateText, 'downgrades');
  const importsText = [carried.importLines.join('\n'), ...carried.helpers].filter(Boolean).join('\n\n\n');
  const variables: TemplateVariables = {
    up_revision: plan.newRevision,
    down_revision: revAsScalar(plan.downRevisions),
    branch_labels: plan.branchLabels.length ? plan.branchLabels : null,
    depends_on: revAsScalar(plan.dependencies),
    message: messageForTemplate(templateText, message),
    create_date: pythonDateString(createDate, project?.timezone),
    upgrades: indentBlocksAfterFirst(upgradeBlocks, upIndent),
    downgrades: indentBlocksAfterFirst(downgradeBlocks, downIndent),
    imports: importsText ? `${importsText}\n` : '',
  };

  let hooksSkipped: string | undefined;
  let renderedWith: RenderResult['renderedWith'] = 'builtin';
  let builtinReason: string | undefined;
  let text: string;
  if (!templatePath) builtinReason = 'the project has no script.py.mako';
  else if (!input.python) builtinReason = 'no Python interpreter was given to render script.py.mako with Mako';
  if (templatePath && input.python && project) {
    try {
      const configPath = project.configPath;
      const rendered = await runAlembic(
        { python: input.python, session: input.session, project: { configPath: configPath ?? templatePath, section: project.section } },
        { command: 'render-template', template: templatePath, variables: variables as unknown as Record<string, unknown> },
      );
      text = rendered.text;
      renderedWith = 'project-template';
    } catch (err) {
      builtinReason = `rendering script.py.mako failed: ${err instanceof Error ? err.message : String(err)}`;
      text = renderBuiltinTemplate(variables);
    }
  } else text = renderBuiltinTemplate(variables);
  if (builtinReason) warnings.push(`Rendered with the built-in template: ${builtinReason}`);

  text = placeFutureImports(text, carried.futureLines);
  const fileName = formatFileName(project?.fileTemplate ?? '%(rev)s_%(slug)s', plan.newRevision, plan.message, createDate, project?.truncateSlugLength ?? 40, project?.timezone);

  const hooksRun: string[] = [];
  const hookProblems: string[] = [];
  const hooks = project?.postWriteHooks ?? [];
  if (hooks.length && input.hooks === false) {
    hooksSkipped = input.hooksSkippedBecause ?? 'turned off';
  } else if (hooks.length && input.python) {
    const hooked = await withHooks(text, fileName, input.python, hooks, project?.here ?? process.cwd(), warnings);
    text = hooked.text;
    hooksRun.push(...hooked.ran);
    hookProblems.push(...hooked.problems);
  }

  if (input.check !== false) await validate(text, fileName, input.python, warnings, input.session);
  return {
    text,
    fileName,
    renderedWith,
    ...(builtinReason ? { builtinReason } : {}),
    classification,
    partialDowngrade: partial,
    noOpDowngrades: noOp,
    projectImports,
    optimizations,
    renames: carried.renames,
    droppedHelpers: carried.dropped,
    hooksRun,
    hookProblems,
    ...(hooksSkipped ? { hooksSkipped } : {}),
    warnings,
  };
}

/** "a, b have no downgrade(); c raises NotImplementedError in its downgrade()" — what the original revisions did. */
function partialReason(missing: Map<string, MissingDowngrade>): string {
  const ids = (why: MissingDowngrade) => [...missing].filter(([, w]) => w === why).map(([id]) => id);
  const parts: string[] = [];
  const none = ids('missing');
  const raises = ids('raises');
  if (none.length) parts.push(`${none.join(', ')} ${none.length === 1 ? 'has' : 'have'} no downgrade()`);
  if (raises.length) parts.push(`${raises.join(', ')} ${raises.length === 1 ? 'raises' : 'raise'} NotImplementedError in ${raises.length === 1 ? 'its' : 'their'} downgrade()`);
  return parts.join('; ');
}

/**
 * Names the template's own import lines bind (column-0 `import`/`from` lines without Mako
 * expressions), so carried imports do not repeat them.
 */
function templateImports(template: string): Map<string, string> {
  const lines = template.split('\n').filter((l) => (l.startsWith('import ') || l.startsWith('from ')) && !l.includes('${') && !l.includes('%'));
  const out = new Map<string, string>();
  for (const imp of parseMigration(lines.join('\n')).imports) for (const b of importBindings(imp)) out.set(b.local, b.identity);
  return out;
}

/** The template puts `${upgrades}` after its own indentation: only the following lines need it. */
export function indentAfterFirst(text: string, prefix: string): string {
  return indentBlocksAfterFirst([text], prefix);
}

/**
 * indentAfterFirst of blocks joined by blank lines, one block at a time: no string spans two blocks,
 * and a block's text was often parsed already (the parser keeps recent trees) where the whole was not.
 */
function indentBlocksAfterFirst(blocks: string[], prefix: string): string {
  const indented = blocks.map((b) => indent(b, prefix)).join('\n\n');
  return indented.slice(blocks.join('\n\n').startsWith('\n') ? 0 : prefix.length);
}

/** `from __future__` imports must be the first statement after the docstring. */
function placeFutureImports(text: string, lines: string[]): string {
  if (!lines.length) return text;
  const doc = parseMigration(text).docstring;
  const at = doc ? doc.range.end : 0;
  const insert = (doc ? '\n' : '') + lines.join('\n') + (doc ? '' : '\n');
  return text.slice(0, at) + insert + text.slice(at);
}

/**
 * The project's post_write_hooks on a temporary copy. A hook that cannot run or fails leaves the text
 * as it was before it (a warning says which and why); a formatted text that no longer parses is not
 * used either. Returns the names of the hooks that formatted the file.
 */
export async function withHooks(
  text: string,
  fileName: string,
  python: string,
  hooks: NonNullable<RenderSquashInput['project']>['postWriteHooks'],
  cwd: string,
  warnings: string[],
): Promise<{ text: string; ran: string[]; problems: string[] }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alembic-squash-hook-'));
  const file = path.join(dir, fileName);
  // Each problem is also a warning: the CLI prints warnings, VS Code shows hook problems on their own.
  const problems: string[] = [];
  const problem = (text: string) => {
    problems.push(text);
    warnings.push(text);
  };
  try {
    fs.writeFileSync(file, text);
    let result: Awaited<ReturnType<typeof runPostWriteHooks>>;
    try {
      result = await runPostWriteHooks(python, file, hooks, cwd);
    } catch (err) {
      problem(`post_write_hooks not run (${err instanceof Error ? err.message : String(err)}); the file is written unformatted`);
      return { text, ran: [], problems };
    }
    for (const o of result.outcomes) {
      if (o.error) problem(`post_write_hook "${o.name}" could not run: ${o.error.split('\n').slice(-3).join(' | ')}; the file is written without it`);
    }
    if (result.stderr) problem(`post_write_hooks printed (check the file): ${result.stderr.split('\n').slice(-6).join(' | ')}`);
    const formatted = fs.readFileSync(file, 'utf8');
    const ran = result.outcomes.filter((o) => !o.error).map((o) => o.name);
    if (formatted !== text && parseMigration(formatted).problems.some((p) => p.code === 'syntax-error')) {
      problem(`post_write_hooks (${ran.join(', ')}) left a file that does not parse; the file is written unformatted`);
      return { text, ran: [], problems };
    }
    return { text: formatted, ran, problems };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function validate(text: string, fileName: string, python: string | undefined, warnings: string[], session?: AlembicSession): Promise<void> {
  const parsed = parseMigration(text);
  const syntax = parsed.problems.filter((p) => p.code === 'syntax-error');
  if (syntax.length) {
    const at = syntax[0].range.start;
    const line = text.slice(0, at).split('\n').length;
    // Python has the last word: @lezer/python reports false errors in very long bodies (its LR stack
    // is cut after ~440 blank-line-separated statements), and where the error is real, Python names
    // the line an unclosed bracket opened on rather than where the parser noticed it.
    const compiled = python ? await compileCheck(python, text, fileName, session) : undefined;
    if (compiled?.ok === true) {
      warnings.push(`The built-in parser could not read the squashed file past line ${line}; Python compiles it`);
      return;
    }
    if (compiled?.ok === false && compiled.line) throw new RenderFailedError('parse', compiled.error.split('\n').pop()!, text, compiled.line);
    throw new RenderFailedError('parse', `syntax error at line ${line}`, text, line);
  }
  if (!python) {
    warnings.push('Not compiled with Python (no interpreter given); checked with the parser only');
    return;
  }
  const compiled = await compileCheck(python, text, fileName, session);
  if (compiled.ok === false) throw new RenderFailedError('compile', compiled.error, text, compiled.line);
  if (compiled.ok === 'unavailable') warnings.push(`Not compiled with Python (${compiled.reason}); checked with the parser only`);
}
