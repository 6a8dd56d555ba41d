import * as vscode from 'vscode';

/**
 * True in a trusted workspace. Otherwise explains (modal) that `what` runs the project's Python
 * and offers to manage trust; VS Code 1.91 has no stable API to request trust directly.
 */
export async function requireTrust(what: string): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const manage = 'Manage Workspace Trust';
  const choice = await vscode.window.showWarningMessage(
    `${what} runs this project's Python code.`,
    { modal: true, detail: 'This workspace is in Restricted Mode. Trust it to run Alembic; reading features (the Revisions view, diagnostics) work without trust.' },
    manage,
  );
  if (choice === manage) await vscode.commands.executeCommand('workbench.trust.manage');
  return false;
}
