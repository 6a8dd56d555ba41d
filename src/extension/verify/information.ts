/**
 * What a verify reports that is not a difference between the chain and the squash (no vscode):
 * the view lists these apart, with their own icon and words. The one adapter from the result.
 */
import type { VerifyRecord } from './results';

export interface InformationItem {
  label: string;
  detail: string;
}

export function informationOf(record: VerifyRecord): InformationItem[] {
  const out: InformationItem[] = [];
  const r = record.result;
  if (!r.downgrade && record.downgradeSkipped) out.push({ label: 'Downgrade not checked', detail: record.downgradeSkipped });
  // The history's own lossy downgrade, object by object: never the squash's fault.
  for (const n of r.information ?? []) out.push({ label: `${n.kind} ${n.name}`, detail: `${n.message}: ${n.detail}` });
  // Columns whose values come from a volatile default were not compared.
  for (const c of r.data?.leftOut ?? []) out.push({ label: `${c.table}.${c.column} not compared`, detail: `its default ${c.default} gives another value on every run` });
  // The models (env.py's target_metadata) against the squashed database, when asked for.
  const m = r.models;
  if (m && !m.available) out.push({ label: 'Models not compared', detail: m.error ?? "env.py sets no target_metadata" });
  if (m?.available && !m.differences.length) out.push({ label: 'Models match the squashed schema', detail: 'autogenerate would generate nothing' });
  for (const d of m?.available ? m.differences : []) out.push({ label: m!.strict ? 'Models differ (counts as a difference: strict)' : 'Models differ', detail: `autogenerate would still generate: ${d}` });
  return out;
}
