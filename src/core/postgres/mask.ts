/**
 * Replaces passwords in text with `***`: the password part of any `scheme://user:password@host`
 * and `password=...` in keyword/value connection strings. Used on every log line and error text.
 */
export function maskUrl(text: string): string {
  return text
    .replace(/([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)([^\s]*)@/gi, '$1***@')
    .replace(/\b(password|PGPASSWORD)=('[^']*'|"[^"]*"|\S+)/gi, '$1=***');
}

/** Also removes a known password wherever it appears verbatim (server errors may echo it). */
export function scrub(text: string, password: string | undefined): string {
  const masked = maskUrl(text);
  return password ? masked.split(password).join('***') : masked;
}
