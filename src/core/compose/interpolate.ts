/**
 * Compose's variable syntax in a value: `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
 * `${VAR:?err}`, `${VAR?err}`, `${VAR:+alt}`, `${VAR+alt}`, `$$` for a dollar. Unset variables without a
 * default become '' as compose does; they are returned in `missing` so the caller can say so.
 */
export function interpolate(value: string, env: Record<string, string | undefined>): { value: string; missing: string[] } {
  let out = '';
  const missing: string[] = [];
  let i = 0;
  while (i < value.length) {
    const c = value[i]!;
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    const next = value[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (next === '{') {
      const end = value.indexOf('}', i + 2);
      if (end < 0) {
        out += value.slice(i);
        break;
      }
      out += expand(value.slice(i + 2, end), env, missing);
      i = end + 1;
      continue;
    }
    let j = i + 1;
    while (j < value.length && isNameChar(value[j]!, j === i + 1)) j++;
    if (j === i + 1) {
      out += '$';
      i++;
      continue;
    }
    out += expand(value.slice(i + 1, j), env, missing);
    i = j;
  }
  return { value: out, missing };
}

function isNameChar(c: string, first: boolean): boolean {
  return c === '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (!first && c >= '0' && c <= '9');
}

function expand(body: string, env: Record<string, string | undefined>, missing: string[]): string {
  let n = 0;
  while (n < body.length && isNameChar(body[n]!, n === 0)) n++;
  const name = body.slice(0, n);
  const rest = body.slice(n);
  const value = env[name];
  const op = rest.startsWith(':') ? rest.slice(0, 2) : rest.slice(0, 1);
  const arg = rest.slice(op.length);
  const set = value !== undefined;
  const nonEmpty = set && value !== '';
  switch (op) {
    case ':-':
      return nonEmpty ? value! : arg;
    case '-':
      return set ? value! : arg;
    case ':+':
      return nonEmpty ? arg : '';
    case '+':
      return set ? arg : '';
    default:
      if (!set) missing.push(name);
      return value ?? '';
  }
}

/** A compose `.env` file: `KEY=VALUE` lines, `#` comments, optional `export `, quotes stripped. */
export function parseDotEnv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const body = line.startsWith('export ') ? line.slice(7).trim() : line;
    const eq = body.indexOf('=');
    if (eq <= 0) continue;
    let value = body.slice(eq + 1).trim();
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0])) value = value.slice(1, -1);
    env[body.slice(0, eq).trim()] = value;
  }
  return env;
}
