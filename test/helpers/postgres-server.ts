import { randomBytes } from 'node:crypto';
import pg from 'pg';
// Plain ESM shared with the budgetReserveSettle bench, which cannot import TypeScript.
import { startPostgresCluster } from '../../bench/postgres-cluster.mjs';

/**
 * A real PostgreSQL for one test file: the server `.ci/run` started (DSPEC_TEST_DATABASE_URL,
 * a superuser URL) or, without it, a throwaway cluster of Debian's `postgresql` binaries on a
 * free loopback port, stopped by `stop()`. Each test asks `createDatabase()` for a database of
 * its own (random name), so tests never see each other's rows.
 */
export interface PostgresServer {
  /** A fresh, empty database; resolves to its URL. */
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
}

export async function startPostgresServer(env: NodeJS.ProcessEnv = process.env): Promise<PostgresServer> {
  const given = env.DSPEC_TEST_DATABASE_URL;
  const cluster = given ? undefined : await startPostgresCluster();
  const adminUrl = given ?? cluster!.adminUrl;
  const created: string[] = [];
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  return {
    async createDatabase() {
      const name = `dspec_test_${randomBytes(6).toString('hex')}`;
      await admin.query(`CREATE DATABASE ${name}`);
      created.push(name);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      return url.toString();
    },
    async stop() {
      // A server .ci/run owns outlives this file: drop what this file made on it.
      if (given) for (const name of created) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
      await admin.end();
      await cluster?.stop();
    },
  };
}
