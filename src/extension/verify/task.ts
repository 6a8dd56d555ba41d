import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Provider } from '../config';
import { TASK_TYPE } from '../constants';
import type { Ctx } from '../ctx';
import type { ProjectState } from '../state/projects';
import { eventLine, paint, resultLines } from './format';
import { presentDifferences } from './present';
import { runVerify } from './run';

/** Mirrors `taskDefinitions` in package.json: what a tasks.json entry may say. */
export interface VerifyTaskDefinition extends vscode.TaskDefinition {
  type: typeof TASK_TYPE;
  command: 'verify';
  /** The project's alembic.ini or pyproject.toml, relative to the workspace folder. Default: the only project. */
  project?: string;
  /** First revision of the range (default `base`). */
  from?: string;
  /** Tip of the range (default `head`). */
  to?: string;
  /** Overrides the `alembicSquash.provider` setting. */
  provider?: Provider;
}

/** Verify tasks: "verify base..head" per project, and any tasks.json entry of this type. */
export class VerifyTaskProvider implements vscode.TaskProvider {
  constructor(private readonly ctx: Ctx) {}

  async provideTasks(): Promise<vscode.Task[]> {
    await this.ctx.store.ready;
    const states = this.ctx.store.all.filter((s) => s.project.configPath);
    return states.map((state) => {
      const definition: VerifyTaskDefinition = {
        type: TASK_TYPE,
        command: 'verify',
        project: path.relative(state.folder.uri.fsPath, state.project.configPath!).split(path.sep).join('/'),
        from: 'base',
        to: 'head',
      };
      const name = `verify base..head${states.length > 1 ? ` (${definition.project})` : ''}`;
      return this.task(definition, state.folder, name);
    });
  }

  resolveTask(task: vscode.Task): vscode.Task | undefined {
    const definition = task.definition as VerifyTaskDefinition;
    if (definition.command !== 'verify') return undefined;
    // The same definition object must come back: VS Code matches the resolved task to the tasks.json entry by it.
    return this.task(definition, task.scope ?? vscode.TaskScope.Workspace, task.name);
  }

  private task(definition: VerifyTaskDefinition, scope: vscode.WorkspaceFolder | vscode.TaskScope, name: string): vscode.Task {
    const execution = new vscode.CustomExecution(async (resolved) => new VerifyTerminal(this.ctx, resolved as VerifyTaskDefinition, scope));
    const task = new vscode.Task(definition, scope, name, 'Alembic Squash', execution, []);
    task.group = vscode.TaskGroup.Test;
    task.detail = `Squash ${definition.from ?? 'base'}..${definition.to ?? 'head'} in memory and compare it with the chain on a throwaway PostgreSQL`;
    task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, clear: true };
    return task;
  }
}

/** Streams a verify into the task's terminal; closing the terminal (terminate) cancels it. */
class VerifyTerminal implements vscode.Pseudoterminal {
  private readonly written = new vscode.EventEmitter<string>();
  private readonly closed = new vscode.EventEmitter<number>();
  readonly onDidWrite = this.written.event;
  readonly onDidClose = this.closed.event;
  private readonly abort = new AbortController();
  private readonly color = true;

  constructor(
    private readonly ctx: Ctx,
    private readonly definition: VerifyTaskDefinition,
    private readonly scope: vscode.WorkspaceFolder | vscode.TaskScope,
  ) {}

  open(): void {
    void this.run().then((code) => this.closed.fire(code));
  }

  close(): void {
    this.abort.abort();
  }

  handleInput(data: string): void {
    if (data === '\x03') {
      this.line(paint(this.color, 'yellow', 'cancelling…'));
      this.abort.abort();
    }
  }

  private line(text = ''): void {
    // A terminal needs CRLF.
    this.written.fire(`${text.split('\n').join('\r\n')}\r\n`);
  }

  private async run(): Promise<number> {
    const d = this.definition;
    if (!vscode.workspace.isTrusted) {
      this.line(paint(this.color, 'red', 'Verify runs this project\'s Python code: trust the workspace to run it (Restricted Mode).'));
      this.ctx.verifications.finish({ status: 'refused', reasons: ['Restricted Mode'] });
      return 2;
    }
    const state = await this.project();
    if (!state) return 2;
    const from = d.from ?? 'base';
    const to = d.to ?? 'head';
    this.line(paint(this.color, 'bold', `Verifying the squash of ${from}..${to} in ${path.basename(state.project.configPath ?? state.project.here)} against the chain`));
    const outcome = await runVerify(this.ctx, state, { kind: 'range', from, to }, {
      signal: this.abort.signal,
      provider: d.provider,
      onEvent: (e) => {
        const text = eventLine(e, this.color);
        if (text) this.line(text);
      },
      onLine: (l) => l.startsWith('Alembic ') && this.line(paint(this.color, 'gray', l)),
      onImage: (text) => this.line(paint(this.color, 'gray', text)),
    });
    if (outcome.record) {
      for (const l of resultLines(outcome.record.result, this.color, outcome.record.downgradeSkipped)) this.line(l);
      await presentDifferences(this.ctx, outcome.record);
      return outcome.status === 'equal' ? 0 : 1;
    }
    if (outcome.status === 'cancelled') {
      this.line(paint(this.color, 'yellow', 'cancelled: the throwaway databases and server were removed'));
      return 130;
    }
    this.line(paint(this.color, 'red', outcome.status === 'refused' ? 'Cannot verify:' : 'Verify failed:'));
    for (const r of outcome.reasons ?? []) this.line(`  ${r}`);
    return outcome.status === 'refused' ? 2 : 3;
  }

  private async project(): Promise<ProjectState | undefined> {
    await this.ctx.store.ready;
    const folder = typeof this.scope === 'object' ? this.scope.uri.fsPath : vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const wanted = this.definition.project;
    const state = wanted ? this.ctx.store.find(path.resolve(folder ?? '', wanted)) : this.ctx.store.all.length === 1 ? this.ctx.store.all[0] : undefined;
    if (!state) {
      const known = this.ctx.store.all.map((s) => s.project.configPath ?? s.project.here).join(', ') || 'none';
      this.line(paint(this.color, 'red', wanted ? `No Alembic project at ${wanted} (projects: ${known}).` : `Set "project" in the task: this workspace has several projects (${known}).`));
      this.ctx.verifications.finish({ status: 'refused', reasons: ['no such project'] });
    }
    return state;
  }
}
