/** Paired to/from helpers for every virtual-document scheme (see `Schemes`). */
import * as vscode from 'vscode';
import { Schemes } from '../constants';

/** `replaced`, `squashed`, `stamp`, a member's `<rev>-before`/`<rev>-after`, `failed`. */
export type ReviewSide = string;

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
  if (!id || !side) return undefined;
  return { id, side, name: name.join('/') };
}

export interface SchemaRef {
  /** Identifies one set of schema texts (a verify, a comparison, one revision). */
  id: string;
  /** Which text of the set: `chain`, `squash`, a revision id, `left`/`right` of one object. */
  side: string;
  /** Shown in the tab; ends with .sql so the editor highlights SQL. */
  name: string;
}

export function toSchemaUri(ref: SchemaRef): vscode.Uri {
  return vscode.Uri.from({ scheme: Schemes.Schema, path: `/${ref.id}/${encodeURIComponent(ref.side)}/${ref.name}` });
}

export function fromSchemaUri(uri: vscode.Uri): SchemaRef | undefined {
  if (uri.scheme !== Schemes.Schema) return undefined;
  const [, id, side, ...name] = uri.path.split('/');
  if (!id || !side) return undefined;
  return { id, side: decodeURIComponent(side), name: name.join('/') };
}
