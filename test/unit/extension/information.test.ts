import { strict as assert } from 'node:assert';
import type { VerifyRecord } from '../../../src/extension/verify/results';
import { informationOf } from '../../../src/extension/verify/information';

/** Only the parts of a verify result that information items are made of. */
function record(result: Partial<VerifyRecord['result']>, downgradeSkipped?: string): VerifyRecord {
  return { result: { information: [], data: { equal: true, differences: [], sequences: [], leftOut: [] }, ...result }, downgradeSkipped } as unknown as VerifyRecord;
}

describe('information items in Schema Differences', () => {
  it('lists the history\'s lossy downgrade, columns left out and the models apart from differences', () => {
    const items = informationOf(
      record({
        information: [{ where: 'downgrade', kind: 'extension', name: 'pg_trgm', message: "your history's downgrade is lossy here (not caused by the squash)", detail: 'the chain leaves pg_trgm installed' }],
        data: { equal: true, differences: [], sequences: [], leftOut: [{ table: 'public.genres', column: 'created_at', default: 'now()' }] } as never,
        models: { available: true, differences: ['add column books.isbn'], strict: false },
      }),
    );
    assert.deepEqual(
      items.map((i) => i.label),
      ['extension pg_trgm', 'public.genres.created_at not compared', 'Models differ'],
    );
    assert.match(items[0]!.detail, /not caused by the squash/);
    assert.match(items[1]!.detail, /now\(\)/);
  });

  it('says when the downgrade was not checked or the models could not be imported', () => {
    const items = informationOf(record({ downgrade: undefined, models: { available: false, differences: [], error: "env.py: No module named 'app'", strict: false } }, 'the range has no parent to go back to'));
    assert.deepEqual(items.map((i) => i.label), ['Downgrade not checked', 'Models not compared']);
    assert.match(items[1]!.detail, /No module named 'app'/);
  });

  it('names models that disagree under strict as what made the verify different', () => {
    const items = informationOf(record({ downgrade: {} as never, models: { available: true, differences: ['remove table legacy'], strict: true } }));
    assert.deepEqual(items.map((i) => i.label), ['Models differ (counts as a difference: strict)']);
  });
});
