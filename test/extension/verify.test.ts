// Verify in a real VS Code: as a task and as a command, on the local back end (real PostgreSQL, real Alembic).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SquashOutcome } from '../../src/extension/squash/flow';
import type { VerifyOutcome } from '../../src/extension/verify/results';
import { api, configPath, versions, versionsOnDisk, workspace } from './support';

const SYSTEM_PYTHON = '/usr/bin/python3';

function restoreVersions(original: Map<string, string>): void {
  for (const f of fs.readdirSync(versions)) if (f.endsWith('.py') && !original.has(f)) fs.rmSync(path.join(versions, f));
  for (const [f, text] of original) fs.writeFileSync(path.join(versions, f), text);
}

function next<T>(event: vscode.Event<T>): Promise<T> {
  return new Promise((resolve) => {
    const sub = event((value) => {
      sub.dispose();
      resolve(value);
    });
  });
}

function ourDiagnostics(): [vscode.Uri, vscode.Diagnostic[]][] {
  return vscode.languages
    .getDiagnostics()
    .map(([uri, ds]) => [uri, ds.filter((d) => d.source === 'Alembic Squash verify')] as [vscode.Uri, vscode.Diagnostic[]])
    .filter(([, ds]) => ds.length > 0);
}

function diffTabs(): vscode.TabInputTextDiff[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .map((t) => t.input)
    .filter((i): i is vscode.TabInputTextDiff => i instanceof vscode.TabInputTextDiff);
}

function tabLabels(): string[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => t.label);
}

async function text(uri: vscode.Uri): Promise<string> {
  return (await vscode.workspace.openTextDocument(uri)).getText();
}

describe('verify', function () {
  let original: Map<string, string>;

  before(async () => {
    await api();
    original = versionsOnDisk();
    const settings = vscode.workspace.getConfiguration('alembicSquash');
    await settings.update('python', SYSTEM_PYTHON, vscode.ConfigurationTarget.Workspace);
    await settings.update('provider', 'local', vscode.ConfigurationTarget.Workspace);
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('runs "verify base..head" from Tasks: squashing the whole history gives the same database', async () => {
    const a = await api();
    const tasks = await vscode.tasks.fetchTasks({ type: 'alembic-squash' });
    const task = tasks.find((t) => t.name === 'verify base..head');
    assert.ok(task, `tasks offered: ${tasks.map((t) => t.name).join(', ')}`);
    assert.equal(task.definition.project, 'alembic.ini');

    const finished = next(a.onDidFinishVerify);
    const ended = new Promise<void>((resolve) => {
      const sub = vscode.tasks.onDidEndTask((e) => {
        if (e.execution.task.name !== task.name) return;
        sub.dispose();
        resolve();
      });
    });
    await vscode.tasks.executeTask(task);
    const outcome = await finished;
    await ended;

    assert.equal(outcome.status, 'equal', JSON.stringify(outcome.reasons ?? outcome.record?.result.schema.differences));
    const result = outcome.record!.result;
    assert.equal(result.provider.kind, 'local');
    assert.equal(result.downgrade?.target, 'base');
    assert.equal(result.downgrade?.schema.equal, true);
    assert.ok(result.texts.chain.includes('projects'), 'the chain schema names the projects table');
    assert.equal(result.texts.chain, result.texts.squash);
    assert.deepEqual(ourDiagnostics(), []);
    assert.equal(a.schemaDifferences()[0]?.label, 'Equal');
    assert.deepEqual(versionsOnDisk(), original, 'a verify writes nothing into the project');
  });

  it('runs a tasks.json entry for a middle range through resolveTask', async () => {
    const a = await api();
    // Written through the configuration service, as the Tasks UI does: awaited until tasks.json is read again.
    const tasksConfig = vscode.workspace.getConfiguration('tasks');
    await tasksConfig.update('version', '2.0.0', vscode.ConfigurationTarget.Workspace);
    await tasksConfig.update(
      'tasks',
      [{ type: 'alembic-squash', command: 'verify', project: 'alembic.ini', from: '8a4e6b2c9f31', to: 'e91a4d6c0b27', provider: 'local', label: 'verify teams range' }],
      vscode.ConfigurationTarget.Workspace,
    );
    try {
      const task = (await vscode.tasks.fetchTasks({ type: 'alembic-squash' })).find((t) => t.name === 'verify teams range');
      assert.ok(task, 'the tasks.json entry is listed');
      const finished = next(a.onDidFinishVerify);
      await vscode.tasks.executeTask(task);
      const outcome = await finished;
      assert.equal(outcome.status, 'equal', JSON.stringify(outcome.reasons ?? outcome.record?.result.schema.differences));
      assert.equal(outcome.record!.result.downgrade?.target, '3f1c2a9b7d10');
    } finally {
      await tasksConfig.update('tasks', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('verifies a range from the command before anything is written', async () => {
    const outcome = await vscode.commands.executeCommand<VerifyOutcome>('alembicSquash.verifySquash', {
      configPath,
      from: '8a4e6b2c9f31',
      to: 'c2d9e1f4a5b6',
      interactive: false,
    });
    assert.equal(outcome?.status, 'equal', JSON.stringify(outcome?.reasons ?? outcome?.record?.result.schema.differences));
    assert.ok(outcome!.record!.title.includes('2 revisions'), outcome!.record!.title);
    assert.deepEqual(versionsOnDisk(), original);
  });

  it('finds a wrong squash: differences in Problems, in the Schema Differences view and in a diff editor', async () => {
    const a = await api();
    const squashed = await vscode.commands.executeCommand<SquashOutcome>('alembicSquash.squashRange', {
      configPath,
      from: '8a4e6b2c9f31',
      to: 'e91a4d6c0b27',
      revisionId: 'tip',
      interactive: false,
    });
    assert.equal(squashed?.status, 'applied', JSON.stringify(squashed));
    try {
      const file = squashed!.files!.find((f) => path.basename(f).startsWith('e91a4d6c0b27') && fs.existsSync(f))!;
      assert.ok(file, `squashed file among ${squashed!.files!.join(', ')}`);
      // The mistake: the squashed file creates the e-mail index without its uniqueness.
      const before = fs.readFileSync(file, 'utf8');
      const wrong = before.replace("[sa.text('lower(email)')], unique=True", "[sa.text('lower(email)')], unique=False");
      assert.notEqual(wrong, before, 'the squashed file creates ix_users_email_lower');
      fs.writeFileSync(file, wrong);

      const outcome = await vscode.commands.executeCommand<VerifyOutcome>('alembicSquash.verifySquash', { configPath, lastSquash: true, interactive: false });
      assert.equal(outcome?.status, 'different', JSON.stringify(outcome?.reasons));
      const differences = outcome!.record!.result.schema.differences;
      const index = differences.find((d) => d.kind === 'index' && d.name.includes('ix_users_email_lower'));
      assert.ok(index, `differences: ${differences.map((d) => `${d.kind} ${d.name}`).join(', ')}`);
      assert.equal(index.change, 'changed');
      assert.ok(index.left?.includes('UNIQUE') && !index.right?.includes('UNIQUE'), `${index.left} / ${index.right}`);

      // Problems: on the squashed file, at the line that names the index.
      const entries = ourDiagnostics();
      const onFile = entries.find(([uri]) => uri.fsPath === file)?.[1] ?? [];
      const entry = onFile.find((d) => d.message.includes('ix_users_email_lower'));
      assert.ok(entry, `Problems: ${JSON.stringify(entries.map(([u, ds]) => [u.fsPath, ds.map((d) => d.message)]))}`);
      assert.ok(wrong.split('\n')[entry.range.start.line]!.includes('ix_users_email_lower'));

      // The view: the index under its kind, described by its change.
      const view = a.schemaDifferences();
      const group = view.find((n) => n.label === 'index');
      assert.ok(group, JSON.stringify(view));
      assert.ok(group.children!.some((c) => c.label.includes('ix_users_email_lower') && c.description === 'changed'), JSON.stringify(group));

      // The diff editor: chain ↔ squash, the chain's side unique, the squash's not.
      const tab = diffTabs().find((t) => t.original.scheme === 'alembic-squash-schema');
      assert.ok(tab, `tabs: ${tabLabels().join(', ')}`);
      assert.ok(tabLabels().some((l) => /^Schema: chain ↔ squash \(\d+ differences?\)$/.test(l)), tabLabels().join(', '));
      assert.ok((await text(tab.original)).includes('CREATE UNIQUE INDEX ix_users_email_lower'));
      assert.ok(!(await text(tab.modified)).includes('CREATE UNIQUE INDEX ix_users_email_lower'));

      // Clicking the item opens just that object's diff.
      await vscode.commands.executeCommand('alembicSquash.openSchemaDifference', index);
      assert.ok(tabLabels().includes(`index ${index.name}: chain ↔ squash`), tabLabels().join(', '));
    } finally {
      restoreVersions(original);
    }
    assert.deepEqual(versionsOnDisk(), original);
  });
});

describe('schema documents', () => {
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Show Schema at Revision opens the schema the history gives there, read-only SQL', async () => {
    const outcome = await vscode.commands.executeCommand<{ status: string; uris?: vscode.Uri[] }>('alembicSquash.showSchemaAtRevision', {
      configPath,
      revision: 'c2d9e1f4a5b6',
      interactive: false,
    });
    assert.equal(outcome?.status, 'shown', JSON.stringify(outcome));
    const doc = vscode.window.activeTextEditor?.document;
    assert.ok(doc, 'an editor is open');
    assert.equal(doc.uri.scheme, 'alembic-squash-schema');
    assert.equal(doc.languageId, 'sql');
    const schema = doc.getText();
    assert.ok(schema.includes('ix_users_email_lower'), 'the index created at c2d9 is there');
    assert.ok(schema.includes('teams'), 'teams is not renamed yet at c2d9');
    assert.ok(!schema.includes('organizations'), 'the rename comes later');
    assert.ok(!schema.includes('projects'), 'projects comes later');
  });

  it('Compare with Parent on a tree revision diffs it against its parent', async () => {
    const a = await api();
    await a.ready;
    const state = a.ctx.store.all[0]!;
    const node = a.ctx.revisions.nodeOf(state, 'c2d9e1f4a5b6');
    assert.ok(node);
    const outcome = await vscode.commands.executeCommand<{ status: string; revisions?: string[]; differences?: number }>('alembicSquash.compareWithParent', node);
    assert.equal(outcome?.status, 'shown', JSON.stringify(outcome));
    assert.deepEqual(outcome!.revisions, ['8a4e6b2c9f31', 'c2d9e1f4a5b6']);
    assert.equal(outcome!.differences, 2, 'c2d9 adds two indexes');
    const tab = diffTabs().find((t) => t.original.scheme === 'alembic-squash-schema');
    assert.ok(tab, tabLabels().join(', '));
    assert.ok(tabLabels().includes('Schema: 8a4e6b2c ↔ c2d9e1f4 (2 differences)'), tabLabels().join(', '));
    assert.ok(!(await text(tab.original)).includes('ix_users_email_lower'));
    assert.ok((await text(tab.modified)).includes('ix_users_email_lower'));
  });
});
