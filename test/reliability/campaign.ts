/**
 * The reliability campaign: seeded faults for squash and verify, fuzzing of `check` and the language
 * server, and a census of leftovers. Build first (`npm run build`), then e.g.
 *
 *   npx tsx test/reliability/campaign.ts --seed 1 --squash 60 --verify 200 --fuzz 10000 --cli-fuzz 40 --lsp 400 --out bench/RELIABILITY.md
 *
 * The short seeded run in CI is test/integration/reliability.test.ts (same functions, small counts).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { fuzzCheck, fuzzCheckCli, type FuzzResult } from './fuzz';
import { fuzzLanguageServer, type LspFuzzResult } from './lspFuzz';
import { runSquashFault, type SquashFaultResult } from './squashFaults';
import { startCluster, type Cluster } from '../support/pg-cluster';
import { rng } from './tree';
import { runVerifyFault, VERIFY_FAULTS, type VerifyFaultKind, type VerifyFaultResult } from './verifyFaults';

export interface CampaignCounts {
  seed: number;
  squash: number;
  verify: number;
  fuzz: number;
  cliFuzz: number;
  lsp: number;
  /** The verify fault kinds, in turn (default: all of VERIFY_FAULTS). */
  verifyKinds?: VerifyFaultKind[];
  /** Timed verify faults come 300 ms + up to this long after the start (default 6,000: runs under load). */
  delayMaxMs?: number;
  /** Stop fuzzing at this time (ms since the epoch); the report says how many files were done. */
  fuzzDeadline?: number;
}

export interface CampaignResult {
  counts: CampaignCounts;
  squash: SquashFaultResult[];
  verify: VerifyFaultResult[];
  fuzz?: FuzzResult;
  cliFuzz?: FuzzResult;
  lsp?: LspFuzzResult;
  ms: Record<string, number>;
}

/** Squash faults: the write of the `linear` fixture has ~20 file-system steps; SIGKILL or SIGINT at a seeded one. */
export function squashFaultPlan(n: number, r: () => number) {
  return Array.from({ length: n }, (_, i) => ({
    fixture: 'linear',
    from: 'base',
    to: 'head',
    // A SIGINT also comes right after the write returned ('end') in one run of four.
    step: i % 3 === 2 && r() < 0.25 ? ('end' as const) : 1 + Math.floor(r() * 21),
    signal: (i % 3 === 2 ? 'SIGINT' : 'SIGKILL') as 'SIGKILL' | 'SIGINT',
    undoStep: r() < 0.3 ? 1 + Math.floor(r() * 12) : undefined,
  }));
}

export async function runCampaign(counts: CampaignCounts, log: (line: string) => void = () => undefined): Promise<CampaignResult> {
  const r = rng(counts.seed);
  const ms: Record<string, number> = {};
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'alembic-squash-campaign-'));
  const result: CampaignResult = { counts, squash: [], verify: [], ms };
  let users: Cluster | undefined;
  try {
    let t = Date.now();
    for (const fault of squashFaultPlan(counts.squash, r)) {
      const res = runSquashFault(fault);
      result.squash.push(res);
      log(`squash ${fault.signal}@${fault.step}${fault.undoStep ? ` undo-kill@${fault.undoStep}` : ''}: ${res.outcome}${res.problems.length ? ' PROBLEMS ' + res.problems.join('; ') : ''}`);
    }
    ms.squash = Date.now() - t;
    t = Date.now();
    for (let i = 0; i < counts.verify; i++) {
      const kinds = counts.verifyKinds ?? VERIFY_FAULTS;
      const kind = kinds[i % kinds.length]!;
      // The "user's server" of url-restart: one cluster for the whole campaign, restarted by each such fault.
      if (kind === 'url-restart') users ??= await startCluster();
      const res = await runVerifyFault({ kind, delayMs: Math.floor(300 + r() * (counts.delayMaxMs ?? 6000)), fixture: r() < 0.7 ? 'linear' : 'branch-merge' }, tmp, undefined, kind === 'url-restart' ? users : undefined);
      result.verify.push(res);
      log(`verify ${kind}@${res.fault.delayMs}ms: exit ${res.exit} (expected ${res.expected})${res.hit ? '' : ' [finished first]'}${res.leaks.length ? ' LEAKS ' + res.leaks.join(', ') : ''}`);
    }
    ms.verify = Date.now() - t;
    t = Date.now();
    if (counts.fuzz) result.fuzz = await fuzzCheck(counts.fuzz, r, 30_000, (n) => n % 500 === 0 && log(`fuzz ${n}/${counts.fuzz}`), 10, counts.fuzzDeadline);
    ms.fuzz = Date.now() - t;
    t = Date.now();
    if (counts.cliFuzz) result.cliFuzz = fuzzCheckCli(counts.cliFuzz, r);
    ms.cliFuzz = Date.now() - t;
    t = Date.now();
    if (counts.lsp) result.lsp = await fuzzLanguageServer(counts.lsp, r);
    ms.lsp = Date.now() - t;
  } finally {
    await users?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return result;
}

/** Everything that makes the campaign fail (empty: passed). */
export function failures(c: CampaignResult): string[] {
  const out: string[] = [];
  for (const s of c.squash) for (const p of s.problems) out.push(`squash ${s.fault.signal}@${s.fault.step}: ${p}`);
  for (const v of c.verify) {
    if (v.hung) out.push(`verify ${v.fault.kind}: hung`);
    if (v.crashed) out.push(`verify ${v.fault.kind}: crashed: ${v.stderrTail}`);
    if (v.leaks.length) out.push(`verify ${v.fault.kind}: left ${v.leaks.join(', ')}`);
  }
  for (const f of [c.fuzz, c.cliFuzz]) {
    if (!f) continue;
    for (const x of f.crashes) out.push(`fuzz crash (${x.case.kind} on ${x.case.fixture}/${x.case.file}): ${x.error.split('\n')[0]}`);
    for (const x of f.hangs) out.push(`fuzz hang (${x.kind} on ${x.fixture}/${x.file})`);
    for (const x of f.vanished) out.push(`fuzz vanished file (${x.kind} on ${x.fixture}/${x.file})`);
    for (const x of f.nondeterministic) out.push(`fuzz non-deterministic (${x.kind} on ${x.fixture}/${x.file})`);
  }
  if (c.lsp) {
    if (c.lsp.hangs) out.push(`language server: ${c.lsp.hangs} hang(s)`);
    for (const x of c.lsp.crashes) out.push(`language server crash: ${x}`);
  }
  return out;
}

/** Verify exit codes the current verify gives that are not the contract's (reported, owned by verify). */
export function misleadingExits(c: CampaignResult): VerifyFaultResult[] {
  return c.verify.filter((v) => !v.exitAsExpected);
}

function pct(a: number, b: number): string {
  return b ? `${((100 * a) / b).toFixed(1)} %` : '–';
}

export function report(c: CampaignResult, machine: string): string {
  const lines: string[] = [];
  const hit = c.verify.filter((v) => v.hit);
  const byKind = new Map<string, VerifyFaultResult[]>();
  for (const v of c.verify) byKind.set(v.fault.kind, [...(byKind.get(v.fault.kind) ?? []), v]);
  lines.push(`Seed ${c.counts.seed}; timed verify faults at 300–${300 + (c.counts.delayMaxMs ?? 6000)} ms; ${machine}. Times: ${Object.entries(c.ms).map(([k, v]) => `${k} ${(v / 1000).toFixed(0)} s`).join(', ')}.`);
  lines.push('');
  lines.push('| | runs | faults hit | leaks after the next run | half-written folders | unexpected exit | clear error | crashes | hangs |');
  lines.push('|---|---|---|---|---|---|---|---|---|');
  const sq = c.squash;
  const sqHit = sq.filter((s) => s.fired);
  lines.push(
    `| squash (SIGKILL/SIGINT at a file-system step, ${sq.filter((s) => s.fault.undoStep).length} with the undo killed too) | ${sq.length} | ${sqHit.length} | ${sq.filter((s) => s.problems.some((p) => /left|temporary/.test(p))).length} | ${sq.filter((s) => s.outcome === 'half').length} | ${sq.filter((s) => s.problems.some((p) => /exit|died/.test(p))).length} | – | 0 | ${sq.filter((s) => s.problems.some((p) => /hung/.test(p))).length} |`,
  );
  for (const [kind, vs] of byKind) {
    const h = vs.filter((v) => v.hit);
    lines.push(
      `| verify: ${kind} | ${vs.length} | ${h.length} | ${vs.filter((v) => v.leaks.length).length} | – | ${vs.filter((v) => !v.exitAsExpected).length} (expected ${vs[0]!.expected}) | ${pct(vs.filter((v) => v.clear).length, vs.length)} | ${vs.filter((v) => v.crashed).length} | ${vs.filter((v) => v.hung).length} |`,
    );
  }
  lines.push('');
  const sqOutcomes = { old: sq.filter((s) => s.outcome === 'old').length, new: sq.filter((s) => s.outcome === 'new').length };
  lines.push(
    `Squash: after each fault the next command found the versions folder entirely old (rolled back) ${sqOutcomes.old} times and entirely new ${sqOutcomes.new} times (SIGINT completes the write and exits 130; a fault past the last step finds a finished squash); every entirely-new folder was restored byte for byte by \`squash --undo\`: ${sq.filter((s) => s.outcome === 'new' && s.undoRestored).length}/${sqOutcomes.new}.`,
  );
  lines.push(`Verify: ${c.verify.length} faulted runs (${hit.length} hit a running verify), leaks right after the fault (before the next run's sweep): ${c.verify.reduce((n, v) => n + v.leaksAfterFault, 0)}; after the next run: ${c.verify.reduce((n, v) => n + v.leaks.length, 0)}. Shared-memory segments that appeared unmapped during the runs (not ours: clusters run with dynamic_shared_memory_type=mmap; neighbours on this machine): ${c.verify.reduce((n, v) => n + v.unattributedShm, 0)}.`);
  const mis = misleadingExits(c);
  if (mis.length) {
    lines.push('');
    lines.push('Unexpected verify exits (the verify side owns these; measured as they are):');
    for (const v of mis.slice(0, 15)) lines.push(`- ${v.fault.kind} at ${v.fault.delayMs} ms: exit ${v.exit}, expected ${v.expected}: ${v.stderrTail.replace(/\|/g, '/')}`);
  }
  lines.push('');
  for (const [name, f] of [['check, in process (each file read twice; every 10th also as a whole project, twice)', c.fuzz], ['check --json, two fresh processes per file', c.cliFuzz]] as const) {
    if (!f) continue;
    lines.push(
      `Fuzz ${name}: ${f.files} mutated files (${Object.entries(f.byKind).map(([k, v]) => `${k} ${v}`).join(', ')}) → ${f.crashes.length} crashes, ${f.hangs.length} hangs, ${f.vanished.length} vanished files, ${f.nondeterministic.length} differing answers; slowest read ${f.slowestMs} ms.`,
    );
  }
  if (c.lsp) lines.push(`Language server: ${c.lsp.documents} mutated documents (open + 2 edits each) → ${c.lsp.crashes.length} crashes, ${c.lsp.hangs} unanswered requests; slowest answer on another document ${c.lsp.slowestMs} ms.`);
  const f = failures(c);
  lines.push('');
  lines.push(f.length ? `Failures (${f.length}):\n${f.slice(0, 30).map((x) => `- ${x}`).join('\n')}` : 'No failures: 0 leaks, 0 half-written folders, 0 crashes, 0 hangs, identical answers on repeated reads.');
  return lines.join('\n');
}

if (require.main === module) {
  const { values } = parseArgs({
    options: { deadline: { type: 'string' }, 'delay-max': { type: 'string' }, seed: { type: 'string' }, squash: { type: 'string' }, verify: { type: 'string' }, fuzz: { type: 'string' }, 'cli-fuzz': { type: 'string' }, lsp: { type: 'string' }, out: { type: 'string' } },
  });
  const counts: CampaignCounts = {
    seed: Number(values.seed ?? 1),
    squash: Number(values.squash ?? 60),
    verify: Number(values.verify ?? 200),
    fuzz: Number(values.fuzz ?? 10000),
    cliFuzz: Number(values['cli-fuzz'] ?? 40),
    lsp: Number(values.lsp ?? 400),
    delayMaxMs: values['delay-max'] ? Number(values['delay-max']) : undefined,
    fuzzDeadline: values.deadline ? Date.parse(values.deadline) : undefined,
  };
  void (async () => {
    const result = await runCampaign(counts, (l) => console.log(l));
    const machine = `${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)} at the end, ${new Date().toISOString().slice(0, 16)} UTC`;
    const text = report(result, machine);
    console.log('\n' + text);
    if (values.out) {
      fs.writeFileSync(values.out.replace(/\.md$/, '.json'), JSON.stringify({ counts, failures: failures(result), squash: result.squash.map((s) => ({ ...s.fault, fired: s.fired, outcome: s.outcome, problems: s.problems })), verify: result.verify.map((v) => ({ ...v.fault, hit: v.hit, exit: v.exit, expected: v.expected, clear: v.clear, leaks: v.leaks })) }, null, 1));
      fs.writeFileSync(values.out, text + '\n');
    }
    process.exit(failures(result).length ? 1 : 0);
  })();
}
