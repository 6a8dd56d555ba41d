import { strict as assert } from 'node:assert';
import { compareTable, smallestChange, type SchemaObject, type SchemaSnapshot, type TableData } from '../../../src/core/schema';
import { judgeDowngrade } from '../../../src/core/verify/downgrade';
import type { CapturedDatabase } from '../../../src/core/verify/capture';

function db(objects: SchemaObject[], tables: TableData[] = []): CapturedDatabase {
  const schema: SchemaSnapshot = { source: 'catalog', objects: new Map(objects.map((o) => [`${o.kind} ${o.name}`, o])), normalizedDump: '' };
  return { schema, data: { tables: new Map(tables.map((t) => [t.table, t])), sequences: new Map() } };
}
const ext = (name: string): SchemaObject => ({ kind: 'extension', name, attributes: { extension: name } });
const table = (name: string, columns: string[]): SchemaObject => ({ kind: 'table', name, attributes: { table: 'table' }, columns });
const rows = (name: string, data: (string | null)[][], key?: string[]): TableData => ({ table: name, columns: ['id', 'name'], rows: data, truncated: false, key, leftOut: [] });

describe('judgeDowngrade: the squash\'s downgrade against the chain\'s own and the ideal', () => {
  it('copying the chain\'s lossy downgrade is right; the lossy spot is information', () => {
    const chain = db([ext('pg_trgm'), table('public.t', ['id', 'b', 'a'])]);
    const ideal = db([table('public.t', ['id', 'a', 'b'])]);
    const j = judgeDowngrade(chain, chain, ideal, 'r1');
    assert.deepEqual(j.schema.differences, []);
    assert.deepEqual(j.information.map((n) => `${n.kind} ${n.name}`), ['extension pg_trgm', 'table public.t']);
    assert.ok(j.information.every((n) => n.message === "your history's downgrade is lossy here (not caused by the squash)"));
  });

  it('being cleaner than the chain (reaching the ideal) is right too', () => {
    const chain = db([ext('pg_trgm')]);
    const ideal = db([]);
    const j = judgeDowngrade(chain, ideal, ideal, 'base');
    assert.equal(j.schema.equal, true);
    assert.equal(j.information.length, 1);
  });

  it('matching neither is a difference, shown against the chain\'s downgrade', () => {
    const ideal = db([]);
    const squash = db([table('public.tags', ['id'])]);
    const j = judgeDowngrade(ideal, squash, ideal, 'base');
    assert.deepEqual(j.schema.differences.map((d) => d.summary), ['table public.tags: only in the squash']);
    assert.deepEqual(j.information, []);
  });

  it('seed tables: rows the chain\'s downgrade loses are information, extra rows of the squash a difference', () => {
    const ideal = db([], [rows('public.s', [['1', 'open']], ['id'])]);
    const chain = db([], [rows('public.s', [['1', null]], ['id'])]);
    const wrong = db([], [rows('public.s', [['1', null], ['2', 'x']], ['id'])]);
    assert.equal(judgeDowngrade(chain, chain, ideal, 'r1').data.equal, true);
    const j = judgeDowngrade(chain, wrong, ideal, 'r1');
    assert.deepEqual(j.data.differences.map((d) => d.summary), ['seed data public.s: row id=2 only in the squash']);
    assert.deepEqual(j.information.map((n) => n.detail), ["seed data public.s: row id=1: name open (upgrade to r1) → NULL (chain's downgrade)"]);
  });
});

describe('compareTable and smallestChange', () => {
  it('matches rows by primary key and names the columns that differ', () => {
    const d = compareTable(rows('public.p', [['1', 'low'], ['2', 'high']], ['id']), rows('public.p', [['1', 'low'], ['2', 'High']], ['id']))!;
    assert.deepEqual(d.changed, [{ key: { id: '2' }, columns: ['name'], left: { id: '2', name: 'high' }, right: { id: '2', name: 'High' } }]);
    assert.equal(d.summary, 'seed data public.p: row id=2: name high (chain) → High (squash)');
  });

  it('without a primary key, rows are matched whole', () => {
    const d = compareTable(rows('public.p', [['1', 'a'], ['1', 'a']]), rows('public.p', [['1', 'a']]))!;
    assert.equal(d.missing.count, 1);
    assert.equal(d.changed.length, 0);
  });

  it('shows the smallest differing fragment of a long text', () => {
    assert.equal(
      smallestChange("SELECT t.id FROM tickets t WHERE t.status IN ('open', 'in_progress') ORDER BY t.id", "SELECT t.id FROM tickets t WHERE t.status = 'open' ORDER BY t.id"),
      "…tickets t WHERE t.status «IN ('open', 'in_progress')» → «= 'open'»…",
    );
  });
});
