/**
 * PostgreSQL locations: which --db values are database URLs, how to show one without its password (in
 * `store.location`, in every message and log line), since a URL is typed on command lines and copied into reports,
 * and which part of a URL the driver cannot read, said before it throws a bare `TypeError: Invalid URL`.
 *
 * 1. `redactUrl` replaces the password — in the user part or a `password` parameter — with `***`, in a URL that
 *    does not parse too (there everything between the scheme's `//` and the last `@` after the user name).
 * 2. `checkPostgresUrl` accepts what the driver (pg-connection-string) parses; anything else is one UsageError
 *    naming the URL (redacted) and its bad part: the port, the host, or a user or password that needs encoding.
 */
import { UsageError } from '../../errors.js';

export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

const SCHEME = /^(postgres(?:ql)?:\/\/)(.*)$/is;

/** `postgresql://user:***@host:port/db`: the password (in the user part or a `password` parameter) replaced. */
export function redactUrl(location: string): string {
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    // Not parseable as a URL: keep the scheme, the user name and what follows the last '@'; hide the rest.
    const [, scheme, rest] = SCHEME.exec(location) ?? [];
    if (scheme === undefined) return location;
    const at = rest.lastIndexOf('@');
    const user = at < 0 ? '' : rest.slice(0, at);
    const shownUser = user.includes(':') ? `${user.slice(0, user.indexOf(':'))}:***@` : at < 0 ? '' : `${user}@`;
    return `${scheme}${shownUser}${rest.slice(at + 1).replace(/([?&]password=)[^&#]*/gi, '$1***')}`;
  }
  if (url.password) url.password = '***';
  if (url.searchParams.has('password')) url.searchParams.set('password', '***');
  return url.toString();
}

/** Whether the driver parses `location` (as pg-connection-string does: spaces encoded, an empty host allowed). */
function driverParses(location: string): boolean {
  const text = / |%[^a-f0-9]|%[a-f0-9][^a-f0-9]/i.test(location)
    ? encodeURI(location).replace(/%25(\d\d)/g, '%$1')
    : location;
  for (const candidate of [text, text.replace('@/', '@___DUMMY___/')]) {
    try {
      new URL(candidate, 'postgres://base');
      return true;
    } catch {
      // the next form, else not a URL the driver reads
    }
  }
  return false;
}

/** Refuses a URL the driver cannot parse, naming its bad part (see the header, 2). */
export function checkPostgresUrl(location: string): void {
  if (driverParses(location)) return;
  const shown = redactUrl(location);
  const refuse = (what: string, hint = 'write it as postgresql://user@host:5432/database') =>
    new UsageError(`the database URL ${shown}: ${what}`, hint);
  const rest = SCHEME.exec(location)?.[2] ?? '';
  const at = rest.lastIndexOf('@');
  if (at >= 0 && /[/?#]/.test(rest.slice(0, at))) {
    throw refuse(
      'its user or password holds a /, ? or # that is not percent-encoded',
      'write / as %2F, ? as %3F and # as %23 there (or set the password in PGPASSWORD instead)',
    );
  }
  const hostPort = rest.slice(at + 1).split(/[/?#]/)[0];
  const ipv6 = /^\[[^\]]*\]/.exec(hostPort)?.[0];
  const colon = ipv6 !== undefined ? ipv6.length : hostPort.lastIndexOf(':');
  const host = colon < 0 ? hostPort : hostPort.slice(0, colon);
  const port = colon < 0 || hostPort[colon] !== ':' ? undefined : hostPort.slice(colon + 1);
  if (port !== undefined && !/^\d*$/.test(port)) throw refuse(`its port "${port}" is not a number`);
  if (port !== undefined && Number(port) > 65535) throw refuse(`its port ${port} is over 65535`);
  throw refuse(host === '' ? 'it is not a URL' : `its host "${host}" is not a host name or address`);
}
