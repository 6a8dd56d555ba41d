import { wallClock } from './clock';

/** What Alembic's `revision` command does around script.py.mako: variables, file name, built-in template. */

export type PyValue = string | string[] | null;

export interface TemplateVariables {
  up_revision: string;
  /** As Alembic passes it: None, one id, or a tuple. */
  down_revision: PyValue;
  /** A tuple or None. */
  branch_labels: string[] | null;
  depends_on: PyValue;
  message: string;
  create_date: string;
  upgrades: string;
  downgrades: string;
  imports: string;
}

/** Alembic's `tuple_rev_as_scalar`. */
export function revAsScalar(ids: string[]): PyValue {
  return ids.length === 0 ? null : ids.length === 1 ? ids[0] : ids;
}

/** Python's repr() of a str, None or tuple of str. */
export function pyRepr(value: PyValue): string {
  if (value === null) return 'None';
  if (Array.isArray(value)) return value.length === 1 ? `(${pyRepr(value[0])},)` : `(${value.map(pyRepr).join(', ')})`;
  const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of value) {
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else out += ch;
  }
  return quote + out + quote;
}

/** Alembic's `comma` filter. */
function comma(value: PyValue): string {
  return value === null ? '' : Array.isArray(value) ? value.join(', ') : value;
}

/** Alembic's own generic script.py.mako, rendered without Python. */
export function renderBuiltinTemplate(v: TemplateVariables): string {
  return `"""${v.message}

Revision ID: ${v.up_revision}
Revises: ${comma(v.down_revision)}
Create Date: ${v.create_date}

"""
from alembic import op
import sqlalchemy as sa
${v.imports}

# revision identifiers, used by Alembic.
revision = ${pyRepr(v.up_revision)}
down_revision = ${pyRepr(v.down_revision)}
branch_labels = ${pyRepr(v.branch_labels)}
depends_on = ${pyRepr(v.depends_on)}


def upgrade() -> None:
    ${v.upgrades || 'pass'}


def downgrade() -> None:
    ${v.downgrades || 'pass'}
`;
}

/**
 * The squash's message has several lines; a template that writes `${message}` on a comment line
 * (`# ${message}`, as OpenStack's do) would leave all but the first as bare text. Every further line
 * then gets the same comment prefix.
 */
export function messageForTemplate(template: string, message: string): string {
  for (const line of template.split('\n')) {
    const at = line.indexOf('${message');
    if (at < 0) continue;
    const lead = line.slice(0, at);
    if (!lead.trimStart().startsWith('#')) return message;
    return message
      .split('\n')
      .map((l, i) => (i === 0 ? l : `${lead}${l}`.trimEnd()))
      .join('\n');
  }
  return message;
}

/** The indentation the template puts before `${name ...}`, so carried bodies follow the template's. */
export function templateIndent(template: string, name: 'upgrades' | 'downgrades'): string {
  for (const line of template.split('\n')) {
    const at = line.indexOf('${' + name);
    if (at >= 0) {
      const lead = line.slice(0, at);
      return lead.trim() === '' ? lead : '';
    }
  }
  return '    ';
}

/**
 * `str(datetime)` as Python prints it: `2024-03-11 08:09:14.320551` (no fraction when it is 0), with
 * `+01:00` when the project names a timezone (Alembic then makes the date zone-aware).
 */
export function pythonDateString(date: Date, timezone?: string): string {
  const c = wallClock(date, timezone);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const base = `${c.year}-${p(c.month)}-${p(c.day)} ${p(c.hour)}:${p(c.minute)}:${p(c.second)}`;
  const micro = c.millisecond * 1000;
  const fraction = micro ? `.${p(micro, 6)}` : '';
  if (c.offsetMinutes === undefined) return base + fraction;
  const sign = c.offsetMinutes < 0 ? '-' : '+';
  const off = Math.abs(c.offsetMinutes);
  return `${base}${fraction}${sign}${p(Math.floor(off / 60))}:${p(off % 60)}`;
}

/** Alembic's slug: the message's word runs joined by `_`, lowercased, cut on a word boundary. */
export function slugOf(message: string, truncateSlugLength: number): string {
  const words = message.match(/[\p{L}\p{N}_]+/gu) ?? [];
  let slug = words.join('_').toLowerCase();
  if (slug.length > truncateSlugLength) {
    const cut = slug.slice(0, truncateSlugLength);
    const last = cut.lastIndexOf('_');
    slug = (last >= 0 ? cut.slice(0, last) : cut) + '_';
  }
  return slug;
}

/** Python `%`-formatting of `file_template` with Alembic's keys; `.py` appended. */
export function formatFileName(fileTemplate: string, rev: string, message: string, date: Date, truncateSlugLength: number, timezone?: string): string {
  const c = wallClock(date, timezone);
  const values: Record<string, string | number> = {
    rev,
    slug: slugOf(message, truncateSlugLength),
    epoch: Math.floor(date.getTime() / 1000),
    year: c.year,
    month: c.month,
    day: c.day,
    hour: c.hour,
    minute: c.minute,
    second: c.second,
  };
  let out = '';
  for (let i = 0; i < fileTemplate.length; i++) {
    const ch = fileTemplate[i];
    if (ch !== '%') {
      out += ch;
      continue;
    }
    if (fileTemplate[i + 1] === '%') {
      out += '%';
      i++;
      continue;
    }
    if (fileTemplate[i + 1] !== '(') throw new Error(`file_template: unsupported % directive at ${i}: ${fileTemplate}`);
    const close = fileTemplate.indexOf(')', i);
    const key = fileTemplate.slice(i + 2, close);
    let j = close + 1;
    let spec = '';
    while (j < fileTemplate.length && !'sdirf'.includes(fileTemplate[j])) spec += fileTemplate[j++];
    const conv = fileTemplate[j];
    if (!(key in values)) throw new Error(`file_template: unknown key %(${key})`);
    out += formatOne(values[key], spec, conv);
    i = j;
  }
  return `${out}.py`;
}

function formatOne(value: string | number, spec: string, conv: string | undefined): string {
  let text = conv === 'd' || conv === 'i' ? String(Math.trunc(Number(value))) : String(value);
  const zero = spec.startsWith('0');
  const [widthText, precisionText] = spec.replace(/^[-0 +#]+/, '').split('.');
  if (precisionText && (conv === 'd' || conv === 'i')) text = text.padStart(Number(precisionText), '0');
  else if (precisionText && conv === 's') text = text.slice(0, Number(precisionText));
  const width = Number(widthText || 0);
  if (width) text = spec.startsWith('-') ? text.padEnd(width) : text.padStart(width, zero ? '0' : ' ');
  return text;
}
