import type { Connection } from 'vscode-languageserver';

export type MultipleHeadsSeverity = 'information' | 'warning' | 'off';

/** The `alembicSquash` settings the server reads, for one scope (a file). */
export interface ServerSettings {
  /** Interpreter with the project's Alembic; '' = detect (project venv, VIRTUAL_ENV, python3). */
  python: string;
  codeLens: boolean;
  multipleHeads: MultipleHeadsSeverity;
}

export const DEFAULT_SETTINGS: ServerSettings = { python: '', codeLens: true, multipleHeads: 'information' };

/**
 * Pulls the settings of each scope from the client (`workspace/configuration`), one round trip for
 * all of them. Nothing is kept: callers use the answer for the request at hand only.
 */
export async function settingsFor(connection: Connection, supported: boolean, scopeUris: string[]): Promise<ServerSettings[]> {
  if (!supported || scopeUris.length === 0) return scopeUris.map(() => DEFAULT_SETTINGS);
  let answers: unknown[];
  try {
    answers = await connection.workspace.getConfiguration(scopeUris.map((scopeUri) => ({ scopeUri, section: 'alembicSquash' })));
  } catch {
    return scopeUris.map(() => DEFAULT_SETTINGS);
  }
  return scopeUris.map((_, i) => normalize(answers?.[i]));
}

function normalize(raw: unknown): ServerSettings {
  const section = isObject(raw) ? raw : {};
  // Clients answer either nested objects (`lsp: { codeLens }`) or dotted keys (`'lsp.codeLens'`).
  const lsp = isObject(section.lsp) ? section.lsp : {};
  const pick = (key: string): unknown => lsp[key] ?? section[`lsp.${key}`];
  const heads = pick('multipleHeads');
  return {
    python: typeof section.python === 'string' ? section.python : DEFAULT_SETTINGS.python,
    codeLens: typeof pick('codeLens') === 'boolean' ? (pick('codeLens') as boolean) : DEFAULT_SETTINGS.codeLens,
    multipleHeads: heads === 'information' || heads === 'warning' || heads === 'off' ? heads : DEFAULT_SETTINGS.multipleHeads,
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
