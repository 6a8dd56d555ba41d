import { parsePython } from './lezer';
import type { Problem } from '../common/problem';
import { docstringFieldRange, findDocstringNode, readDocstring, splitIds } from './docstring';
import { definedName, definitionOf, readMigrationFunction, readModuleStatement } from './functions';
import { HEADER_NAMES, readHeaderStatement, revisionIdError, valueIds } from './header';
import { importedNames, readImports } from './imports';
import { namesInTree, usesOf } from './names';
import { docstringMismatch, invalidRevisionId, syntaxError, unresolvedHeader } from './problems';
import { columnZeroStarts, hasErrorNode, recoverStatement, type Unit } from './recover';
import { firstError } from './tree';
import type { HeaderAssignment, HeaderName, MigrationFile, ModuleStatement, NameReference } from './types';

/** Adds `delta` to every `{ start, end }` range inside a plain value (results read from a slice). */
function shift<T>(value: T, delta: number, seen = new Set<object>()): T {
  if (delta === 0 || value === null || typeof value !== 'object' || seen.has(value)) return value;
  seen.add(value);
  if (Array.isArray(value)) {
    for (const v of value) shift(v, delta, seen);
    return value;
  }
  const obj = value as Record<string, unknown>;
  if (typeof obj.start === 'number' && typeof obj.end === 'number' && Object.keys(obj).length === 2) {
    obj.start += delta;
    obj.end += delta;
    return value;
  }
  for (const v of Object.values(obj)) shift(v, delta, seen);
  return value;
}

export function emptyMigration(): MigrationFile {
  return {
    isRevision: false,
    downRevisions: [],
    dependencies: [],
    branchLabels: [],
    header: {},
    message: '',
    imports: [],
    helpers: [],
    references: [],
    problems: [],
  };
}

interface Options {
  /** Only the header matters: skip name references and helper usage. */
  headerOnly: boolean;
}

/** Reads a migration file; may throw on a bug, so the public functions wrap it. */
export function analyze(text: string, options: Options = { headerOnly: false }): MigrationFile {
  const file = emptyMigration();
  const tree = parsePython(text);
  const top = tree.topNode;
  const problems: Problem[] = [];

  const firstErr = firstError(top);
  if (firstErr) problems.push(syntaxError(firstErr));

  // Units in text order; broken statements are split at column-0 lines and re-read.
  const units: Unit[] = [];
  const clean: Unit[] = [];
  for (let c = top.firstChild; c; c = c.nextSibling) {
    if (c.name === 'Comment') continue;
    const broken = hasErrorNode(c);
    const unit: Unit = { node: c, src: text, base: 0, root: top, broken, recovered: false };
    if (broken) {
      const recovered = recoverStatement(c, text);
      if (recovered.length) {
        units.push(...recovered);
        continue;
      }
    } else {
      clean.push(unit);
    }
    units.push(unit);
  }

  const docNode = findDocstringNode(clean.map((u) => u.node));
  const docstring = docNode ? readDocstring(docNode, text) : undefined;
  if (docstring) {
    file.docstring = docstring;
    file.message = docstring.message;
  }

  const header: Partial<Record<HeaderName, HeaderAssignment>> = {};
  const unreadable = new Set<HeaderAssignment>();
  const helperUnits: { helper: ModuleStatement; unit: Unit }[] = [];
  const acceptedUnits: Unit[] = [];
  for (const unit of units) {
    const { node, src, base } = unit;
    if (docNode && node.from === docNode.parent?.from && unit.src === text) continue;
    if (node.name === 'ImportStatement') {
      if (unit.recovered && unit.broken) continue;
      file.imports.push(...shift(readImports(node, src), base));
      acceptedUnits.push(unit);
      continue;
    }
    const read = readHeaderStatement(node, src);
    if (read) {
      shift(read, base);
      problems.push(...read.problems);
      for (const a of read.assignments) {
        header[a.name] = a;
        if (read.problems.length) unreadable.add(a);
      }
      acceptedUnits.push(unit);
      continue;
    }
    const def = definitionOf(node);
    if (def && def.name === 'FunctionDefinition') {
      const name = definedName(def, src);
      if (name === 'upgrade' || name === 'downgrade') {
        if (!options.headerOnly) file[name] = shift(readMigrationFunction(def, unit.root, src), base);
        acceptedUnits.push(unit);
        continue;
      }
    }
    // Slices re-read from a broken statement keep only what plainly starts a statement.
    // An unterminated string statement (a docstring) is not code to carry.
    if (unit.broken && node.name === 'ExpressionStatement' && node.firstChild?.name === 'String') continue;
    if (unit.recovered && !def && (unit.broken || node.name !== 'AssignStatement' || !node.getChild('AssignOp'))) continue;
    const helper = shift(readModuleStatement(node, src), base);
    file.helpers.push(helper);
    helperUnits.push({ helper, unit });
    acceptedUnits.push(unit);
  }

  file.header = header;
  const revision = header.revision;
  if (!revision) {
    // A syntax error that broke a column-0 `revision =` line (an unterminated string, or `revision` and
    // `= '…'` split over two lines) leaves a broken revision, not a plain module: keep the error, or the
    // file would silently leave the graph.
    if (firstErr && columnZeroStarts(text, 0, text.length).some((s) => startsAssignment(text, s, 'revision') || startsName(text, s, 'revision'))) file.problems = problems;
    return file;
  }
  file.isRevision = true;

  if (revision.value.kind === 'string') {
    file.revision = revision.value.value;
    const reason = revisionIdError(revision.value.value);
    if (reason) problems.push(invalidRevisionId(revision.value.value, reason, revision.valueRange));
  } else if (revision.value.kind !== 'unresolved') {
    const written = text.slice(revision.valueRange.start, revision.valueRange.end);
    problems.push(invalidRevisionId(written, 'a revision id must be a single string.', revision.valueRange));
  }
  file.downRevisions = valueIds(header.down_revision?.value);
  file.dependencies = valueIds(header.depends_on?.value);
  file.branchLabels = valueIds(header.branch_labels?.value);
  for (const name of HEADER_NAMES) {
    const a = header[name];
    if (a && a.value.kind === 'unresolved' && !unreadable.has(a)) {
      problems.push(unresolvedHeader(name, a.value.text, a.valueRange));
    }
  }

  if (docstring) {
    if (docstring.revisionId !== undefined && file.revision !== undefined && docstring.revisionId !== file.revision) {
      problems.push(docstringMismatch('Revision ID', docstring.revisionId, `revision = '${file.revision}'`, docstringFieldRange(docstring, text, 'revisionId')));
    }
    const down = header.down_revision;
    if (docstring.revises !== undefined && down && down.value.kind !== 'unresolved') {
      const written = splitIds(docstring.revises).sort();
      const actual = [...file.downRevisions].sort();
      if (written.join(',') !== actual.join(',')) {
        const said = actual.length ? `down_revision = ${actual.map((x) => `'${x}'`).join(', ')}` : 'down_revision = None';
        problems.push(docstringMismatch('Revises', docstring.revises, said, docstringFieldRange(docstring, text, 'revises')));
      }
    }
  }

  if (!options.headerOnly) {
    const refs: NameReference[] = [];
    for (const unit of acceptedUnits) {
      for (const occ of namesInTree(unit.node, unit.src, unit.node.from, unit.node.to)) {
        if (occ.role === 'load') refs.push(shift(occ.name, unit.base));
      }
    }
    refs.sort((a, b) => a.range.start - b.range.start);
    file.references = refs;
    const moduleNames = new Set<string>(['upgrade', 'downgrade']);
    for (const name of Object.keys(header)) moduleNames.add(name);
    for (const imp of file.imports) for (const n of importedNames(imp)) moduleNames.add(n);
    for (const h of file.helpers) for (const n of h.defines) moduleNames.add(n);
    for (const { helper } of helperUnits) helper.uses = usesOf(file, helper.range, moduleNames, helper.defines);
  }

  problems.sort((a, b) => a.range.start - b.range.start);
  file.problems = problems;
  return file;
}

/**
 * Where the header ends for the fast path: the first column-0 `def`, `class`, `async` or decorator line,
 * or undefined when a header assignment also appears after it (then only a full read is right).
 */
export function headerCut(text: string): number | undefined {
  const starts = columnZeroStarts(text, 0, text.length);
  let cut: number | undefined;
  for (const s of starts) {
    if (cut === undefined) {
      if (startsWord(text, s, 'def') || startsWord(text, s, 'class') || startsWord(text, s, 'async') || text[s] === '@') cut = s;
    } else if (HEADER_NAMES.some((n) => startsAssignment(text, s, n))) {
      return undefined;
    }
  }
  return cut;
}

/** `name` as a whole identifier at `at` (followed by anything but a name character). */
function startsName(text: string, at: number, name: string): boolean {
  return text.startsWith(name, at) && !/[\w]/.test(text[at + name.length] ?? '');
}

function startsWord(text: string, at: number, word: string): boolean {
  if (!text.startsWith(word, at)) return false;
  const next = text[at + word.length];
  return next === ' ' || next === '\t' || next === '(' || next === ':';
}

function startsAssignment(text: string, at: number, name: string): boolean {
  if (!text.startsWith(name, at)) return false;
  let i = at + name.length;
  while (text[i] === ' ' || text[i] === '\t') i++;
  return text[i] === '=' || text[i] === ':' || text[i] === ',';
}

export function analyzeHeader(text: string): MigrationFile {
  const cut = headerCut(text);
  if (cut === undefined) return analyze(text, { headerOnly: true });
  const head = text.slice(0, cut);
  const file = analyze(head, { headerOnly: true });
  // A header that looks cut (an open bracket or string running into the first def) needs the whole text.
  if (file.problems.some((p) => p.code === 'syntax-error')) return analyze(text, { headerOnly: true });
  return file;
}

