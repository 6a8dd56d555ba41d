import { strict as assert } from 'node:assert';
import type { TableDataDifference } from '../../../src/core/schema';
import { dataRows, rowTexts } from '../../../src/extension/verify/dataRows';

const countries: TableDataDifference = {
  table: 'public.countries',
  change: 'changed',
  leftCount: 3,
  rightCount: 3,
  missing: { count: 1, examples: [{ id: '10', code: 'FR', name: 'France' }] },
  extra: { count: 1, examples: [{ id: '11', code: 'IT', name: 'Italy' }] },
  changed: [{ key: { id: '2' }, columns: ['name'], left: { id: '2', code: 'DE', name: 'Germany' }, right: { id: '2', code: 'DE', name: 'Deutschland' } }],
  changedCount: 1,
  key: ['id'],
  detail: '3 rows differ',
  summary: 'public.countries: row id=2 name Germany (chain) → Deutschland (squash)',
};

describe('seed-data rows side by side', () => {
  it('pairs rows by key, sorts them by it (numbers as numbers) and names the differing columns', () => {
    const rows = dataRows(countries);
    assert.deepEqual(rows.key, ['id']);
    assert.deepEqual(rows.pairs.map((p) => p.key), ['2', '10', '11']);
    assert.deepEqual(rows.pairs[0]!.differing, ['name']);
    assert.equal(rows.pairs[1]!.squash, undefined);
    assert.deepEqual(rows.pairs[1]!.differing, ['id', 'code', 'name']);
  });

  it('puts each key on the same line on both sides', () => {
    const { chain, squash } = rowTexts(dataRows(countries));
    const c = chain.split('\n');
    const s = squash.split('\n');
    assert.equal(c.length, s.length);
    const row = c.findIndex((l) => l.includes('"Germany"'));
    assert.ok(s[row]!.includes('"Deutschland"'), s.join('\n'));
    assert.ok(s[row + 1]!.startsWith('(no row with id = 10)'));
    assert.ok(c[row + 2]!.startsWith('(no row with id = 11)'));
  });
});
