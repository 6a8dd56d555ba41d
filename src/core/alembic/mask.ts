/** Replaces the password of a connection URL with `***`; text that is not a URL is returned as is. */
export function maskUrl(url: string): string {
  const password = passwordOf(url);
  return password === undefined ? url : maskSecrets(url, [password]);
}

/** The password part of `scheme://user:password@host/...`, percent-decoded forms included by maskSecrets. */
export function passwordOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.password ? parsed.password : undefined;
  } catch {
    return undefined;
  }
}

/** Removes every occurrence of the given secrets (and their percent-decoded forms) from text. */
export function maskSecrets(text: string, secrets: string[]): string {
  let out = text;
  for (const secret of secrets) {
    const forms = new Set([secret]);
    try {
      forms.add(decodeURIComponent(secret));
    } catch {
      // a malformed escape: the raw form is masked anyway
    }
    for (const form of forms) {
      if (form.length > 0) out = out.split(form).join('***');
    }
  }
  return out;
}
