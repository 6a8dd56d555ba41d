// The Alembic: Graph panel and the Databases view in a real extension host, on the `linear` fixture.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { GraphPanel } from '../../src/extension/graph/panel';
import { api, versions, workspace } from './support';

const NEWEST_FIRST = ['0d3b8f5a61c9', 'e91a4d6c0b27', '5b7f0c3d2e84', 'c2d9e1f4a5b6', '8a4e6b2c9f31', '3f1c2a9b7d10'];

/** Resolves when the panel has posted a message of `type` for which `until` holds. */
function posted(panel: GraphPanel, type: string, until: () => boolean = () => true): Promise<void> {
  return new Promise((resolve) => {
    const sub = panel.onDidPost((m) => {
      if (m.type !== type || !until()) return;
      sub.dispose();
      resolve();
    });
  });
}

describe('Alembic: Graph panel', () => {
  let panel: GraphPanel;
  after(() => panel?.dispose());

  it('opens from the command and draws every revision with its shortest unique id, head and base', async () => {
    const a = await api();
    panel = (await vscode.commands.executeCommand<GraphPanel>('alembicSquash.showGraph'))!;
    if (!panel.lastView) await posted(panel, 'graph');
    const view = panel.lastView!;
    assert.deepEqual(view.rows.map((r) => r.revision), NEWEST_FIRST);
    assert.equal(view.rows[0]!.shortId, '0d3b8f5a');
    assert.ok(view.rows[0]!.head && view.rows[5]!.base);
    assert.equal(view.width, 1);
    assert.equal(a.graphPanel, panel);
  });

  it('marks the revision of the active editor', async () => {
    const marked = posted(panel, 'active', () => panel.lastActive === 'e91a4d6c0b27');
    const file = fs.readdirSync(versions).find((f) => f.startsWith('e91a4d6c0b27'))!;
    await vscode.window.showTextDocument(vscode.Uri.file(path.join(versions, file)), { preview: true, viewColumn: vscode.ViewColumn.Beside });
    await marked;
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('checks a click + shift-click range at once: squashable, with its from..to', async () => {
    const checked = posted(panel, 'check');
    await panel.handle({ type: 'select', anchor: '5b7f0c3d2e84', revision: '8a4e6b2c9f31', extend: true, toggle: false, current: [] });
    await checked;
    const check = panel.lastCheck!;
    assert.equal(check.ok, true);
    assert.deepEqual(check.revisions.sort(), ['5b7f0c3d2e84', '8a4e6b2c9f31', 'c2d9e1f4a5b6']);
    assert.equal(check.from, '8a4e6b2c9f31');
    assert.equal(check.to, '5b7f0c3d2e84');
  });

  it('refuses a selection with a gap, says why and names the offending edge', async () => {
    const checked = posted(panel, 'check');
    await panel.handle({ type: 'select', anchor: '5b7f0c3d2e84', revision: '8a4e6b2c9f31', extend: false, toggle: true, current: ['5b7f0c3d2e84'] });
    await checked;
    const check = panel.lastCheck!;
    assert.equal(check.ok, false);
    assert.ok(check.reasons.some((r) => /c2d9e1f4a5b6 \(outside\) branches off 8a4e6b2c9f31, which is inside the range but is not its tip/.test(r)), check.reasons.join('\n'));
    const edges = check.edges.map((i) => panel.lastView!.edges[i]!);
    // Two newest revisions: what branches off either one is an edge into the range's interior.
    assert.deepEqual(edges.map(([child, parent]) => `${child}>${parent}`).sort(), ['c2d9e1f4a5b6>8a4e6b2c9f31', 'e91a4d6c0b27>5b7f0c3d2e84']);
  });

  it('follows a new revision file live', async () => {
    const file = path.join(versions, 'aa11bb22cc44_add_audit.py');
    const grew = posted(panel, 'graph', () => panel.lastView?.rows[0]?.revision === 'aa11bb22cc44');
    fs.writeFileSync(
      file,
      `"""add audit\n\nRevision ID: aa11bb22cc44\nRevises: 0d3b8f5a61c9\nCreate Date: 2024-04-01 09:00:00\n\n"""\nfrom alembic import op\nimport sqlalchemy as sa\n\nrevision = 'aa11bb22cc44'\ndown_revision = '0d3b8f5a61c9'\nbranch_labels = None\ndepends_on = None\n\n\ndef upgrade():\n    op.execute("INSERT INTO users (email) VALUES ('a@b')")\n\n\ndef downgrade():\n    pass\n`,
    );
    try {
      await grew;
      // The data-operation badge arrives from the background classifier.
      if (!panel.lastView!.rows[0]!.data) await posted(panel, 'graph', () => panel.lastView!.rows[0]!.data === 1);
      assert.equal(panel.lastView!.rows[0]!.data, 1);
      const a = await api();
      assert.match(a.revisionTree()[0]!.description ?? '', /· data 1$/);
    } finally {
      const shrank = posted(panel, 'graph', () => panel.lastView?.rows[0]?.revision === '0d3b8f5a61c9');
      fs.rmSync(file, { force: true });
      await shrank;
    }
  });
});

// Positions on real PostgreSQL are covered by test/integration/databases and the UI scenario; the
// host test needs no server of its own (starting one blocks the host while initdb runs).
describe('Databases view', () => {
  it('shows a database that cannot be reached with the reason, and never its password', async () => {
    const a = await api();
    await vscode.commands.executeCommand('alembicSquash.addDatabase', { name: 'gone', url: 'postgresql://app:Pw-9x@127.0.0.1:1/prod' });
    const gone = a.databases.snapshot().find((d) => d.name === 'gone')!;
    assert.equal(gone.description, 'unreachable');
    assert.match(gone.children[0]!.description!, /cannot connect to 127\.0\.0\.1:1\/prod as app/);
    assert.ok(!JSON.stringify(a.databases.snapshot()).includes('Pw-9x'));
    await vscode.commands.executeCommand('alembicSquash.removeDatabase', { id: a.databases.all.find((d) => d.connection.name === 'gone')!.connection.id });
    assert.equal(a.databases.snapshot().length, 0);
  });
});
