import { strict as assert } from 'node:assert';
import { parser } from '@lezer/python';

describe('toolchain', () => {
  it('parses Python with @lezer/python', () => {
    const tree = parser.parse('revision = "abc"\n');
    assert.equal(tree.topNode.name, 'Script');
  });
});
