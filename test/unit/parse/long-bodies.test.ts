import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { parseMigration } from '../../../src/core/parse';

const PYTHON = '/usr/bin/python3';

function hasSyntaxError(text: string): boolean {
  return parseMigration(text).problems.some((p) => p.code === 'syntax-error');
}

/** Deterministic PRNG (mulberry32) so a failing file can be rebuilt from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Statements shaped like the blocks of a rendered squash (4-space body indentation). */
const STATEMENTS: ((i: number) => string)[] = [
  (i) => `    # --- r${i}: change ${i} ---\n    op.add_column('t${i % 7}', sa.Column('c${i}', sa.Integer(), nullable=True))`,
  (i) => `    op.execute(\n        """\n        UPDATE t${i % 7} SET c = ${i}\nWHERE id > 0\n        """\n    )`,
  (i) => `    op.execute("""\n        CREATE OR REPLACE FUNCTION f${i}() RETURNS trigger AS $$\n        BEGIN\n            RETURN NEW;\n        END;\n        $$ LANGUAGE plpgsql;\n    """)`,
  (i) => `    # a comment about ${i}\n    conn = op.get_bind()\n    rows = conn.execute(sa.text("SELECT id FROM t WHERE x = :x"), {"x": ${i}}).fetchall()`,
  (i) => `    for table in ("a${i}", "b${i}"):\n        op.drop_table(table)\n\n    # trailing comment after a nested block`,
  (i) => `    if op.get_context().dialect.name == "postgresql":\n        op.create_index("ix_${i}", "t", ["c${i}"], postgresql_using="gin")\n    else:\n        pass`,
  (i) => `    def _helper_${i}(name: str) -> None:\n        """Local helper."""\n        op.execute(f"DROP VIEW IF EXISTS {name}")\n\n    _helper_${i}("v${i}")`,
  (i) => `    op.create_table(\n        "t${i}",\n        sa.Column("id", sa.Integer(), primary_key=True),\n        sa.Column("v", sa.String(length=${i + 1}), server_default=sa.text("'x'")),\n    )`,
  () => `    pass`,
];

function generated(seed: number, count: number, broken: boolean): string {
  const rand = prng(seed);
  const body: string[] = [];
  for (let i = 0; i < count; i++) {
    body.push(STATEMENTS[Math.floor(rand() * STATEMENTS.length)](i));
    if (rand() < 0.7) body.push('');
  }
  if (broken) body.splice(Math.floor(rand() * body.length), 0, '    op.execute("unclosed"');
  return `"""squash\n\nRevision ID: abc\nRevises:\n"""\nfrom alembic import op\nimport sqlalchemy as sa\n\nrevision = "abc"\ndown_revision = None\n\n\ndef upgrade() -> None:\n${body.join('\n')}\n\n\ndef downgrade() -> None:\n    pass\n`;
}

describe('parse: long function bodies (a squash of hundreds of revisions)', () => {
  it('reads a body of 400 statements separated by blank lines without a syntax error', () => {
    // The smallest reproduction: @lezer/lr's guard against deep trees cut such a body short.
    const text = `def upgrade():\n${'    op.execute("x")\n\n'.repeat(400)}\ndef downgrade():\n    pass\n`;
    const file = parseMigration(text);
    assert.deepEqual(file.problems.filter((p) => p.code === 'syntax-error'), []);
    assert.equal(file.upgrade?.body.split('\n').filter((l) => l.startsWith('op.execute')).length, 400);
    assert.equal(file.downgrade?.body, 'pass');
  });

  it('accepts and rejects the same generated files as CPython\'s ast.parse', function () {
    if (!existsSync(PYTHON)) {
      console.warn(`    skipped: ${PYTHON} is missing, so there is no CPython to compare with`);
      this.skip();
    }
    this.timeout(120_000);
    const cases: { seed: number; text: string }[] = [];
    for (let seed = 1; seed <= 24; seed++) cases.push({ seed, text: generated(seed, 100 + seed * 60, seed % 6 === 0) });
    const script = 'import ast, json, sys\nout = []\nfor t in json.load(sys.stdin):\n    try:\n        ast.parse(t); out.append(True)\n    except SyntaxError:\n        out.append(False)\njson.dump(out, sys.stdout)\n';
    const run = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify(cases.map((c) => c.text)), encoding: 'utf8', maxBuffer: 256 << 20 });
    assert.equal(run.status, 0, run.stderr);
    const python = JSON.parse(run.stdout) as boolean[];
    assert.ok(python.filter((ok) => ok).length >= 20 && python.some((ok) => !ok), 'the set holds accepted and rejected files');
    cases.forEach((c, i) => assert.equal(!hasSyntaxError(c.text), python[i], `seed ${c.seed}: ${c.text.split('\n').length} lines`));
  });
});
