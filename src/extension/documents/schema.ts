import * as vscode from 'vscode';
import { Schemes } from '../constants';
import { fromSchemaUri, toSchemaUri } from './uris';

/** One side of a diff (or a single document): its name in the tab and its text. */
export interface SchemaText {
  side: string;
  /** Tab name without extension, e.g. `chain`, `schema at 8a4e6b2c9f31`. */
  name: string;
  text: string;
}

const MAX_SETS = 50;

/**
 * Serves normalized schema texts as read-only `sql` documents. Each set of texts gets an id; old
 * sets are forgotten past MAX_SETS so a long session does not keep every schema ever compared.
 */
export class SchemaDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly sets = new Map<string, Map<string, string>>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(Schemes.Schema, this);
  private counter = 0;

  provideTextDocumentContent(uri: vscode.Uri): string {
    const ref = fromSchemaUri(uri);
    const text = ref && this.sets.get(ref.id)?.get(ref.side);
    return text ?? '-- This schema is no longer available: run the comparison again.\n';
  }

  /** Stores texts under a fresh id and returns one URI per side, in the order given. */
  store(texts: SchemaText[]): vscode.Uri[] {
    const id = `${Date.now().toString(36)}${(this.counter++).toString(36)}`;
    this.sets.set(id, new Map(texts.map((t) => [t.side, t.text])));
    while (this.sets.size > MAX_SETS) this.sets.delete(this.sets.keys().next().value!);
    return texts.map((t) => {
      const uri = toSchemaUri({ id, side: t.side, name: `${fileName(t.name)}.sql` });
      this.changed.fire(uri);
      return uri;
    });
  }

  /** Opens `left ↔ right` in VS Code's diff editor (side by side; the user may switch to inline). */
  async diff(left: SchemaText, right: SchemaText, title: string): Promise<void> {
    const [l, r] = this.store([left, right]);
    await vscode.commands.executeCommand('vscode.diff', l, r, title, { preview: false });
  }

  /** Opens one schema as a read-only SQL document. */
  async show(schema: SchemaText): Promise<vscode.TextDocument> {
    const [uri] = this.store([schema]);
    const doc = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri!), 'sql');
    await vscode.window.showTextDocument(doc, { preview: false });
    return doc;
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}

/** A tab name safe as one path segment. */
function fileName(name: string): string {
  return name.replace(/[/\\]/g, '_');
}
