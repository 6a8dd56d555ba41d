import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { AlembicAbortedError, type AlembicSession } from '../alembic';
import type { PostWriteHook } from '../project/types';

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  error?: Error;
}

function run(python: string, args: string[], stdin: string, cwd?: string): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(python, args, { cwd, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let error: Error | undefined;
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', (e) => (error = e));
    child.stdin.on('error', () => undefined);
    child.stdin.end(stdin);
    child.on('close', (code) => resolve({ code, stdout, stderr, error }));
  });
}

// compile() instead of py_compile: same checks, and no .pyc is written anywhere.
// A SyntaxError's line goes to stdout so the caller can show the text around it.
const COMPILE = [
  'import sys',
  'src = sys.stdin.read()',
  'try:',
  '    compile(src, sys.argv[1], "exec", dont_inherit=True)',
  'except SyntaxError as e:',
  '    print(e.lineno or "")',
  '    raise',
].join('\n');

export type CompileOutcome = { ok: true } | { ok: false; error: string; line?: number } | { ok: 'unavailable'; reason: string };

/**
 * Compiles `text` with the project's interpreter: in a running driver of it when given (no interpreter
 * start), else in a new one.
 */
export async function compileCheck(python: string, text: string, fileName: string, session?: AlembicSession): Promise<CompileOutcome> {
  if (session) {
    // A cancel ends here (no new interpreter is started for a cancelled squash).
    const doc = (await session.request({ argv: ['compile'], input: JSON.stringify({ text, fileName }) }).catch((error: unknown) => {
      if (error instanceof AlembicAbortedError) throw error;
      return undefined;
    }))?.document;
    if (doc?.ok === true && doc.compiled === true) return { ok: true };
    if (doc?.ok === true && doc.compiled === false) {
      const line = typeof doc.line === 'number' && doc.line > 0 ? doc.line : undefined;
      return { ok: false, error: String(doc.error).split('\n').slice(-4).join('\n'), ...(line ? { line } : {}) };
    }
    // A driver that cannot answer (it died, or an older driver.py): a new interpreter has the last word.
  }
  const r = await run(python, ['-c', COMPILE, fileName], text);
  if (r.error) return { ok: 'unavailable', reason: r.error.message };
  if (r.code === 0) return { ok: true };
  const line = Number.parseInt(r.stdout.trim(), 10);
  return { ok: false, error: r.stderr.trim().split('\n').slice(-4).join('\n'), ...(line > 0 ? { line } : {}) };
}

// Alembic's own hook runner, so console_scripts / exec / module hooks behave exactly as after
// `alembic revision`, run one hook at a time: a hook that raises (an unknown type such as `exec` on
// Alembic < 1.12, a missing entry point or executable) or whose command exits non-zero leaves the
// file as it was before that hook, and the next hook still runs.
const HOOKS = String.raw`
import json, subprocess, sys
from alembic.script import write_hooks
config = json.loads(sys.stdin.read())
path = sys.argv[1]
codes = []
real_run = subprocess.run
def run(*args, **kw):
    result = real_run(*args, **kw)
    codes.append(result.returncode)
    return result
subprocess.run = run
results = []
for name, section in config:
    with open(path, encoding="utf-8") as f:
        before = f.read()
    codes.clear()
    error = None
    try:
        write_hooks._run_hooks(path, section)
    except BaseException as e:
        error = str(e) or type(e).__name__
    else:
        failed = [c for c in codes if c]
        if failed:
            error = "exited with status %d" % failed[0]
    if error is not None:
        with open(path, "w", encoding="utf-8") as f:
            f.write(before)
    results.append({"name": name, "error": error})
# Hooks and Alembic's status lines print to stdout: the results go to their own file.
with open(sys.argv[2], "w", encoding="utf-8") as f:
    json.dump(results, f)
`;

/** The `[post_write_hooks]` settings of one hook as Alembic reads them: `hooks` plus every `<name>.<key>`. */
export function hookConfig(hooks: PostWriteHook[]): Record<string, string> {
  const config: Record<string, string> = { hooks: hooks.map((h) => h.name).join(', ') };
  for (const h of hooks) {
    for (const [key, value] of Object.entries(h.settings)) config[`${h.name}.${key}`] = value;
    if (h.type && !(`${h.name}.type` in config)) config[`${h.name}.type`] = h.type;
  }
  return config;
}

export interface HookOutcome {
  name: string;
  /** Why the hook did not format the file (it was left as before the hook); undefined when it ran. */
  error?: string;
}

/**
 * Runs the project's post_write_hooks on `filePath` (a temporary copy) with Alembic's runner, one
 * after the other. Returns what each hook did and what the hooks wrote to stderr (a formatter's
 * complaints). Throws only when the interpreter itself cannot run.
 */
export async function runPostWriteHooks(python: string, filePath: string, hooks: PostWriteHook[], cwd: string): Promise<{ outcomes: HookOutcome[]; stderr: string }> {
  const input = hooks.map((h) => [h.name, hookConfig([h])]);
  const resultsPath = `${filePath}.hooks.json`;
  const r = await run(python, ['-c', HOOKS, filePath, resultsPath], JSON.stringify(input), cwd);
  if (r.error) throw r.error;
  let outcomes: HookOutcome[];
  try {
    const results = JSON.parse(fs.readFileSync(resultsPath, 'utf8')) as { name: string; error: string | null }[];
    outcomes = results.map((o) => (o.error ? { name: o.name, error: o.error } : { name: o.name }));
  } catch {
    throw new Error(r.stderr.trim().split('\n').slice(-6).join('\n') || `exit ${r.code}`);
  }
  return { outcomes, stderr: r.stderr.trim() };
}
