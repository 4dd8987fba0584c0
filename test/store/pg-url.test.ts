/**
 * PostgreSQL URLs the driver cannot read (src/store/postgres/pg-url.ts), promise by promise: the password hidden in
 * a URL that does not parse, and one line naming the bad part instead of `TypeError: Invalid URL` (exit 2).
 */
import { describe, expect, it } from 'vitest';
import { checkPostgresUrl, redactUrl } from '../../src/store/postgres/pg-url.js';
import { embnas } from '../e2e/cli.js';
import { thrownUsageError } from '../usage-error.js';

const refusal = (url: string) => thrownUsageError(() => checkPostgresUrl(url)).toLine();

describe('PostgreSQL URLs', () => {
  it('1. hide the password of a URL that does not parse, whatever it holds, and keep the user', () => {
    expect(redactUrl('postgresql://u:pw@127.0.0.1:notaport/db')).toBe('postgresql://u:***@127.0.0.1:notaport/db');
    expect(redactUrl('postgresql://u:p/w@h/db')).toBe('postgresql://u:***@h/db');
    expect(redactUrl('postgres://u:a@b@h:x/db?password=s3cret')).toBe('postgres://u:***@h:x/db?password=***');
    expect(redactUrl('postgresql://h:x/db')).toBe('postgresql://h:x/db');
  });

  it('2. name the bad part of a URL the driver cannot read, the password hidden', () => {
    expect(refusal('postgresql://u:pw@127.0.0.1:notaport/db')).toBe(
      'the database URL postgresql://u:***@127.0.0.1:notaport/db: its port "notaport" is not a number — ' +
        'write it as postgresql://user@host:5432/database',
    );
    expect(refusal('postgresql://u:pw@h:99999/db')).toMatch(/: its port 99999 is over 65535 — /);
    expect(refusal('postgresql://u:pw@[::1]:x/db')).toMatch(/: its port "x" is not a number — /);
    expect(refusal('postgresql://u:pw@a<b/db')).toMatch(/: its host "a<b" is not a host name or address — /);
    expect(refusal('postgresql://u:p/w@h/db')).toBe(
      'the database URL postgresql://u:***@h/db: its user or password holds a /, ? or # that is not percent-encoded — ' +
        'write / as %2F, ? as %3F and # as %23 there (or set the password in PGPASSWORD instead)',
    );
  });

  it('2. accept what the driver reads: a port, none, an empty host, a socket folder, an encoded password', () => {
    for (const url of [
      'postgresql://u:pw@127.0.0.1:5432/db',
      'postgres://h/db',
      'postgresql://u@/db?host=/var/run/postgresql',
      'postgresql://u:p%2Fw@h/db',
      'postgresql://[::1]:5433/db',
    ])
      expect(() => checkPostgresUrl(url), url).not.toThrow();
  });

  it('2. is one line and exit 1 from every command that opens the database, never the password', () => {
    const url = 'postgresql://u:pw@127.0.0.1:notaport/db';
    const space = 'test/fixtures/tiny-synthetic.yaml';
    for (const args of [['list'], ['show', 'x'], ['run', space, '--no-tui'], ['resume', 'x', '--no-tui'], ['worker']]) {
      const r = embnas([...args, '--db', url]);
      expect(r.code, `${args[0]}: ${r.stderr}`).toBe(1);
      expect(r.stderr).toBe(
        'embnas: the database URL postgresql://u:***@127.0.0.1:notaport/db: its port "notaport" is not a number — ' +
          'write it as postgresql://user@host:5432/database\n',
      );
    }
  }, 120_000);
});
