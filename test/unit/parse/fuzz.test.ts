import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, analyzeHeader } from '../../../src/core/parse/migration';
import { namesIn } from '../../../src/core/parse';
import { ALL_SAMPLES } from './samples';

/** Deterministic PRNG (mulberry32) so a failure can be replayed from its case number. */
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

const PIECES = ['(', ')', '[', ']', '{', '}', '"', "'", '"""', "'''", ':', ',', '\n', '    ', '#', '\\', '=', 'def ', '😀', '\r\n', 'revision = ', '\u0000'];

function mutate(text: string, rand: () => number): string {
  let s = text;
  const steps = 1 + Math.floor(rand() * 4);
  for (let k = 0; k < steps; k++) {
    const pos = Math.floor(rand() * (s.length + 1));
    const op = Math.floor(rand() * 7);
    const lines = s.split('\n');
    const li = Math.floor(rand() * lines.length);
    switch (op) {
      case 0: // delete a run of characters
        s = s.slice(0, pos) + s.slice(pos + 1 + Math.floor(rand() * 8));
        break;
      case 1: // insert a bracket, quote or other piece
        s = s.slice(0, pos) + PIECES[Math.floor(rand() * PIECES.length)] + s.slice(pos);
        break;
      case 2: // duplicate a line
        lines.splice(li, 0, lines[li]);
        s = lines.join('\n');
        break;
      case 3: // delete a line
        lines.splice(li, 1);
        s = lines.join('\n');
        break;
      case 4: { // swap two lines
        const lj = Math.floor(rand() * lines.length);
        [lines[li], lines[lj]] = [lines[lj], lines[li]];
        s = lines.join('\n');
        break;
      }
      case 5: // swap two characters
        if (pos + 1 < s.length) s = s.slice(0, pos) + s[pos + 1] + s[pos] + s.slice(pos + 2);
        break;
      default: // cut the file (a half-written file)
        s = s.slice(0, pos);
    }
  }
  return s;
}

/** Every `{ start, end }` in a result, with where it was found. */
function ranges(value: unknown, path: string, out: [string, { start: number; end: number }][]): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    value.forEach((v, i) => ranges(v, `${path}[${i}]`, out));
    return;
  }
  const o = value as Record<string, unknown>;
  if (typeof o.start === 'number' && typeof o.end === 'number') {
    out.push([path, o as { start: number; end: number }]);
    return;
  }
  for (const [k, v] of Object.entries(o)) ranges(v, `${path}.${k}`, out);
}

function fixtureTexts(): string[] {
  const root = join(__dirname, '..', '..', 'fixtures');
  const out: string[] = [];
  const walk = (dir: string): void => {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(dir, e);
      try {
        if (statSync(p).isDirectory()) walk(p);
        else if (e.endsWith('.py')) out.push(readFileSync(p, 'utf8'));
      } catch {
        // A fixture being written right now may vanish; skip it.
      }
    }
  };
  walk(root);
  return out;
}

function check(text: string, label: string): void {
  for (const [mode, f] of [['full', analyze(text)], ['header', analyzeHeader(text)]] as const) {
    const found: [string, { start: number; end: number }][] = [];
    ranges(f, mode, found);
    for (const [where, r] of found) {
      assert.ok(r.start >= 0 && r.start <= r.end && r.end <= text.length, `${label}: ${where} ${JSON.stringify(r)} outside 0..${text.length}`);
    }
    for (const ref of f.references) assert.equal(text.slice(ref.range.start, ref.range.end), ref.name, `${label}: reference`);
    for (const p of f.problems) assert.ok(p.message.length > 0 && /^[a-z]+(-[a-z]+)*$/.test(p.code), `${label}: problem ${p.code}`);
  }
}

describe('parse: fuzz (seeded mutations of realistic files)', () => {
  const bases = [...Object.values(ALL_SAMPLES), ...fixtureTexts()];

  it(`never throws and keeps every range inside the text (${bases.length} base files)`, function () {
    this.timeout(300_000);
    const rand = prng(20240601);
    const cases = 5000;
    for (let i = 0; i < cases; i++) {
      const base = bases[i % bases.length];
      const text = mutate(base, rand);
      check(text, `case ${i}`);
      if (i % 50 === 0) {
        const a = Math.floor(rand() * text.length);
        namesIn(text, { start: a, end: a + Math.floor(rand() * 200) });
      }
    }
  });

  it('reads every unmutated base file without an internal failure', () => {
    for (const [i, text] of bases.entries()) check(text, `base ${i}`);
  });
});
