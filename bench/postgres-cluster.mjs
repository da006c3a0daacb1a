// A throwaway PostgreSQL cluster on loopback, for the tests (test/helpers/postgres-server.ts) and
// the budgetReserveSettle bench: initdb into a temp dir, pg_ctl start on a free port, pg_ctl stop
// and remove the dir at the end. Run as root, the server runs as the `postgres` user (it refuses
// root). fsync is off: the cluster is thrown away, and a test must not wait on the disk.
import { execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Where Debian's `postgresql` package puts the server binaries (newest version first), or PG_BIN. */
export function findPostgresBin(env = process.env) {
  if (env.PG_BIN) return existsSync(path.join(env.PG_BIN, 'initdb')) ? env.PG_BIN : undefined;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((name) => /^\d+$/.test(name))
    .sort((a, b) => Number(b) - Number(a));
  return versions.map((version) => path.join(root, version, 'bin')).find((bin) => existsSync(path.join(bin, 'initdb')));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** uid/gid of `postgres` when running as root (the server refuses to run as root), else nothing. */
function serverUser() {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return {};
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

function run(file, args, options) {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`${path.basename(file)} ${args.join(' ')} exited ${code}:\n${output}`))));
  });
}

/**
 * Starts a cluster; resolves to `{ adminUrl, port, stop }` once it accepts connections. The
 * `postgres` superuser is trusted on loopback (no password): the cluster lives for one run.
 */
export async function startPostgresCluster() {
  const bin = findPostgresBin();
  if (!bin) {
    throw new Error(
      'PostgreSQL server binaries not found (looked under /usr/lib/postgresql/*/bin and PG_BIN): install them with `apt-get install -y postgresql`, or set DSPEC_TEST_DATABASE_URL to a server to use',
    );
  }
  const user = serverUser();
  const dir = mkdtempSync(path.join(tmpdir(), 'dspec-pg-'));
  if (user.uid !== undefined) chownSync(dir, user.uid, user.gid);
  const data = path.join(dir, 'data');
  // The postgres user's own home may be unreadable to it from our cwd: run from the cluster dir.
  const options = { ...user, cwd: dir, env: { ...process.env, LC_ALL: 'C', LANG: 'C' } };
  await run(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions'], options);
  const port = await freePort();
  const serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  await run(path.join(bin, 'pg_ctl'), ['start', '-w', '-t', '60', '-D', data, '-l', path.join(dir, 'server.log'), '-o', serverOptions], options);
  let stopped = false;
  return {
    adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    async stop() {
      if (stopped) return;
      stopped = true;
      await run(path.join(bin, 'pg_ctl'), ['stop', '-D', data, '-m', 'immediate', '-w'], options).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
