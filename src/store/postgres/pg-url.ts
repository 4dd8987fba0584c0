/**
 * PostgreSQL locations: which --db values are database URLs, and how to show one without its password (in
 * `store.location`, in every message and log line), since a URL is typed on command lines and copied into reports.
 */

export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/** `postgresql://user:***@host:port/db`: the password (in the user part or a `password` parameter) replaced. */
export function redactUrl(location: string): string {
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    // Not parseable as a URL: hide everything between the scheme and the last '@' rather than risk showing a secret.
    return location.replace(/^(postgres(?:ql)?:\/\/)[^@/]*@/i, '$1***@');
  }
  if (url.password) url.password = '***';
  if (url.searchParams.has('password')) url.searchParams.set('password', '***');
  return url.toString();
}
