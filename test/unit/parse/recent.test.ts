import { strict as assert } from 'node:assert';
import { parsePython } from '../../../src/core/parse/lezer';

// A squash parses the same bodies in several passes: the parser keeps recent trees by text.
describe('parsePython: recent parses are shared', () => {
  it('gives the same tree for the same text, and its own for another', () => {
    const body = "op.add_column('t', sa.Column('c', sa.Integer()))\nop.create_index('ix', 't', ['c'])\n";
    const first = parsePython(body);
    assert.equal(parsePython(String(body)), first, 'an equal text (another string) finds the same tree');
    const other = parsePython(body + "op.drop_index('ix')\n");
    assert.notEqual(other, first);
    assert.equal(other.length, body.length + "op.drop_index('ix')\n".length);
    assert.equal(first.length, body.length);
  });

  it('keeps a bounded amount: a text seen long ago is parsed again, with the same result', () => {
    const line = (i: number) => `op.execute("UPDATE t SET c = ${i} WHERE id > ${i}")\n`;
    const old = line(-1).repeat(50);
    const before = parsePython(old);
    // Some 4.5 million characters of other texts push it out.
    const filler = line(0).repeat(2_000);
    for (let i = 0; i < 50; i++) parsePython(`# ${i}\n${filler}`);
    const after = parsePython(old);
    assert.notEqual(after, before, 'parsed again');
    assert.equal(after.toString(), before.toString());
  });
});
