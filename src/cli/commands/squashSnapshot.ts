import { summarize } from '../../core/squash/docstring';
import { countsLine, type SnapshotNotProvenError, type SnapshotSquash } from '../../core/squash/snapshot';
import { paint, type Output } from '../output';
import { seconds } from '../providerArgs';

/** Lines of a file's text (a trailing newline does not count as a line). */
export function lineCount(text: string): number {
  return text.replace(/\n$/, '').split('\n').length;
}

/** What the snapshot holds, what it leaves out of the chain's code, and its proof. */
export function printSnapshot(o: Output, s: SnapshotSquash): void {
  const ops = s.ops.render.text;
  o.out(`  contains:      ${countsLine(s.bodies.counts) || 'no objects'}`);
  o.out(`  seed rows:     ${s.bodies.seeded.length ? s.bodies.seeded.map((t) => `${t.table} (${t.rows})`).join(', ') : 'none'}`);
  o.out(`  size:          ${lineCount(s.render.text)} lines (the op-merge squash: ${lineCount(ops)} lines)`);
  if (s.bodies.sidecar) o.out(`  layout:        pg_dump's statements in ${s.render.fileName.replace(/\.py$/, '.sql')} next to the revision`);
  else for (const t of s.facts.dumpTables) o.out(paint(o, 'gray', `  ${t.schema}.${t.table} is created by pg_dump's statement: ${t.reason}`));
  const { data, external } = summarize(s.ops.render.classification);
  if (data.length || external.length) {
    o.out(paint(o, 'yellow', `What the chain's code did that the snapshot does not carry (it ran on the chain's tables; their rows are in the snapshot):`));
    // One line per revision and statement kind: a revision inserting 40 rows one by one is one line.
    const lines = new Map<string, number>();
    for (const c of data) lines.set(`${c.revision}: ${c.what ?? c.summary}`, (lines.get(`${c.revision}: ${c.what ?? c.summary}`) ?? 0) + 1);
    for (const [line, n] of lines) o.out(`  ${line}${n > 1 ? ` (×${n})` : ''}`);
    for (const c of external) o.out(`  ${c.revision}: ${(c.externalNames ?? []).join(', ') || c.summary} (project code)`);
  }
  // The proof's facts about the history: a downgrade that raises (an irreversible history) or is lossy.
  for (const n of s.proof.information.filter((i) => i.where === 'downgrade' && i.kind === 'revision')) {
    o.out(paint(o, 'yellow', `${n.message[0]!.toUpperCase()}${n.message.slice(1)}: ${n.name}: ${n.detail}`));
  }
  const lossy = s.proof.information.filter((i) => i.where === 'downgrade' && i.kind !== 'revision');
  if (lossy.length) o.out(paint(o, 'gray', `  the history's own downgrade is lossy at ${lossy.length} object(s) (verify lists them); the snapshot's downgrade removes them`));
  const t = s.timings;
  o.out(paint(o, 'green', `  proven equal to the chain on ${s.provider.description}`) + paint(o, 'gray', ` (chain ${seconds(t.chain)}, read ${seconds(t.read)}, render ${seconds(t.render)}, proof ${seconds(t.proof)})`));
  o.out();
}

export function snapshotJson(s: SnapshotSquash) {
  return {
    counts: s.bodies.counts,
    seeded: s.bodies.seeded,
    dumpStatements: s.bodies.dumpStatements,
    dumpTables: s.facts.dumpTables,
    reEmitted: s.reEmitted,
    lines: { snapshot: lineCount(s.render.text), ops: lineCount(s.ops.render.text) },
    notCarried: summarize(s.ops.render.classification),
    proof: { equal: s.proof.equal, provider: s.provider.kind, description: s.provider.description, information: s.proof.information },
    timings: s.timings,
  };
}

export function printNotProven(o: Output, e: SnapshotNotProvenError): void {
  o.err(`${paint(o, 'red', 'refused:')} ${e.message}`);
  for (const d of e.proof.schema.differences) o.err(`  ${d.change} ${d.kind} ${d.name}: ${d.detail}`);
  for (const d of e.proof.data.differences) o.err(`  rows of ${d.table}: ${d.detail}`);
  for (const d of e.proof.downgrade?.schema.differences ?? []) o.err(`  after downgrade: ${d.change} ${d.kind} ${d.name}: ${d.detail}`);
  if (e.proof.unifiedDiff) o.err(e.proof.unifiedDiff);
}
