import { strict as assert } from 'node:assert';
import { dedent, indent, namesIn, parseMigration } from '../../../src/core/parse';
import { DATA_MIGRATION } from './samples';

const at = (text: string, r: { start: number; end: number } | undefined): string => {
  assert.ok(r);
  return text.slice(r.start, r.end);
};

describe('parse: upgrade() and downgrade()', () => {
  it('reads params and return annotations as written', () => {
    const text = `revision = 'a'\n\ndef upgrade(engine_name: str) -> None:\n    globals()["upgrade_%s" % engine_name]()\n\ndef downgrade(engine_name: str = "main"):\n    pass\n`;
    const f = parseMigration(text);
    assert.equal(f.upgrade?.params, 'engine_name: str');
    assert.equal(f.upgrade?.returns, 'None');
    assert.equal(f.downgrade?.params, 'engine_name: str = "main"');
    assert.equal(f.downgrade?.returns, undefined);
  });

  it('calls a body empty for pass, ..., a docstring and comments only', () => {
    const cases: [string, boolean][] = [
      ['    pass', true],
      ['    ...', true],
      ['    """Nothing to do."""\n    # really\n    pass', true],
      ['    op.drop_table("t")', false],
      ['    pass\n    op.execute("SELECT 1")', false],
    ];
    for (const [b, empty] of cases) {
      const f = parseMigration(`revision = 'a'\n\ndef upgrade():\n${b}\n`);
      assert.equal(f.upgrade?.isEmpty, empty, b);
    }
  });

  it('ends a body at its last non-comment token, even after a nested block', () => {
    const text = `revision = 'a'\n\ndef upgrade():\n    if op.get_context().dialect.name == "postgresql":\n        op.execute("SET lock_timeout = 0")\n        # trailing comment\n\n# module comment\n\ndef downgrade():\n    pass\n`;
    const f = parseMigration(text);
    assert.equal(at(text, f.upgrade?.bodyRange), '    if op.get_context().dialect.name == "postgresql":\n        op.execute("SET lock_timeout = 0")');
    assert.equal(f.upgrade?.body, 'if op.get_context().dialect.name == "postgresql":\n    op.execute("SET lock_timeout = 0")');
  });

  it('reads a one-line body', () => {
    const text = `revision = 'a'\ndef upgrade(): op.drop_table("t")\n`;
    const f = parseMigration(text);
    assert.equal(at(text, f.upgrade?.bodyRange), 'op.drop_table("t")');
    assert.equal(f.upgrade?.body, 'op.drop_table("t")');
  });

  it('keeps other module-level statements as helpers with what they define', () => {
    const text = `revision = 'a'\nimport logging\nlog = logging.getLogger(__name__)\n\n@contextmanager\ndef _timer():\n    yield\n\nclass Row(Base):\n    pass\n\nif TYPE_CHECKING:\n    from app import Model\n\ndef upgrade():\n    with _timer():\n        log.info("x")\n`;
    const f = parseMigration(text);
    assert.deepEqual(f.helpers.map((h) => [h.kind, h.defines]), [
      ['assignment', ['log']], ['function', ['_timer']], ['class', ['Row']], ['other', ['Model']],
    ]);
    assert.equal(at(text, f.helpers[1].range), '@contextmanager\ndef _timer():\n    yield');
    assert.deepEqual(f.helpers[0].uses, ['logging']);
    // A bare `yield` is valid Python (the parse tree marks it, the parser must not).
    assert.deepEqual(f.problems, []);
  });
});

describe('parse: names', () => {
  it('finds names in a body, skipping attributes, keyword names and strings', () => {
    const text = `def upgrade():\n    _helper(name=_helper.name, other="_helper")\n    x = _helper\n    for _helper in []: pass\n`;
    const range = { start: 0, end: text.length };
    const found = namesIn(text, range).filter((n) => n.name === '_helper');
    // The call, the attribute's object, the read in the assignment and the loop target.
    assert.equal(found.length, 4);
    for (const n of found) assert.equal(at(text, n.range), '_helper');
    assert.deepEqual(namesIn(text, range, { loadsOnly: true }).filter((n) => n.name === '_helper').length, 3);
    assert.ok(!namesIn(text, range).some((n) => n.name === 'name' || n.name === 'other'));
  });

  it('limits names to the range and the references of a file to loads', () => {
    const f = parseMigration(DATA_MIGRATION);
    const up = f.upgrade!.bodyRange;
    const names = namesIn(DATA_MIGRATION, up).map((n) => n.name);
    assert.ok(names.includes('_rows') && names.includes('currency') && names.includes('conn'));
    assert.ok(!names.includes('CURRENCIES'), 'CURRENCIES is used by a helper, not by upgrade()');
    assert.ok(!f.references.some((r) => r.name === '_rows' && r.range.start === DATA_MIGRATION.indexOf('def _rows') + 4));
  });
});

describe('parse: dedent and indent', () => {
  it('dedents and indents code without touching the inside of multi-line strings', () => {
    const code = `    op.execute("""\nCREATE VIEW v AS\n  SELECT 1\n""")\n    if x:\n        pass\n`;
    const flat = dedent(code);
    assert.equal(flat, `op.execute("""\nCREATE VIEW v AS\n  SELECT 1\n""")\nif x:\n    pass\n`);
    assert.equal(indent(flat, '    '), code);
  });

  it('leaves blank lines empty when indenting', () => {
    assert.equal(indent('a = 1\n\nb = 2', '  '), '  a = 1\n\n  b = 2');
  });
  it('keeps a string continued by a backslash at a line end as it is, and indents lines that only look like strings', () => {
    const flat = "op.execute('SELECT 1 \\\nFROM t')\nx = \"'''\"  # not a string start: inside one\nif y:\n    z = 'a'\n";
    const code = indent(flat, '    ');
    assert.equal(code, "    op.execute('SELECT 1 \\\nFROM t')\n    x = \"'''\"  # not a string start: inside one\n    if y:\n        z = 'a'\n");
    assert.equal(dedent(code), flat);
    // Without any string that may span lines, every non-blank line moves.
    assert.equal(indent("a = 'x'\n\nb = \"y\"\n", '\t'), "\ta = 'x'\n\n\tb = \"y\"\n");
  });

});
