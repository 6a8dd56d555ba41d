import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { ObjectDifference, TableDataDifference } from '../../core/schema';
import type { VerifyResult } from '../../core/verify';
import { VERIFY_DIAGNOSTIC_SOURCE } from '../constants';

/** Files a verify's Problems entries can go to, most specific first. */
export interface DiagnosticTargets {
  /** The squashed revision file, when it is on disk (a squash already applied). */
  squashFile?: string;
  /** The replaced revisions' files, oldest first (a squash not written yet). */
  memberFiles: string[];
  /** The project's alembic.ini / pyproject.toml: the last resort. */
  configFile?: string;
}

export const DiagnosticCodes = {
  schema: 'schema-difference',
  data: 'seed-data-difference',
  downgrade: 'downgrade-difference',
  migration: 'migration-failed',
} as const;

export function changeWords(change: ObjectDifference['change']): string {
  return change === 'removed' ? 'only in the chain (the squash lacks it)' : change === 'added' ? 'only in the squash' : 'differs between the chain and the squash';
}

/** Problems entries per file for every difference of a verify result. */
export function verifyDiagnostics(result: VerifyResult, targets: DiagnosticTargets): Map<string, vscode.Diagnostic[]> {
  const texts = new Map<string, string | undefined>();
  const read = (file: string) => {
    if (!texts.has(file)) texts.set(file, readOrUndefined(file));
    return texts.get(file);
  };
  const out = new Map<string, vscode.Diagnostic[]>();
  const add = (names: string[], message: string, code: string, severity: vscode.DiagnosticSeverity) => {
    const where = locate(names, targets, read);
    if (!where) return;
    const d = new vscode.Diagnostic(where.range, message, severity);
    d.source = VERIFY_DIAGNOSTIC_SOURCE;
    d.code = code;
    out.set(where.file, [...(out.get(where.file) ?? []), d]);
  };
  for (const d of result.schema.differences) {
    add(namesOf(d.name), objectMessage(d), DiagnosticCodes.schema, vscode.DiagnosticSeverity.Error);
  }
  for (const d of result.data.differences) {
    add(namesOf(d.table), dataMessage(d), DiagnosticCodes.data, vscode.DiagnosticSeverity.Error);
  }
  for (const d of result.downgrade?.schema.differences ?? []) {
    add(namesOf(d.name), `After downgrading to ${result.downgrade!.target}: ${objectMessage(d)}`, DiagnosticCodes.downgrade, vscode.DiagnosticSeverity.Warning);
  }
  return out;
}

export function objectMessage(d: ObjectDifference): string {
  return `${d.kind} ${d.name} ${changeWords(d.change)}${d.detail ? `: ${d.detail}` : ''}`;
}

export function dataMessage(d: TableDataDifference): string {
  return `seed data of ${d.table}: ${d.detail} (chain ${d.leftCount} rows, squash ${d.rightCount})`;
}

export function failureDiagnostic(line: number, message: string): vscode.Diagnostic {
  const at = Math.max(0, line - 1);
  const d = new vscode.Diagnostic(new vscode.Range(at, 0, at, Number.MAX_SAFE_INTEGER), message, vscode.DiagnosticSeverity.Error);
  d.source = VERIFY_DIAGNOSTIC_SOURCE;
  d.code = DiagnosticCodes.migration;
  return d;
}

/**
 * `public.users.ix_users_email` → [`ix_users_email`, `users`, `public`]; a function's argument list
 * is dropped. Most specific first: the object's own name is what a migration mentions.
 */
export function namesOf(qualified: string): string[] {
  const bare = qualified.replace(/\(.*$/s, '');
  return bare
    .split('.')
    .map((part) => part.replace(/^"|"$/g, ''))
    .filter(Boolean)
    .reverse();
}

/** The first file (by priority) that mentions one of `names`, at that mention; else the top of the best file there is. */
function locate(names: string[], targets: DiagnosticTargets, read: (file: string) => string | undefined): { file: string; range: vscode.Range } | undefined {
  const files = targets.squashFile && read(targets.squashFile) !== undefined ? [targets.squashFile] : [...targets.memberFiles].reverse().filter((f) => read(f) !== undefined);
  for (const name of names) {
    for (const file of files) {
      const range = mention(read(file)!, name);
      if (range) return { file, range };
    }
  }
  const fallback = files[0] ?? (targets.configFile && read(targets.configFile) !== undefined ? targets.configFile : undefined);
  return fallback ? { file: fallback, range: new vscode.Range(0, 0, 0, 0) } : undefined;
}

/** Where `name` appears quoted (a string literal holding it), else as a whole word. */
function mention(text: string, name: string): vscode.Range | undefined {
  for (const needle of [`'${name}'`, `"${name}"`]) {
    const at = text.indexOf(needle);
    if (at >= 0) return rangeOf(text, at + 1, name.length);
  }
  let from = 0;
  for (;;) {
    const at = text.indexOf(name, from);
    if (at < 0) return undefined;
    if (!isWordChar(text[at - 1]) && !isWordChar(text[at + name.length])) return rangeOf(text, at, name.length);
    from = at + 1;
  }
}

function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && /[A-Za-z0-9_]/.test(ch);
}

function rangeOf(text: string, offset: number, length: number): vscode.Range {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  const character = offset - (before.lastIndexOf('\n') + 1);
  return new vscode.Range(line, character, line, character + length);
}

function readOrUndefined(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
