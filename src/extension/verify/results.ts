import * as vscode from 'vscode';
import type { VerifyResult } from '../../core/verify';
import { ContextKeys, VERIFY_DIAGNOSTIC_SOURCE } from '../constants';
import { failureDiagnostic, verifyDiagnostics, type DiagnosticTargets } from './diagnostics';

/** One finished verify, kept for the Schema Differences view, the diff editor and the API. */
export interface VerifyRecord {
  id: number;
  configPath: string;
  /** People's words: `the squash of 6 revisions (base..head)`. */
  title: string;
  result: VerifyResult;
  /** Why the downgrade was not checked, when it was not. */
  downgradeSkipped?: string;
  targets: DiagnosticTargets;
  finishedAt: Date;
}

export type VerifyStatus = 'equal' | 'different' | 'refused' | 'cancelled' | 'failed';

/** What the command, the task and "Verify Now" resolve with (tests read it instead of the UI). */
export interface VerifyOutcome {
  status: VerifyStatus;
  /** Set for `equal` and `different`. */
  record?: VerifyRecord;
  /** Why it was refused or failed, for people. */
  reasons?: string[];
  /** What the user can do about a failure: `interpreter` → Select Interpreter / Open Settings. */
  fix?: 'interpreter';
}

/**
 * The latest verify result per workspace and its Problems entries. A new verify of the same project
 * replaces the entries of the previous one.
 */
export class Verifications implements vscode.Disposable {
  readonly diagnostics = vscode.languages.createDiagnosticCollection('alembic-squash-verify');
  private latest: VerifyRecord | undefined;
  private counter = 0;
  private readonly changed = new vscode.EventEmitter<VerifyRecord | undefined>();
  /** Fires with the new record, or undefined when results were cleared. */
  readonly onDidChange = this.changed.event;
  private readonly finished = new vscode.EventEmitter<VerifyOutcome>();
  /** Fires when any verify ends, whatever the status (tests await it). */
  readonly onDidFinish = this.finished.event;

  get last(): VerifyRecord | undefined {
    return this.latest;
  }

  nextId(): number {
    return ++this.counter;
  }

  /** Stores a result and replaces the Problems entries with its differences. */
  publish(record: VerifyRecord): void {
    this.latest = record;
    this.diagnostics.clear();
    for (const [file, entries] of verifyDiagnostics(record.result, record.targets)) {
      this.diagnostics.set(vscode.Uri.file(file), entries);
    }
    void vscode.commands.executeCommand('setContext', ContextKeys.hasVerifyResult, true);
    this.changed.fire(record);
  }

  /** A migration failed during a verify: one Problems entry at the line that raised. */
  publishFailure(file: string, line: number, message: string): void {
    this.diagnostics.clear();
    this.diagnostics.set(vscode.Uri.file(file), [failureDiagnostic(line, message)]);
  }

  finish(outcome: VerifyOutcome): VerifyOutcome {
    this.finished.fire(outcome);
    return outcome;
  }

  clear(): void {
    this.latest = undefined;
    this.diagnostics.clear();
    void vscode.commands.executeCommand('setContext', ContextKeys.hasVerifyResult, false);
    this.changed.fire(undefined);
  }

  dispose(): void {
    this.diagnostics.dispose();
    this.changed.dispose();
    this.finished.dispose();
  }
}

export { VERIFY_DIAGNOSTIC_SOURCE };
