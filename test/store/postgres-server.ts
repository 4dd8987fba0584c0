/**
 * A PostgreSQL server for the store tests. EMBNAS_TEST_PG_URL, when set, names one (its user must be allowed to
 * CREATE DATABASE); otherwise, when PostgreSQL's binaries are installed (Debian: /usr/lib/postgresql/<v>/bin), a test
 * file starts a throwaway cluster of its own in a temp dir — trust authentication, a free port on 127.0.0.1, its
 * unix socket inside the temp dir, fsync off — and stops and removes it at the end. initdb refuses to run as root, so
 * under root the cluster belongs to the `postgres` user. Each test gets its own database.
 */
import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/** The newest installed /usr/lib/postgresql/<version>/bin, if any. */
export function postgresBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(root, versions[0], 'bin') : undefined;
}

export const PG_URL_ENV = 'EMBNAS_TEST_PG_URL';
export const PG_PRESENT = !!process.env[PG_URL_ENV] || postgresBin() !== undefined;
export const PG_WHAT = `PostgreSQL (${PG_URL_ENV}, or initdb under /usr/lib/postgresql/*/bin)`;
export const PG_INSTALL = `apt-get install postgresql, or set ${PG_URL_ENV} to a server whose user may CREATE DATABASE`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

/** A throwaway cluster: started, stopped and started again (the reconnection test), removed at the end. */
export class LocalCluster {
  private running = false;
  private readonly asUser: string[];

  private constructor(
    private readonly bin: string,
    readonly dir: string,
    readonly port: number,
    user: string | undefined,
  ) {
    this.asUser = user ? ['runuser', '-u', user, '--'] : [];
  }

  /** The superuser's URL (database `postgres`), over TCP. */
  get url(): string {
    return `postgresql://embnas@127.0.0.1:${this.port}/postgres`;
  }

  static async create(bin: string): Promise<LocalCluster> {
    const dir = mkdtempSync(path.join(tmpdir(), 'embnas-pg-'));
    const root = process.getuid?.() === 0;
    if (root) {
      const ids = spawnSync('id', ['-u', 'postgres']);
      const uid = Number(ids.stdout.toString().trim());
      const gid = Number(spawnSync('id', ['-g', 'postgres']).stdout.toString().trim());
      if (ids.status !== 0) throw new Error('running as root needs a postgres user to own the test cluster');
      chownSync(dir, uid, gid);
    }
    const cluster = new LocalCluster(bin, dir, await freePort(), root ? 'postgres' : undefined);
    await cluster.exec('initdb', [
      '-D',
      cluster.data,
      '-U',
      'embnas',
      '-A',
      'trust',
      '-E',
      'UTF8',
      '--no-locale',
      '-N',
    ]);
    await cluster.start();
    process.once('exit', () => cluster.running && cluster.stopNow());
    return cluster;
  }

  private get data(): string {
    return path.join(this.dir, 'data');
  }

  private exec(tool: string, args: string[]) {
    const [command, ...rest] = [...this.asUser, path.join(this.bin, tool), ...args];
    return run(command, rest, { timeout: 60_000 });
  }

  async start(): Promise<void> {
    const server = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -F -c max_connections=50`;
    await this.exec('pg_ctl', ['-D', this.data, '-l', path.join(this.dir, 'log'), '-w', '-o', server, 'start']);
    this.running = true;
  }

  /** Stops the server as an administrator's fast shutdown does: open sessions are cut. */
  async stop(): Promise<void> {
    await this.exec('pg_ctl', ['-D', this.data, '-m', 'fast', '-w', 'stop']);
    this.running = false;
  }

  private stopNow(): void {
    const [command, ...rest] = [
      ...this.asUser,
      path.join(this.bin, 'pg_ctl'),
      '-D',
      this.data,
      '-m',
      'immediate',
      'stop',
    ];
    spawnSync(command, rest, { stdio: 'ignore' });
    this.running = false;
  }

  destroy(): void {
    if (this.running) this.stopNow();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The server the tests of one file use: EMBNAS_TEST_PG_URL's, or a local cluster started for the file. */
export async function startTestServer(): Promise<{ url: string; cluster?: LocalCluster; close(): void }> {
  const given = process.env[PG_URL_ENV];
  if (given) return { url: given, close: () => undefined };
  const bin = postgresBin();
  if (!bin) throw new Error(`no PostgreSQL to test against: ${PG_INSTALL}`);
  const cluster = await LocalCluster.create(bin);
  return { url: cluster.url, cluster, close: () => cluster.destroy() };
}

/** The admin URL with another database name. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** A new, empty database on the server; `drop` removes it (closing whatever is still connected). */
export async function freshDatabase(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `embnas_test_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  return { url: withDatabase(adminUrl, name), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
