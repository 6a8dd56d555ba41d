import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { MigrationFailedError } from '../../../src/core/alembic';
import { startServer, type ProviderChoice, type ThrowawayServer } from '../../../src/core/postgres';
import { VerifyMigrationError, verifySquash, type VerifyResult } from '../../../src/core/verify';
import { clusterUnavailableReason } from '../../support/pg-cluster';
import { replaceOnce, squashFixture, verifyOptions, withCreatedText, type Squashed } from './support';

const PHASES = ['start', 'migrate-chain', 'migrate-squash', 'capture', 'compare', 'downgrade', 'cleanup'] as const;

function assertEqualResult(r: VerifyResult, downgradeTarget: string) {
  assert.deepEqual(r.schema.differences, [], r.unifiedDiff);
  assert.deepEqual(r.data.differences, []);
  assert.ok(r.downgrade, 'the downgrade was checked');
  assert.equal(r.downgrade.target, downgradeTarget);
  assert.deepEqual(r.downgrade.schema.differences, []);
  assert.equal(r.equal, true);
  assert.equal(r.unifiedDiff, '');
  assert.equal(r.texts.chain, r.texts.squash);
  assert.equal(r.provider.kind, 'local');
  for (const p of PHASES) assert.equal(typeof r.timings[p], 'number', `timing for ${p}`);
}

describe('verifySquash: chain vs squash on a real PostgreSQL with real Alembic', function () {
  this.timeout(180_000);
  before(function () {
    if (clusterUnavailableReason()) this.skip();
  });

  describe('equal squashes pass', () => {
    it('views-functions-triggers base..head: enum ADD VALUE, identity/serial, views, matview, plpgsql, triggers, pg_trgm, comments, seeds, merge, depends_on', async () => {
      const s = await squashFixture('views-functions-triggers', 'base', 'head');
      const r = await verifySquash(verifyOptions(s));
      assertEqualResult(r, 'base');
      // The comparison really saw the objects of this history (an empty capture would also be "equal").
      for (const expected of [
        "'in_progress',\n    'blocked',\n    'closed'",
        'CREATE VIEW public.open_tickets',
        'CREATE MATERIALIZED VIEW public.ticket_counts_by_status',
        'CREATE FUNCTION public.tickets_touch()',
        "RAISE NOTICE 'ticket % touched (status %)'",
        'CREATE TRIGGER tickets_log_status',
        'USING gin (title public.gin_trgm_ops)',
        'GENERATED ALWAYS AS IDENTITY',
        "COMMENT ON VIEW public.open_tickets IS 'Tickets someone still has to work on'",
      ]) {
        assert.ok(r.texts.chain.includes(expected), `chain schema shows ${expected}`);
      }
    });

    it('views-functions-triggers: the seed rows are compared, not just the schema', async () => {
      // The same squash, but the candidate's seed row differs in one value: data must catch it.
      const s = await squashFixture('views-functions-triggers', 'base', 'head');
      const edits = withCreatedText(s.prepared.edits, (t) => replaceOnce(t, "{'id': 2, 'name': 'normal', 'rank': 20}", "{'id': 2, 'name': 'normal', 'rank': 25}"));
      const r = await verifySquash(verifyOptions(s, { candidate: { kind: 'edits', edits } }));
      assert.equal(r.equal, false);
      assert.deepEqual(r.schema.differences, []);
      assert.deepEqual(r.data.differences.map((d) => d.table), ['public.priorities']);
      // Rows are matched by primary key: the same row with another value, named by its key.
      const d = r.data.differences[0]!;
      assert.deepEqual(d.key, ['id']);
      assert.deepEqual([d.missing.count, d.extra.count], [0, 0]);
      assert.deepEqual(d.changed, [{ key: { id: '2' }, columns: ['rank'], left: { id: '2', name: 'normal', rank: '20' }, right: { id: '2', name: 'normal', rank: '25' } }]);
      assert.equal(d.summary, 'seed data public.priorities: row id=2: rank 20 (chain) → 25 (squash)');
    });

    for (const [fixture, from, to, options] of [
      ['branch-merge', 'base', 'head', undefined],
      ['merge-three', 'base', 'head', undefined],
      ['depends-on', 'base', 'head', undefined],
      // One member's downgrade is `pass` (irreversible but harmless): keep it as a comment.
      ['data-migrations', 'base', 'head', { partialDowngrade: 'comment' as const }],
    ] as const) {
      it(`${fixture} ${from}..${to}`, async () => {
        const s = await squashFixture(fixture, from, to, options);
        const r = await verifySquash(verifyOptions(s));
        assertEqualResult(r, 'base');
        assert.ok(r.texts.chain.includes('-- table public.'), 'tables were captured');
      });
    }

    it('data-migrations: the seed rows of the chain are found in the squash', async () => {
      const s = await squashFixture('data-migrations', 'base', 'head', { partialDowngrade: 'comment' });
      const edits = withCreatedText(s.prepared.edits, (t) => replaceOnce(t, "{'code': 'SE', 'name': 'Sweden', 'eu_member': True},", ''));
      const r = await verifySquash(verifyOptions(s, { candidate: { kind: 'edits', edits }, downgradeTo: undefined }));
      assert.equal(r.equal, false);
      const d = r.data.differences.find((x) => x.table === 'public.countries');
      assert.ok(d, JSON.stringify(r.data.differences));
      assert.deepEqual(d.missing.examples.map((row) => row.code?.trim()), ['SE']);
    });

    it('a middle range of linear with a new id: children rewired, downgrade goes to the range parent', async () => {
      const s = await squashFixture('linear', '8a4e6b2c9f31', 'e91a4d6c0b27', { revisionId: 'new' });
      assert.notEqual(s.prepared.plan.newRevision, 'e91a4d6c0b27');
      assert.deepEqual(s.prepared.plan.children.map((c) => c.revision), ['0d3b8f5a61c9']);
      const modified = s.prepared.edits.filter((e) => e.kind === 'modify');
      assert.equal(modified.length, 1, 'the child of the range is rewired');
      const parentOfRange = s.prepared.scripts.map.get('8a4e6b2c9f31')!.downRevisions;
      assert.deepEqual([s.parent], parentOfRange);
      const r = await verifySquash(verifyOptions(s));
      assertEqualResult(r, parentOfRange[0]!);
      assert.ok(r.texts.chain.includes('public.organizations') && r.texts.chain.includes('public.projects'));
      // At the parent, the teams/organizations of the range do not exist yet.
      assert.ok(!r.downgrade!.texts.chain.includes('public.organizations'));
      assert.ok(r.downgrade!.texts.chain.includes('-- table public.users'));
    });
  });

  describe('wrong squashes are reported naming the object', () => {
    let shared: { server: ThrowawayServer; choice: ProviderChoice } | undefined;
    let vft: Squashed;
    before(async () => {
      vft = await squashFixture('views-functions-triggers', 'base', 'head');
      // One warm server for these cases: verify drops its databases and leaves the server running.
      shared = await startServer({ provider: 'local' });
    });
    after(async () => shared?.server.dispose());

    const wrong = (change: (text: string) => string) =>
      verifySquash(verifyOptions(vft, { server: shared, candidate: { kind: 'edits', edits: withCreatedText(vft.prepared.edits, change) } }));

    it('a missing index', async () => {
      const r = await wrong((t) =>
        replaceOnce(t, "op.create_index('ux_ticket_counts_by_status', 'ticket_counts_by_status', ['status'], unique=True)", 'pass'),
      );
      assert.equal(r.equal, false);
      assert.deepEqual(
        r.schema.differences.map((d) => [d.kind, d.name, d.change]),
        [['index', 'public.ux_ticket_counts_by_status', 'removed']],
      );
      const d = r.schema.differences[0]!;
      assert.match(d.left ?? '', /CREATE UNIQUE INDEX ux_ticket_counts_by_status/);
      assert.equal(d.right, undefined);
      assert.deepEqual(r.data.differences, []);
      assert.equal(r.downgrade?.schema.equal, true);
      assert.match(r.unifiedDiff, /^-CREATE UNIQUE INDEX ux_ticket_counts_by_status/m);
    });

    it('a changed view definition', async () => {
      const r = await wrong((t) => replaceOnce(t, "WHERE t.status IN ('open', 'in_progress')", "WHERE t.status = 'open'"));
      assert.equal(r.equal, false);
      assert.deepEqual(r.schema.differences.map((d) => [d.kind, d.name, d.change]), [['view', 'public.open_tickets', 'changed']]);
      const d = r.schema.differences[0]!;
      assert.match(d.left ?? '', /in_progress/);
      assert.doesNotMatch(d.right ?? '', /in_progress/);
    });

    it('a missing seed row', async () => {
      const r = await wrong((t) => replaceOnce(t, "{'priority_id': 3, 'first_response': timedelta(minutes=30), 'resolution': timedelta(hours=8)},", ''));
      assert.equal(r.equal, false);
      assert.deepEqual(r.schema.differences, []);
      assert.equal(r.data.differences.length, 1);
      const d = r.data.differences[0]!;
      assert.equal(d.table, 'public.sla_policies');
      assert.equal(d.leftCount, 3);
      assert.equal(d.rightCount, 2);
      assert.deepEqual(d.missing.examples, [{ id: '3', priority_id: '3', first_response: '00:30:00', resolution: '08:00:00' }]);
      assert.deepEqual(d.extra.examples, []);
    });

    it('columns created in another order', async () => {
      const r = await wrong((t) =>
        replaceOnce(
          t,
          "sa.Column('name', sa.String(length=20), nullable=False),\n        sa.Column('rank', sa.SmallInteger(), nullable=False),",
          "sa.Column('rank', sa.SmallInteger(), nullable=False),\n        sa.Column('name', sa.String(length=20), nullable=False),",
        ),
      );
      assert.equal(r.equal, false);
      const table = r.schema.differences.filter((d) => d.kind === 'table');
      assert.deepEqual(table.map((d) => [d.name, d.change]), [['public.priorities', 'changed']]);
      assert.match(table[0]!.detail, /column order/);
      assert.match(table[0]!.detail, /id, name, rank/);
      assert.match(table[0]!.detail, /id, rank, name/);
      // Nothing else about the columns differs.
      assert.deepEqual(r.schema.differences.filter((d) => d.kind !== 'table'), []);
    });

    it('enum labels in another order', async () => {
      const r = await wrong((t) => replaceOnce(t, "postgresql.ENUM('open', 'in_progress', 'closed', name='ticket_status')", "postgresql.ENUM('in_progress', 'open', 'closed', name='ticket_status')"));
      assert.equal(r.equal, false);
      assert.deepEqual(r.schema.differences.map((d) => [d.kind, d.name, d.change]), [['type', 'public.ticket_status', 'changed']]);
      assert.match(r.schema.differences[0]!.detail, /label order/);
    });

    it('a downgrade that leaves a table behind', async () => {
      // Without drop_table the FK to priorities would stop the rest of the downgrade; drop only the FK.
      const r = await wrong((t) =>
        replaceOnce(t, "op.drop_table('sla_policies')", "op.drop_constraint('sla_policies_priority_id_fkey', 'sla_policies', type_='foreignkey')"),
      );
      assert.equal(r.equal, false);
      assert.deepEqual(r.schema.differences, [], 'the upgrade itself is right');
      assert.deepEqual(r.data.differences, []);
      const down = r.downgrade!;
      assert.equal(down.target, 'base');
      assert.equal(down.schema.equal, false);
      const tables = down.schema.differences.filter((d) => d.kind === 'table');
      assert.deepEqual(tables.map((d) => [d.name, d.change]), [['public.sla_policies', 'added']]);
      assert.ok(down.schema.differences.every((d) => d.name.startsWith('public.sla_policies') && d.change === 'added'), JSON.stringify(down.schema.differences.map((d) => d.name)));
      assert.ok(down.texts.squash.includes('public.sla_policies') && !down.texts.chain.includes('public.sla_policies'));
    });

    it('a squash migration that raises names the revision and the file of the squash', async () => {
      const marker = '    op.execute("ALTER TYPE ticket_status ADD VALUE';
      const edits = withCreatedText(vft.prepared.edits, (t) => replaceOnce(t, marker, `    raise RuntimeError('planted failure')\n${marker}`));
      const created = edits.find((e) => e.kind === 'create')!;
      assert.equal(created.kind, 'create');
      const line = created.text.split('\n').findIndex((l) => l.includes('planted failure')) + 1;
      const error = await verifySquash(verifyOptions(vft, { server: shared, candidate: { kind: 'edits', edits } })).then(
        () => assert.fail('verify should fail'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof VerifyMigrationError, String(error));
      assert.equal(error.side, 'squash');
      assert.match(error.step, /^upgrade/);
      const cause = error.cause;
      assert.ok(cause instanceof MigrationFailedError, String(cause));
      assert.equal(cause.revision, 'e73dbc014db1');
      assert.equal(cause.errorType, 'RuntimeError');
      assert.equal(cause.line, line);
      // Reported where the user will find the file once written, not in the deleted temp copy.
      assert.equal(cause.file, created.path);
      assert.equal(path.basename(cause.file), path.basename(created.path));
      assert.match(error.message, /e73dbc014db1/);
    });
  });
});
