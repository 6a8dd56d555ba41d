// Which replaced revisions declare that there is no way back: the snapshot's proof then runs the
// chain's own downgrade, so the review can say where the history could not go back.
import { strict as assert } from 'node:assert';
import { parseMigration } from '../../../src/core/parse';
import { declaresNoWayBack } from '../../../src/core/squash/body';

const withDowngrade = (body: string | undefined) =>
  parseMigration(`"""m\n\nRevision ID: a1\nRevises: \n"""\nrevision = 'a1'\ndown_revision = None\n\n\ndef upgrade():\n    pass\n${body === undefined ? '' : `\n\ndef downgrade():\n${body}\n`}`).downgrade;

describe('squash: a downgrade that declares no way back', () => {
  it('no downgrade(), or one that only raises (whatever it raises, after a docstring or comments)', () => {
    assert.equal(declaresNoWayBack(withDowngrade(undefined)), true);
    assert.equal(declaresNoWayBack(withDowngrade('    raise RuntimeError("No step back")')), true);
    assert.equal(declaresNoWayBack(withDowngrade('    """Irreversible."""\n    # data is gone\n    raise NotImplementedError')), true);
  });

  it('a body that does anything else, or raises only under a condition, or does nothing', () => {
    assert.equal(declaresNoWayBack(withDowngrade("    op.drop_table('t')")), false);
    assert.equal(declaresNoWayBack(withDowngrade("    if context.is_offline_mode():\n        raise RuntimeError('online only')\n    op.drop_table('t')")), false);
    assert.equal(declaresNoWayBack(withDowngrade('    pass')), false);
  });
});
