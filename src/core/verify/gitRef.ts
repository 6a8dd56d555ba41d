import { execFile } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The version folders as they are at a git ref, written to a temporary folder (the work tree is untouched). */
export interface RefHistory {
  versionLocations: string[];
  dispose(): Promise<void>;
}

export class GitRefError extends Error {
  override readonly name = 'GitRefError';
}

export async function versionLocationsAtRef(locations: string[], ref: string): Promise<RefHistory> {
  const first = locations[0];
  if (!first) throw new GitRefError('the project has no version locations');
  let top: string;
  try {
    top = (await run('git', ['-C', first, 'rev-parse', '--show-toplevel'])).stdout.trim();
  } catch (e) {
    throw new GitRefError(`${first} is not inside a git repository (${firstLine(e)}); --against-ref needs one`);
  }
  try {
    await run('git', ['-C', top, 'rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  } catch {
    throw new GitRefError(`git cannot find the ref "${ref}" in ${top}`);
  }
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'alembic-squash-ref-'));
  const dispose = () => fs.rm(root, { recursive: true, force: true });
  try {
    const out: string[] = [];
    for (const location of locations) {
      const rel = path.relative(top, location).split(path.sep).join('/');
      const target = path.join(root, rel);
      await fs.mkdir(target, { recursive: true });
      const listed = (await run('git', ['-C', top, 'ls-tree', '-r', '-z', '--name-only', ref, '--', rel], { maxBuffer: 64 << 20 })).stdout;
      for (const file of listed.split('\0').filter((f) => f.endsWith('.py'))) {
        const { stdout } = await run('git', ['-C', top, 'show', `${ref}:${file}`], { maxBuffer: 64 << 20, encoding: 'buffer' });
        const dest = path.join(root, file);
        await fs.mkdir(path.dirname(dest), { recursive: true });
        await fs.writeFile(dest, stdout);
      }
      out.push(target);
    }
    return { versionLocations: out, dispose };
  } catch (e) {
    await dispose();
    throw e instanceof GitRefError ? e : new GitRefError(`reading ${ref} with git failed: ${firstLine(e)}`);
  }
}

function firstLine(e: unknown): string {
  const err = e as { stderr?: string | Buffer; message?: string };
  return String(err.stderr || err.message || e).trim().split('\n')[0] ?? '';
}
