import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { schemasAt, verifySquash } from '../../../src/core/verify';
import { clusterUnavailableReason } from '../../support/pg-cluster';
import { census, leftSince, PYTHON, replaceOnce, squashFixture, verifyOptions, withCreatedText } from './support';

describe('verify on other back ends, and schemasAt', function () {
  this.timeout(300_000);

  describe('embedded PGlite', () => {
    it('an equal squash of linear passes', async () => {
      const before = census();
      const s = await squashFixture('linear', 'base', 'head');
      const r = await verifySquash(verifyOptions(s, { provider: { provider: 'pglite' } }));
      assert.equal(r.provider.kind, 'pglite');
      assert.deepEqual(r.schema.differences, [], r.unifiedDiff);
      assert.equal(r.downgrade?.schema.equal, true);
      assert.equal(r.equal, true);
      assert.ok(r.texts.chain.includes('-- table public.projects'));
      assert.deepEqual(leftSince(before), { processes: [], folders: [] });
    });

    it('a missing index is found', async () => {
      const s = await squashFixture('views-functions-triggers', 'base', 'head');
      const edits = withCreatedText(s.prepared.edits, (t) =>
        replaceOnce(t, "op.create_index('ux_ticket_counts_by_status', 'ticket_counts_by_status', ['status'], unique=True)", 'pass'),
      );
      const r = await verifySquash(verifyOptions(s, { provider: { provider: 'pglite' }, candidate: { kind: 'edits', edits }, downgradeTo: undefined }));
      assert.equal(r.provider.kind, 'pglite');
      assert.equal(r.equal, false);
      assert.deepEqual(r.schema.differences.map((d) => [d.kind, d.name, d.change]), [['index', 'public.ux_ticket_counts_by_status', 'removed']]);
    });
  });

  describe('auto', () => {
    let savedPath: string | undefined;
    before(function () {
      if (clusterUnavailableReason()) this.skip();
      savedPath = process.env.PATH;
    });
    afterEach(() => {
      process.env.PATH = savedPath;
    });

    it('with no docker on PATH picks the local binaries and says why docker was skipped', async () => {
      process.env.PATH = (savedPath ?? '')
        .split(path.delimiter)
        .filter((dir) => dir && !existsSync(path.join(dir, 'docker')))
        .join(path.delimiter);
      const s = await squashFixture('linear', 'base', 'head');
      const r = await verifySquash(verifyOptions(s, { provider: { provider: 'auto' } }));
      assert.equal(r.equal, true);
      assert.equal(r.provider.kind, 'local');
      assert.deepEqual(r.provider.skipped.map((x) => x.kind), ['docker']);
      assert.match(r.provider.skipped[0]!.reason, /docker/i);
      assert.match(r.provider.skipped[0]!.reason, /not installed/i);
    });
  });

  describe('schemasAt', () => {
    before(function () {
      if (clusterUnavailableReason()) this.skip();
    });

    it('gives each revision its own schema', async () => {
      const { project } = await squashFixture('linear', 'base', 'head');
      const before = census();
      const { schemas, provider } = await schemasAt({ project, python: PYTHON, provider: { provider: 'local' }, revisions: ['3f1c2a9b7d10', 'head', 'base'] });
      assert.match(provider, /^local PostgreSQL/);
      assert.deepEqual(schemas.map((x) => x.revision), ['3f1c2a9b7d10', 'head', 'base']);
      const [first, head, base] = schemas as [(typeof schemas)[0], (typeof schemas)[0], (typeof schemas)[0]];
      assert.notEqual(first.text, head.text);
      assert.ok(first.text.includes('-- table public.users'));
      assert.ok(!first.text.includes('public.projects'));
      assert.ok(head.text.includes('-- table public.projects'));
      assert.ok(!base.text.includes('-- table '), 'nothing at base');
      assert.deepEqual(leftSince(before), { processes: [], folders: [] });
    });
  });
});
