import * as vscode from 'vscode';

/**
 * A notification with a Cancel button whose token aborts `signal`: core stops its child processes
 * and removes what it started when the signal aborts.
 */
export function withCancellableProgress<T>(title: string, work: (signal: AbortSignal, report: (message: string) => void) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort());
    try {
      return await work(abort.signal, (message) => progress.report({ message }));
    } finally {
      sub.dispose();
    }
  });
}
