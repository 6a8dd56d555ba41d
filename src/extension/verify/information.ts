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
  if (!record.result.downgrade && record.downgradeSkipped) out.push({ label: 'Downgrade not checked', detail: record.downgradeSkipped });
  return out;
}
