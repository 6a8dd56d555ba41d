/** Paired to/from helpers for every virtual-document scheme (see `Schemes`). */
import * as vscode from 'vscode';
import { Schemes } from '../constants';

export type ReviewSide = 'replaced' | 'squashed';

export interface ReviewRef {
  /** Identifies one squash review (several can be open). */
  id: string;
  side: ReviewSide;
  /** Shown in the tab; ends with .py so the editor highlights Python. */
  name: string;
}

export function toReviewUri(ref: ReviewRef): vscode.Uri {
  return vscode.Uri.from({ scheme: Schemes.Review, path: `/${ref.id}/${ref.side}/${ref.name}` });
}

export function fromReviewUri(uri: vscode.Uri): ReviewRef | undefined {
  if (uri.scheme !== Schemes.Review) return undefined;
  const [, id, side, ...name] = uri.path.split('/');
  if (!id || (side !== 'replaced' && side !== 'squashed')) return undefined;
  return { id, side, name: name.join('/') };
}
