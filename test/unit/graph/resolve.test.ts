import { strict as assert } from 'node:assert';
import {
  AmbiguousRevisionError,
  GraphError,
  MultipleHeadsError,
  RelativeRevisionError,
  ResolutionError,
  RevisionMap,
} from '../../../src/core/graph';
import { rev } from './helpers';

/**
 *   1975ea83b712 (core) ─ 27c6a30d7c24 ─┬─ 3f1a9c2e7b10 ─ 9c2e44d1f0a3
 *                                        └─ 3f1b00aa1111 (reporting) ─ e5b7d2c40c11
 * Expected answers below were checked against Alembic 1.8.1's RevisionMap on the same graph.
 */
const map = new RevisionMap([
  rev('1975ea83b712', [], { branchLabels: ['core'] }),
  rev('27c6a30d7c24', ['1975ea83b712']),
  rev('3f1a9c2e7b10', ['27c6a30d7c24']),
  rev('3f1b00aa1111', ['27c6a30d7c24'], { branchLabels: ['reporting'] }),
  rev('9c2e44d1f0a3', ['3f1a9c2e7b10']),
  rev('e5b7d2c40c11', ['3f1b00aa1111']),
]);

const ids = (spec: string) => map.getRevisions(spec).map((r) => r.revision);
const one = (spec: string) => map.getRevision(spec)?.revision ?? null;

describe('REV resolution', () => {
  it('takes a full id', () => {
    assert.equal(one('27c6a30d7c24'), '27c6a30d7c24');
  });

  it('takes a unique prefix of any length', () => {
    assert.equal(one('1975'), '1975ea83b712');
    assert.equal(one('19'), '1975ea83b712');
    assert.equal(one('3f1a'), '3f1a9c2e7b10');
  });

  it('refuses an ambiguous prefix, listing every candidate', () => {
    assert.throws(
      () => one('3f1'),
      (error: unknown) =>
        error instanceof AmbiguousRevisionError &&
        error instanceof ResolutionError &&
        error instanceof GraphError &&
        error.code === 'ambiguous-revision' &&
        error.argument === '3f1' &&
        error.candidates.join() === '3f1a9c2e7b10,3f1b00aa1111' &&
        error.message.includes('3f1a9c2e7b10') &&
        error.message.includes('3f1b00aa1111'),
    );
  });

  it('refuses an unknown id, hinting at four characters for short ones', () => {
    assert.throws(() => one('zzzz'), { code: 'unresolved-revision', argument: 'zzzz' });
    assert.throws(() => one('zz'), (e: unknown) => e instanceof ResolutionError && /four characters/.test(e.message));
  });

  it('takes a branch label for the revision that declares it, and a prefix of a label', () => {
    assert.equal(one('reporting'), '3f1b00aa1111');
    assert.equal(one('core'), '1975ea83b712');
    assert.equal(one('repo'), '3f1b00aa1111');
  });

  it('resolves base to nothing', () => {
    assert.equal(one('base'), null);
    assert.deepEqual(ids('base'), []);
    assert.deepEqual(ids('reporting@base'), []);
  });

  it('resolves heads to every (real) head', () => {
    assert.deepEqual(ids('heads'), ['9c2e44d1f0a3', 'e5b7d2c40c11']);
  });

  it('resolves heads to real heads only: a head another head depends_on is left out', () => {
    const withDependency = new RevisionMap([
      rev('acc1', [], { branchLabels: ['accounts'] }),
      rev('bil1', [], { dependencies: ['accounts'] }),
    ]);
    assert.deepEqual(withDependency.getRevisions('heads').map((r) => r.revision), ['bil1']);
    // `head` counts down_revision heads only, so it is still ambiguous (as in Alembic)
    assert.throws(() => withDependency.getRevision('head'), MultipleHeadsError);
  });

  it('refuses head when there are several heads', () => {
    assert.throws(
      () => one('head'),
      (error: unknown) =>
        error instanceof MultipleHeadsError &&
        error.code === 'multiple-heads' &&
        error.heads.join() === '9c2e44d1f0a3,e5b7d2c40c11',
    );
  });

  it('resolves head when there is one', () => {
    const linear = new RevisionMap([rev('aaaa1', []), rev('bbbb2', ['aaaa1'])]);
    assert.equal(linear.getRevision('head')?.revision, 'bbbb2');
    assert.equal(new RevisionMap([]).getRevision('head'), null);
  });

  it('resolves label@head and id@head to the head of that line', () => {
    assert.equal(one('reporting@head'), 'e5b7d2c40c11');
    assert.equal(one('3f1a@head'), '9c2e44d1f0a3');
    assert.equal(one('9c2e44d1f0a3@head'), '9c2e44d1f0a3');
    // core sits below the fork, so both heads share its lineage
    assert.throws(() => one('core@head'), (e: unknown) => e instanceof MultipleHeadsError && e.argument === 'core@head');
    assert.deepEqual(ids('core@heads'), ['9c2e44d1f0a3', 'e5b7d2c40c11']);
    assert.deepEqual(ids('reporting@heads'), ['e5b7d2c40c11']);
  });

  it('resolves label@prefix within the branch only', () => {
    assert.equal(one('reporting@27c6'), '27c6a30d7c24');
    // the prefix is ambiguous globally but not within the branch
    assert.equal(one('reporting@3f1'), '3f1b00aa1111');
    assert.equal(one('e5b7@1975'), '1975ea83b712');
    assert.throws(() => one('reporting@9c2e'), ResolutionError);
  });

  it('refuses an unknown branch', () => {
    assert.throws(() => one('nolabel@head'), (e: unknown) => e instanceof ResolutionError && /nolabel/.test(e.message));
  });

  describe('relative forms', () => {
    it('walks up from base and from a revision', () => {
      assert.equal(one('base+1'), '1975ea83b712');
      assert.equal(one('base+2'), '27c6a30d7c24');
      assert.equal(one('reporting@27c6+1'), '3f1b00aa1111');
    });

    it('walks down from a revision or a head, reaching base', () => {
      assert.equal(one('9c2e-1'), '3f1a9c2e7b10');
      assert.equal(one('reporting@head-2'), '27c6a30d7c24');
      assert.equal(one('1975ea83b712-1'), null);
      assert.equal(one('9c2e-4'), null);
    });

    it('walks down from the heads with -N', () => {
      assert.deepEqual(ids('-1'), ['3f1a9c2e7b10', '3f1b00aa1111']);
      assert.deepEqual(ids('reporting@-1'), ['3f1b00aa1111']);
      assert.throws(() => one('-1'), MultipleHeadsError);
    });

    it('refuses a walk through a fork', () => {
      assert.throws(() => one('base+3'), (e: unknown) => e instanceof RelativeRevisionError && /3f1a9c2e7b10/.test(e.message));
      assert.throws(() => one('1975+2'), RelativeRevisionError);
    });

    it('refuses a walk past either end', () => {
      assert.throws(() => one('9c2e-5'), { code: 'relative-revision' });
      assert.throws(() => one('9c2e+1'), { code: 'relative-revision' });
    });

    it('refuses +N without a start, since no database is known', () => {
      assert.throws(() => one('+2'), { code: 'relative-revision' });
    });

    it('refuses head-1 when head is ambiguous', () => {
      assert.throws(() => one('core@head-1'), MultipleHeadsError);
    });
  });
});
