import * as path from 'node:path';
import type { DocumentLink, Hover, Location, MarkupContent } from 'vscode-languageserver';
import type { ScriptFile } from '../core/scripts';
import { headerIdAt, headerIds, resolveHeaderId, type HeaderId } from './ids';
import { toRange } from './positions';
import { uriOf } from './uris';
import type { FileContext, ProjectState } from './workspace';

/** The revision named by the header string at `offset`, with that string. */
export function revisionAt(ctx: FileContext, offset: number): { id: string; at: HeaderId } | undefined {
  const at = headerIdAt(ctx.file.migration, ctx.file.text, offset);
  if (!at) return undefined;
  const id = resolveHeaderId(ctx.state.scripts.map, at);
  return id === undefined ? undefined : { id, at };
}

/** The `revision = '…'` string of the file declaring `id` (the whole file start when unreadable). */
export function declaration(state: ProjectState, id: string): Location | undefined {
  const file = state.scripts.fileOf(id);
  if (!file) return undefined;
  const a = file.migration.header.revision;
  const r = a?.itemRanges[0] ?? a?.range ?? { start: 0, end: 0 };
  return { uri: uriOf(file.path), range: toRange(file, r) };
}

export function hover(ctx: FileContext, offset: number): Hover | undefined {
  const found = revisionAt(ctx, offset);
  if (!found) return undefined;
  const { map } = ctx.state.scripts;
  const revision = map.get(found.id)!;
  const file = ctx.state.scripts.fileOf(found.id);
  const facets: string[] = [];
  if (map.isHead(found.id)) facets.push('head');
  if (map.isBase(found.id)) facets.push('base');
  if (map.isBranchPoint(found.id)) facets.push('branch point');
  if (map.isMergePoint(found.id)) facets.push('merge point');
  const list = (ids: string[]) => (ids.length ? ids.map((i) => `\`${i}\``).join(', ') : '—');
  const lines = [`**${escape(revision.message || '(no message)')}**`, ''];
  lines.push(`Revision \`${found.id}\`${facets.length ? ` · ${facets.join(' · ')}` : ''}`, '');
  if (file) {
    const loc = declaration(ctx.state, found.id)!;
    const line = loc.range.start.line + 1;
    lines.push(`File: [${escape(path.basename(file.path))}](${uriOf(file.path)}#L${line})`, '');
  }
  if (revision.createDate) lines.push(`Created: ${escape(revision.createDate)}`, '');
  lines.push(`Parents: ${list(map.parents(found.id))}`, '');
  lines.push(`Children: ${list(map.children(found.id))}`, '');
  const dependencies = map.dependencies(found.id);
  const dependents = map.dependents(found.id);
  if (dependencies.length) lines.push(`Depends on: ${list(dependencies)}`, '');
  if (dependents.length) lines.push(`Depended on by: ${list(dependents)}`, '');
  if (revision.branchLabels.length) lines.push(`Branch labels: ${list(revision.branchLabels)}`, '');
  const contents: MarkupContent = { kind: 'markdown', value: lines.join('\n').trimEnd() };
  return { contents, range: toRange(ctx.file, found.at.literal) };
}

export function definition(ctx: FileContext, offset: number): Location | undefined {
  const found = revisionAt(ctx, offset);
  return found ? declaration(ctx.state, found.id) : undefined;
}

/** The header strings that name `id`: down_revision of its children, depends_on of its dependents. */
export function namingStrings(state: ProjectState, id: string): { file: ScriptFile; at: HeaderId }[] {
  const { map } = state.scripts;
  const out: { file: ScriptFile; at: HeaderId }[] = [];
  const namers = new Set([...map.children(id), ...map.dependents(id)]);
  for (const namer of namers) {
    for (const entry of map.claimants(namer)) {
      const file = entry.path ? state.scripts.file(entry.path) : undefined;
      if (!file) continue;
      for (const at of headerIds(file.migration, file.text)) {
        if ((at.field === 'down_revision' || at.field === 'depends_on') && resolveHeaderId(map, at) === id) out.push({ file, at });
      }
    }
  }
  return out.sort((a, b) => (a.file.path === b.file.path ? a.at.literal.start - b.at.literal.start : a.file.path < b.file.path ? -1 : 1));
}

export function references(ctx: FileContext, offset: number, includeDeclaration: boolean): Location[] | undefined {
  const found = revisionAt(ctx, offset);
  if (!found) return undefined;
  const out = namingStrings(ctx.state, found.id).map(({ file, at }) => ({ uri: uriOf(file.path), range: toRange(file, at.literal) }));
  const decl = declaration(ctx.state, found.id);
  return includeDeclaration && decl ? [decl, ...out] : out;
}

/** Each id in down_revision / depends_on links to the file that declares it. */
export function documentLinks(ctx: FileContext): DocumentLink[] {
  const out: DocumentLink[] = [];
  for (const at of headerIds(ctx.file.migration, ctx.file.text)) {
    if (at.field !== 'down_revision' && at.field !== 'depends_on') continue;
    const id = resolveHeaderId(ctx.state.scripts.map, at);
    const decl = id === undefined ? undefined : declaration(ctx.state, id);
    if (!decl) continue;
    out.push({ range: toRange(ctx.file, at.inner), target: `${decl.uri}#L${decl.range.start.line + 1}`, tooltip: `Open revision ${id}` });
  }
  return out;
}

function escape(s: string): string {
  return s.replace(/([\\`*_{}[\]()#+!|<>])/g, '\\$1');
}
