import { strict as assert } from 'node:assert';
import { editorWords } from '../../../src/extension/verify/words';

describe('CLI flags in messages become settings in the editor', () => {
  it('names the setting with its value, or the command', () => {
    assert.equal(editorWords('Install Docker, or use --provider local or pglite.'), 'Install Docker, or use the alembicSquash.provider setting "local" or pglite.');
    assert.equal(editorWords('requested (--provider local)'), 'requested (the alembicSquash.provider setting "local")');
    assert.equal(
      editorWords('The url provider needs a database URL (--database-url postgresql://user:password@host:port/database).'),
      'The url provider needs a database URL ("Alembic: Set Database URL for Verify").',
    );
    assert.equal(editorWords('or choose the interpreter with --python (x)'), 'or choose the interpreter with the alembicSquash.python setting (or "Python: Select Interpreter") (x)');
    assert.equal(editorWords('nothing to change'), 'nothing to change');
  });
});
