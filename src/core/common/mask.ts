/**
 * Passwords never reach a log line, an error text or the terminal. Every layer masks through here.
 */

/**
 * Replaces passwords in text with `***`: the password part of any `scheme://user:password@host`
 * and `password=...` in keyword/value connection strings.
 */
export function maskUrl(text: string): string {
  return text
    .replace(/([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)([^\s]*)@/gi, '$1***@')
    .replace(/\b(password|PGPASSWORD)=('[^']*'|"[^"]*"|\S+)/gi, '$1=***');
}

/** The password part of `scheme://user:password@host/...`, or undefined. */
export function passwordOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.password ? parsed.password : undefined;
  } catch {
    return undefined;
  }
}

/** Removes every occurrence of the given secrets (raw and percent-decoded) from text, after maskUrl. */
export function maskSecrets(text: string, secrets: (string | undefined)[]): string {
  let out = maskUrl(text);
  for (const secret of secrets) {
    if (!secret) continue;
    const forms = new Set([secret]);
    try {
      forms.add(decodeURIComponent(secret));
    } catch {
      // a malformed escape: the raw form is masked anyway
    }
    for (const form of forms) if (form.length > 0) out = out.split(form).join('***');
  }
  return out;
}
