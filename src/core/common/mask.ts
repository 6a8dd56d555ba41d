/**
 * Passwords never reach a log line, an error text or the terminal. Every layer masks through here.
 */

/**
 * Replaces passwords in text with `***`, whatever the shape of the URL:
 * - in anything that starts like a URL (`scheme:` then zero to three slashes, so malformed
 *   `postgresql:/user:SECRET@host` and `postgresql:user:SECRET@host` too), everything after the user
 *   name up to the LAST `@` of the word (an unencoded `@` in a password cannot leak its tail);
 * - every `password=` / `password:` / `PGPASSWORD=` parameter (query strings, keyword/value
 *   connection strings, JSON), quoted or not.
 * A user name alone (`postgresql://app@db`) holds no secret and stays.
 */
export function maskUrl(text: string): string {
  return text
    .replace(/([a-z][a-z0-9+.-]*:\/{0,3})(\S*)@/gi, (whole, scheme: string, userinfo: string) => {
      const colon = userinfo.search(/:|%3a/i);
      return colon < 0 ? whole : `${scheme}${userinfo.slice(0, colon)}:***@`;
    })
    .replace(/\b((?:ssl)?password|passwd|pgpassword)("?\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s&;,"'}]+)/gi, '$1$2***');
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
