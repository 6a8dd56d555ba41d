import { parseSync } from 'libpg-query';
import { deparse } from 'pgsql-deparser';

type Node = Record<string, any>;

function typeName(cast: Node | undefined): string {
  return (cast?.typeName?.names ?? []).map((n: Node) => n?.String?.sval).join('.');
}

/**
 * `x IN ('a', 'b')` on a varchar column is stored as `(x)::text = ANY ((ARRAY['a'::varchar, …])::text[])`,
 * and that text, parsed again, is stored differently (each element cast instead of the array): pg_dump's
 * statement does not give back the chain's constraint. Written back as the IN list it came from, it does.
 * Returns the rewritten node, or undefined when the node is not that shape.
 */
function inList(node: Node): Node | undefined {
  const e = node.A_Expr;
  if (!e || e.kind !== 'AEXPR_OP_ANY' || e.name?.[0]?.String?.sval !== '=') return undefined;
  const left = e.lexpr?.TypeCast;
  const right = e.rexpr?.TypeCast;
  if (!left || !right || typeName(left) !== 'text' || !right.arg?.A_ArrayExpr || !right.typeName?.arrayBounds) return undefined;
  if (typeName(right) !== 'text') return undefined;
  return { A_Expr: { kind: 'AEXPR_IN', name: e.name, lexpr: left.arg, rexpr: { List: { items: right.arg.A_ArrayExpr.elements ?? [] } }, location: e.location } };
}

function walk(node: unknown, onChange: () => void): unknown {
  if (Array.isArray(node)) return node.map((n) => walk(n, onChange));
  if (!node || typeof node !== 'object') return node;
  const replaced = inList(node as Node);
  if (replaced) {
    onChange();
    return replaced;
  }
  const out: Node = {};
  for (const [k, v] of Object.entries(node as Node)) out[k] = walk(v, onChange);
  return out;
}

/** The statement with such ANY-over-array checks written as IN lists, or undefined when it has none. */
export async function rewriteInLists(statement: string): Promise<string | undefined> {
  const parsed = parseSync(statement) as Node;
  let changed = false;
  const tree = walk(parsed, () => (changed = true));
  if (!changed) return undefined;
  return `${(await deparse(tree as never)).replace(/;\s*$/, '')};`;
}
