import { CompletionItemKind, type CompletionItem } from 'vscode-languageserver';
import type { TextRange } from '../core/common/problem';
import { headerIds } from './ids';
import { toRange } from './positions';
import type { FileContext } from './workspace';

/**
 * Revision ids (and, in depends_on, branch labels) for the string being typed in down_revision or
 * depends_on; heads first, the message as detail. The file's own revision and its descendants are
 * left out: naming them would make a cycle.
 */
export function completion(ctx: FileContext, offset: number): CompletionItem[] | undefined {
  const spot = stringAt(ctx, offset);
  if (!spot) return undefined;
  const { map } = ctx.state.scripts;
  const own = ctx.file.migration.revision;
  const excluded = new Set<string>(own !== undefined ? [own, ...map.reach([own], 'down', { includeDependencies: true })] : []);
  const range = toRange(ctx.file, spot.replace);
  const items: CompletionItem[] = [];
  const order = map.topologicalOrder();
  const rank = new Map(order.map((id, i) => [id, order.length - i]));
  for (const id of map.ids()) {
    if (excluded.has(id)) continue;
    const revision = map.get(id)!;
    const head = map.isHead(id);
    items.push({
      label: id,
      kind: CompletionItemKind.Value,
      detail: revision.message || undefined,
      labelDetails: head ? { description: 'head' } : undefined,
      sortText: `${head ? 0 : 1}${String(rank.get(id) ?? 0).padStart(8, '0')}${id}`,
      textEdit: { range, newText: id },
    });
  }
  if (spot.field === 'depends_on') {
    for (const label of map.branchLabels) {
      const owner = map.resolveDependency(label);
      if (owner !== undefined && excluded.has(owner)) continue;
      items.push({
        label,
        kind: CompletionItemKind.Reference,
        detail: owner !== undefined ? `branch label of ${owner}` : 'branch label',
        sortText: `2${label}`,
        textEdit: { range, newText: label },
      });
    }
  }
  return items;
}

/** The string under the cursor in down_revision / depends_on, also while it is still unterminated. */
function stringAt(ctx: FileContext, offset: number): { field: 'down_revision' | 'depends_on'; replace: TextRange } | undefined {
  const { migration, text } = ctx.file;
  for (const at of headerIds(migration, text)) {
    if (at.field !== 'down_revision' && at.field !== 'depends_on') continue;
    if (offset >= at.inner.start && offset <= at.inner.end) return { field: at.field, replace: at.inner };
  }
  for (const field of ['down_revision', 'depends_on'] as const) {
    const a = migration.header[field];
    if (!a) continue;
    const lineEnd = endOfLine(text, a.valueRange.end);
    if (offset < a.valueRange.start || offset > lineEnd) continue;
    // Walk the value up to the cursor to know whether it sits inside a quote, and where that quote opened.
    let quote: string | undefined;
    let opened = -1;
    for (let i = a.valueRange.start; i < offset; i++) {
      const c = text[i]!;
      if (quote) {
        if (c === '\\') i++;
        else if (c === quote) quote = undefined;
      } else if (c === '"' || c === "'") {
        quote = c;
        opened = i + 1;
      } else if (c === '#') return undefined;
    }
    if (!quote) continue;
    let end = offset;
    while (end < text.length && /[\w.]/.test(text[end]!)) end++;
    return { field, replace: { start: opened, end } };
  }
  return undefined;
}

function endOfLine(text: string, from: number): number {
  let i = from;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}
