/**
 * The squash review: one webview panel that shows the plan, the new file, per-member diffs on
 * demand and the proof when it has run, with the actions Apply / Verify first / Cancel. The flow
 * awaits `decision`; nothing modal is put on top of the panel.
 */
import * as crypto from 'node:crypto';
import * as vscode from 'vscode';
import type { MemberDiff } from './memberDiff';
import type { ReviewModel } from './model';

export const REVIEW_VIEW_TYPE = 'alembicSquash.review';

export type ReviewDecision = 'apply' | 'cancel';

/** Where the squash stands, shown in the panel's banner. */
export interface ReviewStatus {
  phase: 'reviewing' | 'verifying' | 'applying' | 'applied' | 'restored' | 'cancelled' | 'refused' | 'undone';
  text: string;
  /** Lines under the text (files restored, reasons). */
  details?: string[];
}

/** The proof as the panel shows it (filled from a verify outcome by the flow). */
export interface ProofSummary {
  status: 'equal' | 'different' | 'failed' | 'cancelled' | 'refused';
  headline: string;
  lines: string[];
}

/** What the panel asks of the flow. */
export interface ReviewActions {
  memberDiff(revision: string): MemberDiff;
  openMemberDiff(revision: string): Promise<void>;
  openNewFile(): Promise<void>;
  showStampPlan(): Promise<void>;
  verify(): Promise<ProofSummary>;
  /** After the squash was applied. */
  undo(): Promise<void>;
  verifyApplied(): Promise<void>;
}

type FromWebview =
  | { type: 'ready' }
  | { type: 'apply' | 'cancel' | 'verify' | 'openNewFile' | 'stampPlan' | 'undo' | 'verifyApplied' }
  | { type: 'memberDiff' | 'openMemberDiff'; revision: string };

export class ReviewPanel implements vscode.Disposable {
  private static current: ReviewPanel | undefined;
  private static readonly shown = new vscode.EventEmitter<ReviewPanel>();
  /** Fires when a review is shown (tests await it instead of sleeping). */
  static readonly onDidShow = ReviewPanel.shown.event;
  private readonly disposables: vscode.Disposable[] = [];
  private settle: ((d: ReviewDecision) => void) | undefined;
  private status: ReviewStatus = { phase: 'reviewing', text: 'Nothing is written until you press Apply.' };
  private proof: ProofSummary | undefined;
  private closed = false;
  /** Resolves when the user presses Apply or Cancel, or closes the panel (→ cancel). */
  readonly decision: Promise<ReviewDecision>;

  /** Opens the review of a new squash in the one review panel (a review still open is cancelled). */
  static show(extensionUri: vscode.Uri, model: ReviewModel, actions: ReviewActions): ReviewPanel {
    const previous = ReviewPanel.current;
    if (previous) {
      // The panel now belongs to the new review: the old one is cancelled and says nothing more.
      previous.closed = true;
      previous.decide('cancel');
    }
    const panel =
      previous?.panel ??
      vscode.window.createWebviewPanel(REVIEW_VIEW_TYPE, model.title, vscode.ViewColumn.Active, {
        enableScripts: true,
        retainContextWhenHidden: true,
        localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media', 'review')],
      });
    previous?.disposeListeners();
    const review = new ReviewPanel(panel, extensionUri, model, actions);
    ReviewPanel.current = review;
    ReviewPanel.shown.fire(review);
    return review;
  }

  /** The open review, if any (tests and the Review Squash command). */
  static get open(): ReviewPanel | undefined {
    return ReviewPanel.current;
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    readonly model: ReviewModel,
    private readonly actions: ReviewActions,
  ) {
    this.decision = new Promise((resolve) => (this.settle = resolve));
    panel.title = model.title;
    panel.webview.html = this.html();
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: FromWebview) => void this.receive(m)),
      panel.onDidDispose(() => {
        this.closed = true;
        this.decide('cancel');
        if (ReviewPanel.current === this) ReviewPanel.current = undefined;
        this.disposeListeners();
      }),
    );
    panel.reveal();
  }

  setStatus(status: ReviewStatus): void {
    this.status = status;
    this.post({ type: 'status', status });
  }

  setProof(proof: ProofSummary): void {
    this.proof = proof;
    this.post({ type: 'proof', proof });
  }

  /** Closing the panel cancels the review; what the flow says after that has nowhere to go. */
  private post(message: unknown): void {
    if (!this.closed) void this.panel.webview.postMessage(message);
  }

  /** What a test presses. */
  press(action: ReviewDecision): void {
    this.decide(action);
  }

  private decide(d: ReviewDecision): void {
    const settle = this.settle;
    this.settle = undefined;
    settle?.(d);
  }

  private async receive(m: FromWebview): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.post({ type: 'model', model: this.model, status: this.status, proof: this.proof });
        return;
      case 'apply':
      case 'cancel':
        return this.decide(m.type);
      case 'verify': {
        const before = this.status;
        this.setStatus({ phase: 'verifying', text: 'Verifying on a throwaway PostgreSQL: the chain against the squash…' });
        const proof = await this.actions.verify();
        this.setProof(proof);
        this.setStatus(before);
        return;
      }
      case 'memberDiff':
        this.post({ type: 'memberDiff', diff: this.actions.memberDiff(m.revision) });
        return;
      case 'openMemberDiff':
        return this.actions.openMemberDiff(m.revision);
      case 'openNewFile':
        return this.actions.openNewFile();
      case 'stampPlan':
        return this.actions.showStampPlan();
      case 'undo':
        return this.actions.undo();
      case 'verifyApplied':
        return this.actions.verifyApplied();
    }
  }

  private html(): string {
    const nonce = crypto.randomBytes(16).toString('base64');
    const webview = this.panel.webview;
    const media = (f: string) => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'review', f));
    const csp = [`default-src 'none'`, `style-src ${webview.cspSource}`, `img-src ${webview.cspSource}`, `script-src 'nonce-${nonce}'`].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${media('review.css')}">
<title>Review Squash</title>
</head>
<body>
<main id="app" aria-live="polite"><p>Loading the review…</p></main>
<script nonce="${nonce}" src="${media('review.js')}"></script>
</body>
</html>`;
  }

  private disposeListeners(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  dispose(): void {
    this.panel.dispose();
  }
}
