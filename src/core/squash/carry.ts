import { namesIn, parseMigration, type ImportStatement, type MigrationFile, type ModuleStatement } from '../parse';
import type { FileScope } from './classify';
import type { RenameRecord } from './types';

/** One member's code as the renderer needs it. */
export interface MemberCode {
  revision: string;
  text: string;
  file: MigrationFile;
}

interface ImportBinding {
  kind: 'import';
  local: string;
  identity: string;
  statement: ImportStatement;
  /** For `from` imports: the imported name. */
  name?: string;
}
interface HelperBinding {
  kind: 'helper';
  local: string;
  identity: string;
  statement: ModuleStatement;
}
type Binding = ImportBinding | HelperBinding;

export interface CarriedCode {
  /** Import lines to add to the template's own (which already has `op` and `sa` when `templateHas` says so). */
  importLines: string[];
  /** `from __future__` lines: they must come first in the file. */
  futureLines: string[];
  /** Carried helpers' text, renamed, in member order then file order. */
  helpers: string[];
  /** Bodies with renames applied. */
  bodies: Map<string, { upgrade?: string; downgrade?: string }>;
  renames: RenameRecord[];
  dropped: { revision: string; names: string[] }[];
  scopes: Map<string, FileScope>;
  warnings: string[];
}

function dots(level: number): string {
  return '.'.repeat(level);
}

export function importBindings(imp: ImportStatement): ImportBinding[] {
  if (imp.kind === 'from') {
    return imp.names
      .filter((n) => n.name !== '*')
      .map((n) => ({ kind: 'import', local: n.alias ?? n.name, identity: `from ${dots(imp.level)}${imp.module} import ${n.name}`, statement: imp, name: n.name }));
  }
  const local = imp.alias ?? imp.module.split('.')[0];
  const identity = imp.alias ? `import ${imp.module}` : `import ${local}`;
  return [{ kind: 'import', local, identity, statement: imp }];
}

function loads(text: string): string[] {
  return namesIn(text, { start: 0, end: text.length }, { loadsOnly: true }).map((n) => n.name);
}

/** Names a body binds (assignments, loop targets, ...): they are locals of the merged function. */
function binds(text: string): Set<string> {
  const all = namesIn(text, { start: 0, end: text.length });
  const loadStarts = new Set(namesIn(text, { start: 0, end: text.length }, { loadsOnly: true }).map((n) => n.range.start));
  return new Set(all.filter((n) => !loadStarts.has(n.range.start)).map((n) => n.name));
}

/** Replaces every occurrence (load or binding, from the parse tree) of renamed names. */
export function applyRenames(text: string, renames: ReadonlyMap<string, string>): string {
  if (renames.size === 0) return text;
  const hits = namesIn(text, { start: 0, end: text.length }).filter((n) => renames.has(n.name));
  let out = text;
  for (const hit of hits.sort((a, b) => b.range.start - a.range.start)) {
    out = out.slice(0, hit.range.start) + renames.get(hit.name)! + out.slice(hit.range.end);
  }
  return out;
}

/** `_helper` → `_helper_3f1a2b`, then `_2`, `_3`, ... until free. */
function freshName(local: string, revision: string, isTaken: (n: string) => boolean): string {
  const base = `${local}_${revision.slice(0, 6)}`;
  if (!isTaken(base)) return base;
  for (let i = 2; ; i++) if (!isTaken(`${base}_${i}`)) return `${base}_${i}`;
}

/**
 * Merges the members' module namespaces: the imports and helpers their bodies need (transitively)
 * are carried once; a name bound to different things in different members is renamed in the later
 * member, and every reference in its carried code follows.
 */
export function carryCode(
  members: MemberCode[],
  templateBindings: Map<string, string>,
  isProjectModule: (module: string, level: number) => boolean = (_module, level) => level > 0,
): CarriedCode {
  const namespace = new Map<string, string>(templateBindings);
  const renames: RenameRecord[] = [];
  const dropped: CarriedCode['dropped'] = [];
  const warnings: string[] = [];
  const scopes = new Map<string, FileScope>();
  // Bodies with their redundant local imports turned into comments (see localImportsAsComments).
  const source = new Map<string, { upgrade?: string; downgrade?: string }>();
  for (const m of members) {
    const moduleLevel = new Map<string, string>(templateBindings);
    for (const imp of m.file.imports) for (const b of importBindings(imp)) if (!moduleLevel.has(b.local)) moduleLevel.set(b.local, b.identity);
    const own = (fn: MigrationFile['upgrade']) => (fn ? localImportsAsComments(fn.body, moduleLevel) : undefined);
    source.set(m.revision, { upgrade: own(m.file.upgrade), downgrade: own(m.file.downgrade) });
  }
  const bodyTexts = (m: MemberCode): string[] => Object.values(source.get(m.revision)!).filter((t): t is string => t !== undefined);
  const bodyBinds = new Map<string, Set<string>>();
  for (const m of members) {
    const set = new Set<string>();
    for (const body of bodyTexts(m)) for (const n of binds(body)) set.add(n);
    bodyBinds.set(m.revision, set);
  }
  const boundInOtherBody = (name: string, revision: string): boolean =>
    [...bodyBinds].some(([rev, set]) => rev !== revision && set.has(name));

  interface Carry {
    member: MemberCode;
    needed: Binding[];
    unusedImports: ImportBinding[];
    renameMap: Map<string, string>;
    byName: Map<string, Binding[]>;
  }
  const carries: Carry[] = [];

  for (const m of members) {
    const byName = new Map<string, Binding[]>();
    const add = (b: Binding) => byName.set(b.local, [...(byName.get(b.local) ?? []), b]);
    for (const imp of m.file.imports) for (const b of importBindings(imp)) add(b);
    for (const h of m.file.helpers) {
      const text = m.text.slice(h.range.start, h.range.end);
      for (const local of h.defines) add({ kind: 'helper', local, identity: `helper:${text}`, statement: h });
    }
    const neededSet = new Set<Binding>();
    const queue: string[] = [];
    for (const body of bodyTexts(m)) queue.push(...loads(body));
    const free = new Set<string>();
    while (queue.length) {
      const name = queue.pop()!;
      const found = byName.get(name);
      if (!found) {
        free.add(name);
        continue;
      }
      for (const b of found) {
        if (neededSet.has(b)) continue;
        neededSet.add(b);
        if (b.kind === 'helper') queue.push(...loads(m.text.slice(b.statement.range.start, b.statement.range.end)));
      }
    }
    // Bodies that use `context` (offline-mode checks) without importing it could not have run
    // either; add the import so the carried code is complete.
    if (free.has('context') && !byName.has('context')) {
      const imp: ImportStatement = { range: { start: 0, end: 0 }, kind: 'from', module: 'alembic', names: [{ name: 'context' }], level: 0 };
      neededSet.add(importBindings(imp)[0]);
      warnings.push(`${m.revision} uses \`context\` without importing it; \`from alembic import context\` was added`);
    }
    const needed = [...neededSet].sort((a, b) => a.statement.range.start - b.statement.range.start);
    const unusedImports = [...byName.values()].flat().filter((b): b is ImportBinding => b.kind === 'import' && !neededSet.has(b));
    const unusedHelpers = m.file.helpers.filter((h) => !needed.some((b) => b.statement === h));
    const droppedNames = unusedHelpers.flatMap((h) => (h.defines.length ? h.defines : [m.text.slice(h.range.start, h.range.end).split('\n', 1)[0]]));
    if (droppedNames.length) dropped.push({ revision: m.revision, names: droppedNames });
    carries.push({ member: m, needed, unusedImports, renameMap: new Map(), byName });
  }

  const taken = (n: string): boolean => namespace.has(n) || [...bodyBinds.values()].some((s) => s.has(n));
  const claim = (c: Carry, b: Binding): string => {
    // A helper is the same thing as another only when the names it uses are too: its text is
    // compared after the renames of what it depends on (claimed first).
    const identity = b.kind === 'helper' ? `helper:${applyRenames(c.member.text.slice(b.statement.range.start, b.statement.range.end), c.renameMap)}` : b.identity;
    const current = namespace.get(b.local);
    if (current === identity && !boundInOtherBody(b.local, c.member.revision)) return b.local;
    if (current === undefined && !boundInOtherBody(b.local, c.member.revision)) {
      namespace.set(b.local, identity);
      return b.local;
    }
    // Same thing already carried under a new name for this member? Reuse it.
    const existing = c.renameMap.get(b.local);
    if (existing && namespace.get(existing) === identity) return existing;
    const fresh = freshName(b.local, c.member.revision, taken);
    namespace.set(fresh, identity);
    c.renameMap.set(b.local, fresh);
    renames.push({ revision: c.member.revision, from: b.local, to: fresh, what: b.kind });
    return fresh;
  };

  const futureLines: string[] = [];
  const fromGroups = new Map<string, string[]>();
  const plainImports: string[] = [];
  const helpers: string[] = [];
  const carriedHelpers = new Set<string>();
  const bodies = new Map<string, { upgrade?: string; downgrade?: string }>();

  const emitImport = (b: ImportBinding, local: string): void => {
    const imp = b.statement;
    if (imp.kind === 'from') {
      const key = `${dots(imp.level)}${imp.module}`;
      const item = local === b.name ? b.name! : `${b.name} as ${local}`;
      if (key === '__future__') {
        const line = `from __future__ import ${item}`;
        if (!futureLines.includes(line)) futureLines.push(line);
        return;
      }
      const group = fromGroups.get(key) ?? [];
      if (!group.includes(item)) group.push(item);
      fromGroups.set(key, group);
      return;
    }
    let line: string;
    if (imp.alias || local !== imp.module.split('.')[0]) {
      if (!imp.alias && imp.module.includes('.')) {
        warnings.push(`${b.statement.module}: \`import ${imp.module}\` binds \`${imp.module.split('.')[0]}\`, which clashes; carried as \`import ${imp.module} as ${local}\``);
      }
      line = `import ${imp.module} as ${local}`;
    } else line = `import ${imp.module}`;
    if (!plainImports.includes(line)) plainImports.push(line);
  };

  for (const c of carries) {
    const finals = new Map<Binding, string>();
    for (const b of dependenciesFirst(c.needed, c.byName, c.member.text)) finals.set(b, claim(c, b));
    for (const [b, local] of finals) {
      if (b.kind === 'import') {
        // The template's own `op`/`sa` need no line.
        if (templateBindings.get(local) === b.identity) continue;
        emitImport(b, local);
      }
    }
    for (const b of c.needed) {
      if (b.kind !== 'helper') continue;
      const text = applyRenames(c.member.text.slice(b.statement.range.start, b.statement.range.end), c.renameMap);
      if (carriedHelpers.has(text)) continue;
      carriedHelpers.add(text);
      helpers.push(text);
    }
    const own = source.get(c.member.revision)!;
    const fnBody = (body: string | undefined) => (body !== undefined ? applyRenames(body, c.renameMap) : undefined);
    bodies.set(c.member.revision, { upgrade: fnBody(own.upgrade), downgrade: fnBody(own.downgrade) });
  }
  // Imports nothing uses are still carried (they may have import-time effects), unless their name is taken.
  for (const c of carries) {
    for (const b of c.unusedImports) {
      const current = namespace.get(b.local);
      if (current !== undefined && current !== b.identity) {
        // Dropping an unused library import changes nothing; an unused import of project code may
        // have been there for what importing it does (registering models, say).
        if (isProjectModule(b.statement.module, b.statement.level)) {
          warnings.push(`${c.member.revision}: unused import \`${b.local}\` (${b.identity}) dropped: the name is bound to something else`);
        }
        continue;
      }
      if (boundInOtherBody(b.local, c.member.revision)) continue;
      namespace.set(b.local, b.identity);
      if (templateBindings.get(b.local) === b.identity) continue;
      emitImport(b, b.local);
    }
  }
  for (const c of carries) {
    const scope: FileScope = { imports: new Map(), helpers: new Map() };
    for (const imp of c.member.file.imports) {
      for (const b of importBindings(imp)) scope.imports.set(c.renameMap.get(b.local) ?? b.local, imp.module ? `${dots(imp.level)}${imp.module}` : dots(imp.level));
    }
    for (const h of c.member.file.helpers) {
      for (const name of h.defines) scope.helpers.set(c.renameMap.get(name) ?? name, applyRenames(c.member.text.slice(h.range.start, h.range.end), c.renameMap));
    }
    scopes.set(c.member.revision, scope);
  }

  const importLines = [...plainImports, ...[...fromGroups].map(([module, items]) => fromLine(module, items))];
  return { importLines, futureLines, helpers, bodies, renames, dropped, scopes, warnings };
}

/**
 * An import inside upgrade()/downgrade() binds a local name of that function. Merged into one
 * function, it would make the name local to every block (an UnboundLocalError in the blocks before
 * it) and force a rename of the module-level import in every other member. When it binds exactly
 * what the module level binds under the same names (`import sqlalchemy as sa` again), it is
 * redundant there: it becomes a comment. Imports of other things stay as written.
 */
export function localImportsAsComments(body: string, moduleLevel: ReadonlyMap<string, string>): string {
  // Most bodies import nothing: no need to parse them.
  if (!body.includes('import')) return body;
  const redundant = parseMigration(body).imports.filter((imp) => {
    const bindings = importBindings(imp);
    return bindings.length > 0 && bindings.every((b) => moduleLevel.get(b.local) === b.identity);
  });
  let out = body;
  for (const imp of redundant.sort((a, b) => b.range.start - a.range.start)) {
    const written = body.slice(imp.range.start, imp.range.end).split('\n').map((l) => l.trim()).join(' ');
    out = `${out.slice(0, imp.range.start)}# ${written}  (imported at module level)${out.slice(imp.range.end)}`;
  }
  return out;
}

/**
 * The needed bindings ordered so that what a helper uses comes before the helper (file order
 * otherwise; a cycle keeps file order).
 */
function dependenciesFirst(needed: Binding[], byName: Map<string, Binding[]>, text: string): Binding[] {
  const wanted = new Set(needed);
  const out: Binding[] = [];
  const state = new Map<Binding, 'visiting' | 'done'>();
  const visit = (b: Binding): void => {
    if (state.has(b)) return;
    state.set(b, 'visiting');
    if (b.kind === 'helper') {
      for (const name of loads(text.slice(b.statement.range.start, b.statement.range.end))) {
        for (const dep of byName.get(name) ?? []) if (wanted.has(dep) && dep.statement !== b.statement) visit(dep);
      }
    }
    state.set(b, 'done');
    out.push(b);
  };
  for (const b of needed) visit(b);
  return out;
}

function fromLine(module: string, items: string[]): string {
  const one = `from ${module} import ${items.join(', ')}`;
  if (one.length <= 88) return one;
  return `from ${module} import (\n${items.map((i) => `    ${i},\n`).join('')})`;
}
