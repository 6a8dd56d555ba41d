import * as vscode from 'vscode';
import { Schemes } from '../constants';
import { fromReviewUri, toReviewUri } from './uris';

export interface ReviewTexts {
  id: string;
  title: string;
  fileName: string;
  replaced: string;
  squashed: string;
}

/**
 * Serves the read-only texts of squash reviews (the replaced bodies, the new file, one member's
 * diff sides, the stamp plan, a file that failed to render); they live as long as the extension.
 */
export class ReviewDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(Schemes.Review, this);

  provideTextDocumentContent(uri: vscode.Uri): string {
    const ref = fromReviewUri(uri);
    return (ref && this.texts.get(`${ref.id}/${ref.side}`)) ?? '# This squash review is no longer available.\n';
  }

  /** Stores one text and returns its read-only URI (the name's extension picks the language). */
  put(id: string, side: string, name: string, text: string): vscode.Uri {
    this.texts.set(`${id}/${side}`, text);
    const uri = toReviewUri({ id, side, name });
    this.changed.fire(uri);
    return uri;
  }

  /** The replaced bodies and the new file side by side in VS Code's diff editor. */
  async open(review: ReviewTexts): Promise<void> {
    const left = this.put(review.id, 'replaced', 'replaced-revisions.py', review.replaced);
    const right = this.put(review.id, 'squashed', review.fileName, review.squashed);
    await vscode.commands.executeCommand('vscode.diff', left, right, review.title, { preview: false });
  }

  /** Two texts in VS Code's diff editor. */
  async diff(id: string, left: { side: string; name: string; text: string }, right: { side: string; name: string; text: string }, title: string): Promise<void> {
    await vscode.commands.executeCommand('vscode.diff', this.put(id, left.side, left.name, left.text), this.put(id, right.side, right.name, right.text), title, { preview: false });
  }

  /** A read-only editor on `text`, its cursor on `line` (1-based) when given. */
  async show(id: string, side: string, name: string, text: string, line?: number): Promise<vscode.TextEditor> {
    const doc = await vscode.workspace.openTextDocument(this.put(id, side, name, text));
    const at = line ? new vscode.Position(Math.max(0, Math.min(line - 1, doc.lineCount - 1)), 0) : undefined;
    return vscode.window.showTextDocument(doc, { preview: false, ...(at ? { selection: new vscode.Range(at, at) } : {}) });
  }

  /** Markdown in the preview (read-only, never asks to be saved). */
  async preview(id: string, side: string, name: string, markdown: string): Promise<void> {
    await vscode.commands.executeCommand('markdown.showPreview', this.put(id, side, name, markdown));
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}
