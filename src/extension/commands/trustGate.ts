import * as vscode from 'vscode';
import { requireTrust } from '../trust';

/**
 * Undefined in a trusted workspace; otherwise the refusal a command resolves with (after the trust
 * prompt when interactive). Nothing that runs the project's Python goes past this in Restricted Mode.
 */
export async function trustRefusal(what: string, interactive: boolean): Promise<{ status: 'refused'; reasons: string[] } | undefined> {
  if (vscode.workspace.isTrusted) return undefined;
  if (interactive) await requireTrust(what);
  return { status: 'refused', reasons: [`${what} runs this project's Python code; the workspace is in Restricted Mode.`] };
}
