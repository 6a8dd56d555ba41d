import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FIXTURES } from './support';

export interface RevisionSpec {
  revision: string;
  down: string[];
  message?: string;
  /** Module-level text between the imports and the header (helpers, constants). */
  helpers?: string;
  /** Extra import lines after `from alembic import op` / `import sqlalchemy as sa`. */
  imports?: string;
  /** Body lines of upgrade()/downgrade(), written at 4-space indentation by the caller; undefined: no function. */
  upgrade?: string;
  downgrade?: string | null;
}

/** One revision file as `alembic revision` writes it (typed header, Alembic's default docstrings). */
export function revisionText(r: RevisionSpec): string {
  const down = r.down.length === 0 ? 'None' : r.down.length === 1 ? `'${r.down[0]}'` : `(${r.down.map((d) => `'${d}'`).join(', ')})`;
  const fn = (name: string, body: string | null | undefined) => (body === null || body === undefined ? '' : `\n\ndef ${name}() -> None:\n${body}\n`);
  return [
    `"""${r.message ?? `change ${r.revision}`}\n\nRevision ID: ${r.revision}\nRevises: ${r.down.join(', ')}\nCreate Date: 2024-01-01 00:00:00.000000\n\n"""`,
    'from typing import Sequence, Union\n\nfrom alembic import op\nimport sqlalchemy as sa',
    r.imports ?? '',
    r.helpers ? `\n${r.helpers}\n` : '',
    `\n# revision identifiers, used by Alembic.\nrevision: str = '${r.revision}'\ndown_revision: Union[str, Sequence[str], None] = ${down}\nbranch_labels: Union[str, Sequence[str], None] = None\ndepends_on: Union[str, Sequence[str], None] = None\n`,
    fn('upgrade', r.upgrade ?? '    pass'),
    fn('downgrade', r.downgrade === undefined ? '    pass' : r.downgrade),
  ].join('\n');
}

/** A runnable project (the `linear` fixture's alembic.ini, env.py and script.py.mako) holding these revisions. */
export function writeProject(revisions: RevisionSpec[], extraIni = ''): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alembic-squash-gen-'));
  const versions = path.join(dir, 'migrations', 'versions');
  fs.mkdirSync(versions, { recursive: true });
  fs.writeFileSync(path.join(dir, 'alembic.ini'), fs.readFileSync(path.join(FIXTURES, 'linear', 'alembic.ini'), 'utf8') + extraIni);
  for (const f of ['env.py', 'script.py.mako']) fs.copyFileSync(path.join(FIXTURES, 'linear', 'migrations', f), path.join(dir, 'migrations', f));
  for (const r of revisions) fs.writeFileSync(path.join(versions, `${r.revision}_change.py`), revisionText(r));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
