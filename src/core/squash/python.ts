import { spawn } from 'node:child_process';
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
// A SyntaxError's line number goes to stdout so the editor can open the text there.
const COMPILE = [
  'import sys',
  'src = sys.stdin.read()',
  'try:',
  '    compile(src, sys.argv[1], "exec", dont_inherit=True)',
  'except SyntaxError as e:',
  '    print(e.lineno or "")',
  '    raise',
].join('\n');

/** Compiles `text` with the project's interpreter; undefined when fine, the error text otherwise. */
export async function compileCheck(
  python: string,
  text: string,
  fileName: string,
): Promise<{ ok: true } | { ok: false; error: string; line?: number } | { ok: 'unavailable'; reason: string }> {
  const r = await run(python, ['-c', COMPILE, fileName], text);
  if (r.error) return { ok: 'unavailable', reason: r.error.message };
  if (r.code === 0) return { ok: true };
  const line = Number.parseInt(r.stdout.trim(), 10);
  return { ok: false, error: r.stderr.trim().split('\n').slice(-4).join('\n'), ...(line > 0 ? { line } : {}) };
}

// Alembic's own hook runner, so console_scripts / exec / module hooks behave exactly as after `alembic revision`.
const HOOKS = [
  'import json, sys',
  'from alembic.script import write_hooks',
  'config = json.loads(sys.stdin.read())',
  'write_hooks._run_hooks(sys.argv[1], config)',
].join('\n');

/** The `[post_write_hooks]` section as Alembic reads it: `hooks` plus every `<name>.<key>`. */
export function hookConfig(hooks: PostWriteHook[]): Record<string, string> {
  const config: Record<string, string> = { hooks: hooks.map((h) => h.name).join(', ') };
  for (const h of hooks) {
    for (const [key, value] of Object.entries(h.settings)) config[`${h.name}.${key}`] = value;
    if (h.type && !(`${h.name}.type` in config)) config[`${h.name}.type`] = h.type;
  }
  return config;
}

/**
 * Runs the project's post_write_hooks on `filePath` (a temporary copy) with Alembic's runner. Returns
 * what the hooks wrote to stderr: Alembic ignores a console_scripts hook's exit status, so that text
 * is the only sign that a formatter failed.
 */
export async function runPostWriteHooks(python: string, filePath: string, hooks: PostWriteHook[], cwd: string): Promise<string> {
  const r = await run(python, ['-c', HOOKS, filePath], JSON.stringify(hookConfig(hooks)), cwd);
  if (r.error) throw r.error;
  if (r.code !== 0) throw new Error(r.stderr.trim().split('\n').slice(-6).join('\n') || `exit ${r.code}`);
  return r.stderr.trim();
}
