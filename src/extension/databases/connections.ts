import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';

/** A deployed database the user added: its name, URL (kept only in SecretStorage) and project. */
export interface DatabaseConnection {
  id: string;
  name: string;
  url: string;
  /** The project (config path or folder) whose history it follows; the first project when unset. */
  project?: string;
}

const KEY = 'alembicSquash.databases';

/** The user's connections, all in SecretStorage (names too: they often say which server it is). */
export class Connections implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly listener: vscode.Disposable;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.listener = secrets.onDidChange((e) => e.key === KEY && this.changed.fire());
  }

  async list(): Promise<DatabaseConnection[]> {
    const text = await this.secrets.get(KEY);
    if (!text) return [];
    try {
      const parsed = JSON.parse(text) as DatabaseConnection[];
      return Array.isArray(parsed) ? parsed : [];
    } catch {
      return [];
    }
  }

  async add(connection: Omit<DatabaseConnection, 'id'>): Promise<DatabaseConnection> {
    const added = { ...connection, id: randomUUID() };
    await this.secrets.store(KEY, JSON.stringify([...(await this.list()), added]));
    this.changed.fire();
    return added;
  }

  async remove(id: string): Promise<void> {
    await this.secrets.store(KEY, JSON.stringify((await this.list()).filter((c) => c.id !== id)));
    this.changed.fire();
  }

  dispose(): void {
    this.listener.dispose();
    this.changed.dispose();
  }
}
