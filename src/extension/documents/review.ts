import * as vscode from 'vscode';
import { Schemes } from '../constants';
import { fromReviewUri, toReviewUri, type ReviewSide } from './uris';

export interface ReviewTexts {
  id: string;
  title: string;
  fileName: string;
  replaced: string;
  squashed: string;
}

/** Serves the read-only texts of squash reviews; the documents live as long as the extension. */
export class ReviewDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly reviews = new Map<string, ReviewTexts>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(Schemes.Review, this);

  provideTextDocumentContent(uri: vscode.Uri): string {
    const ref = fromReviewUri(uri);
    const review = ref && this.reviews.get(ref.id);
    if (!review) return '# This squash review is no longer available.\n';
    return ref.side === 'replaced' ? review.replaced : review.squashed;
  }

  /** Stores the texts (replacing a review with the same id) and opens them side by side. */
  async open(review: ReviewTexts): Promise<void> {
    this.reviews.set(review.id, review);
    const uri = (side: ReviewSide, name: string) => toReviewUri({ id: review.id, side, name });
    const left = uri('replaced', 'replaced-revisions.py');
    const right = uri('squashed', review.fileName);
    this.changed.fire(left);
    this.changed.fire(right);
    await vscode.commands.executeCommand('vscode.diff', left, right, review.title, { preview: false });
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}
