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
  return out;
}
