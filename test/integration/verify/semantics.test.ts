import { strict as assert } from 'node:assert';
import { startServer, type ProviderChoice, type ThrowawayServer } from '../../../src/core/postgres';
import { verifySquash, type VerifyResult } from '../../../src/core/verify';
import { clusterUnavailableReason, startCluster, type Cluster } from '../../support/pg-cluster';
import { replaceOnce, squashFixture, verifyOptions, withCreatedText, type Squashed } from './support';

// lossy-downgrade: seeds with now()/CURRENT_TIMESTAMP/gen_random_uuid() defaults, a serial advanced by
// seed inserts, and a history whose own downgrade leaves pg_trgm, re-adds a column at the end (empty),
// and restores a function body under another comment.
const PARENT = 'a1c0e5d2b301';

const lossyNotes = (r: VerifyResult) => r.information.filter((n) => n.where === 'downgrade').map((n) => `${n.kind} ${n.name}`);

describe('verify semantics: the chain\'s own downgrade, volatile seed values, sequences', function () {
  this.timeout(180_000);
  let shared: { server: ThrowawayServer; choice: ProviderChoice } | undefined;
  let middle: Squashed;
  before(async function () {
    if (clusterUnavailableReason()) this.skip();
    middle = await squashFixture('lossy-downgrade', 'b2d1f6e3c402', 'head');
    shared = await startServer({ provider: 'local' });
  });
  after(async () => shared?.server.dispose());

  const verify = (s: Squashed, change?: (text: string) => string) =>
    verifySquash(verifyOptions(s, { server: shared, ...(change ? { candidate: { kind: 'edits' as const, edits: withCreatedText(s.prepared.edits, change) } } : {}) }));

  it('a correct squash of a range with a lossy history downgrade is equal, and the lossy spots are information', async () => {
    const r = await verify(middle);
    assert.deepEqual(r.schema.differences, [], r.unifiedDiff);
    assert.deepEqual(r.data.differences, []);
    assert.deepEqual(r.data.sequences, []);
    assert.equal(r.downgrade?.target, PARENT);
    assert.deepEqual(r.downgrade?.schema.differences, []);
    assert.deepEqual(r.downgrade?.data.differences, []);
    assert.equal(r.equal, true);
    assert.deepEqual(lossyNotes(r), [
      'extension pg_trgm',
      'table public.statuses',
      'comment function public.status_label(c text)',
      'seed data public.statuses',
    ]);
    const notes = r.information.filter((n) => n.where === 'downgrade');
    assert.ok(notes.every((n) => n.message === "your history's downgrade is lossy here (not caused by the squash)"));
    assert.match(notes[1]!.detail, /column order differs: \(id, code, label, created_at, uuid\) vs \(id, code, created_at, uuid, label\)/);
    assert.match(notes[2]!.detail, /Label of a status code → Label of a status code \(restored\)/);
    // The columns whose default gives another value on every run are named, with their default.
    assert.deepEqual(r.data.leftOut.map((c) => `${c.table}.${c.column} ${c.default}`), [
      'public.priorities.added_at CURRENT_TIMESTAMP',
      'public.statuses.created_at now()',
      'public.statuses.uuid gen_random_uuid()',
    ]);
    assert.ok(r.texts.chain.includes('-- table public.tags'), 'the tip was captured');
  });

  it('a squash whose downgrade is cleaner than the chain\'s (drops pg_trgm) is equal too', async () => {
    const r = await verify(middle, (t) =>
      replaceOnce(t, "    op.drop_index('ix_statuses_code_trgm', table_name='statuses')", "    op.drop_index('ix_statuses_code_trgm', table_name='statuses')\n    op.execute('DROP EXTENSION pg_trgm')"),
    );
    assert.equal(r.equal, true, JSON.stringify(r.downgrade?.schema.differences));
    assert.ok(lossyNotes(r).includes('extension pg_trgm'));
  });

  it('a squash of the whole history from base is equal', async () => {
    const s = await squashFixture('lossy-downgrade', 'base', 'head');
    const r = await verify(s);
    assert.equal(r.equal, true, JSON.stringify([r.schema.differences, r.data.differences, r.downgrade]));
    assert.deepEqual(lossyNotes(r), ['extension pg_trgm']);
  });

  describe('with the chain\'s downgrade run only when needed (the snapshot strategy\'s proof)', () => {
    let whole: Squashed;
    before(async () => {
      whole = await squashFixture('lossy-downgrade', 'base', 'head');
    });
    const verifyWhenNeeded = async (change?: (text: string) => string) => {
      const log: string[] = [];
      const candidate = change ? { candidate: { kind: 'edits' as const, edits: withCreatedText(whole.prepared.edits, change) } } : {};
      const r = await verifySquash(verifyOptions(whole, { server: shared, ...candidate, chainDowngradeWhenNeeded: true, log: (l) => log.push(l) }));
      return { r, skipped: log.some((l) => /the chain's own downgrade is not run/.test(l)) };
    };
    const dropsTrgm = (t: string) => replaceOnce(t, "    op.drop_table('statuses')\n", "    op.drop_table('statuses')\n    op.execute('DROP EXTENSION pg_trgm')\n");

    it('a squash whose downgrade leaves an empty database: equal, and the chain\'s downgrade is not run', async () => {
      const { r, skipped } = await verifyWhenNeeded(dropsTrgm);
      assert.equal(r.equal, true, JSON.stringify(r.downgrade?.schema.differences));
      assert.equal(skipped, true);
      assert.deepEqual(lossyNotes(r), []);
    });

    it('a squash as lossy as the chain: the chain\'s downgrade is run, and it is equal to it', async () => {
      const { r, skipped } = await verifyWhenNeeded();
      assert.equal(skipped, false);
      assert.equal(r.equal, true, JSON.stringify(r.downgrade?.schema.differences));
      assert.deepEqual(lossyNotes(r), ['extension pg_trgm']);
    });

    it('a squash whose downgrade forgets a table: the chain\'s downgrade is run, and the table is the difference', async () => {
      const { r, skipped } = await verifyWhenNeeded((t) => replaceOnce(dropsTrgm(t), "    op.drop_table('tags')\n", ''));
      assert.equal(skipped, false);
      assert.equal(r.equal, false);
      assert.deepEqual(r.downgrade!.schema.differences.filter((d) => d.kind === 'table').map((d) => d.summary), ['table public.tags: only in the squash']);
    });
  });

  it('a missing seed row is named by its key', async () => {
    const r = await verify(middle, (t) => replaceOnce(t, `    op.execute("INSERT INTO statuses (code) VALUES ('blocked')")\n`, ''));
    assert.equal(r.equal, false);
    assert.deepEqual(r.data.differences.map((d) => d.summary), ['seed data public.statuses: row id=3 only in the chain']);
    assert.deepEqual(r.data.differences[0]!.missing.examples, [{ code: 'blocked', created_at: '‹default now()›', id: '3', uuid: '‹default gen_random_uuid()›' }]);
    // The squash never took a value from the serial: its position differs too.
    assert.deepEqual(r.data.sequences.map((d) => d.sequence), ['public.statuses_id_seq']);
  });

  it('a wrong explicit value', async () => {
    const r = await verify(middle, (t) => replaceOnce(t, "{'id': 2, 'name': 'later'}])\n", "{'id': 2, 'name': 'Later'}])\n"));
    assert.equal(r.equal, false);
    assert.deepEqual(r.schema.differences, []);
    assert.deepEqual(r.data.differences.map((d) => d.summary), ['seed data public.tags: row id=2: name later (chain) → Later (squash)']);
  });

  it('a sequence left behind its rows', async () => {
    // Same rows, but the id is given: the serial's sequence is not advanced, the next insert would collide.
    const r = await verify(middle, (t) => replaceOnce(t, `    op.execute("INSERT INTO statuses (code) VALUES ('blocked')")`, `    op.execute("INSERT INTO statuses (id, code) VALUES (3, 'blocked')")`));
    assert.equal(r.equal, false);
    assert.deepEqual(r.data.differences, []);
    assert.deepEqual(r.schema.differences, []);
    assert.equal(r.data.sequences.length, 1);
    const d = r.data.sequences[0]!;
    assert.equal(d.sequence, 'public.statuses_id_seq');
    assert.deepEqual([d.left.lastValue, d.left.isCalled, d.right.lastValue, d.right.isCalled], ['3', true, '2', true]);
    assert.match(d.summary, /chain at last value 3, squash at last value 2/);
  });

  it('a downgrade that forgets a table', async () => {
    const r = await verify(middle, (t) => replaceOnce(t, "    op.drop_table('tags')\n", ''));
    assert.equal(r.equal, false);
    assert.deepEqual(r.schema.differences, []);
    const down = r.downgrade!;
    assert.deepEqual(
      down.schema.differences.filter((d) => d.kind === 'table').map((d) => d.summary),
      ['table public.tags: only in the squash'],
    );
    assert.ok(down.schema.differences.every((d) => d.name.startsWith('public.tags') || d.name.startsWith('public.pk_tags')), JSON.stringify(down.schema.differences.map((d) => d.name)));
    assert.deepEqual(down.data.differences.map((d) => d.table), ['public.tags']);
  });

  it('a downgrade that restores neither the chain\'s nor the original function comment', async () => {
    const r = await verify(middle, (t) => replaceOnce(t, "IS 'Label of a status code (restored)'", "IS 'something else'"));
    assert.equal(r.equal, false);
    assert.deepEqual(r.downgrade!.schema.differences.map((d) => [d.kind, d.name, d.change]), [['comment', 'function public.status_label(c text)', 'changed']]);
    assert.match(r.downgrade!.schema.differences[0]!.summary, /Label of a status code \(restored\) → something else.*nor what an upgrade to a1c0e5d2b301 gives/);
  });
});

describe('verify semantics on the other back ends', function () {
  this.timeout(300_000);
  const expectEqualWithNotes = (r: VerifyResult) => {
    assert.equal(r.equal, true, JSON.stringify([r.schema.differences, r.data, r.downgrade?.schema.differences, r.downgrade?.data.differences]));
    assert.deepEqual(lossyNotes(r), ['extension pg_trgm', 'table public.statuses', 'comment function public.status_label(c text)', 'seed data public.statuses']);
    assert.deepEqual(r.data.leftOut.map((c) => c.column), ['added_at', 'created_at', 'uuid']);
  };

  it('embedded PGlite: the correct squash is equal, with the same information', async () => {
    const s = await squashFixture('lossy-downgrade', 'b2d1f6e3c402', 'head');
    const r = await verifySquash(verifyOptions(s, { provider: { provider: 'pglite' } }));
    assert.equal(r.provider.kind, 'pglite');
    expectEqualWithNotes(r);
  });

  describe('url (temp databases on a server the user names)', () => {
    let cluster: Cluster | undefined;
    before(async function () {
      if (clusterUnavailableReason()) this.skip();
      cluster = await startCluster();
    });
    after(async () => cluster?.stop());

    it('the correct squash is equal, with the same information', async () => {
      const s = await squashFixture('lossy-downgrade', 'b2d1f6e3c402', 'head');
      const r = await verifySquash(verifyOptions(s, { provider: { provider: 'url', databaseUrl: cluster!.url('postgres') } }));
      assert.equal(r.provider.kind, 'url');
      expectEqualWithNotes(r);
    });
  });
});
