import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { loadMigrations } from '../../src/cost/pg/migrations.js';
import { openPgCostStore } from '../../src/cost/pg/open-pg-cost-store.js';
import { tempHome } from '../cache/entry-fixture.js';
import { startPostgresServer, type PostgresServer } from '../helpers/postgres-server.js';
import { sampleCall } from './ledger-record-fixture.js';
import { baseEnv, ensureBuilt, startHttpChild } from '../reliability/support/built-server.js';

let server: PostgresServer;
beforeAll(async () => {
  server = await startPostgresServer();
});
afterAll(async () => {
  await server?.stop();
});

const SECRET = 'hunter2-not-printed';

/** The URL of a fresh database, with a password the loopback cluster ignores (trust) but that must never be printed. */
async function databaseUrlWithPassword(): Promise<string> {
  const url = new URL(await server.createDatabase());
  url.password = SECRET;
  return url.toString();
}

async function dspec(args: string[], cwd: string, env: NodeJS.ProcessEnv) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text), cwd, env: { DSPEC_LOG_LEVEL: 'silent', ...env } });
  expect(stdout + stderr).not.toContain(SECRET);
  return { code, stdout, stderr };
}

describe('dspec db and dspec cost on PostgreSQL', () => {
  it('db status lists pending migrations (exit 1), db migrate applies them once, then status is clean', async () => {
    const cwd = tempHome('dspec-db-');
    const env = { DSPEC_DATABASE_URL: await databaseUrlWithPassword() };
    const before = await dspec(['db', 'status'], cwd, env);
    expect(before.code).toBe(1);
    const shipped = await loadMigrations();
    expect(before.stdout).toContain(`0 migration(s) applied, ${shipped.length} pending`);
    expect(before.stdout).toMatch(/pending {2}001_ledger/);
    expect(before.stdout).toContain(':***@127.0.0.1');

    const migrated = await dspec(['db', 'migrate', '--json'], cwd, env);
    expect(migrated.code).toBe(0);
    expect(JSON.parse(migrated.stdout)).toEqual({
      database: expect.stringContaining(':***@127.0.0.1'),
      version: shipped.length,
      applied: shipped.map(({ version, name }) => ({ version, name })),
    });
    expect(shipped.slice(0, 3).map((migration) => migration.name)).toEqual(['ledger', 'budgets_and_reservations', 'breaker_streaks']);
    expect((await dspec(['db', 'migrate'], cwd, env)).stdout).toContain(`is up to date: schema version ${shipped.length}, nothing to apply`);

    const after = await dspec(['db', 'status', '--json'], cwd, env);
    expect(after.code).toBe(0);
    expect(JSON.parse(after.stdout).pending).toEqual([]);
  });

  it('db commands without DSPEC_DATABASE_URL exit 2 and say what to set', async () => {
    const result = await dspec(['db', 'migrate'], tempHome('dspec-db-'), {});
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/DSPEC_DATABASE_URL is not set/);
  });

  it('cost budget writes the budgets to the database (not .dspec/), and cost summary and budget read the ledger from it', async () => {
    const cwd = tempHome('dspec-db-');
    const url = await databaseUrlWithPassword();
    const env = { DSPEC_DATABASE_URL: url, DSPEC_DATABASE_MIGRATE: '1' };
    const set = await dspec(['cost', 'budget', '--daily', '5', '--component', 'Button=0.01', '--json'], cwd, env);
    expect(set.code).toBe(0);
    expect(JSON.parse(set.stdout).budgets).toMatchObject({ daily: 5, components: { Button: 0.01 } });
    expect(existsSync(path.join(cwd, '.dspec', 'budgets.json'))).toBe(false);

    // Another replica records a call ($0.045) through its own store.
    const replica = await openPgCostStore({ url, config: {} });
    try {
      await replica.tracker.record(sampleCall());
    } finally {
      await replica.close();
    }
    const summary = JSON.parse((await dspec(['cost', 'summary', '--json'], cwd, env)).stdout);
    expect(summary.totals).toMatchObject({ llmCalls: 1, records: 1, inputTokens: 10_000, outputTokens: 1_000 });
    expect(summary.totals.cost).toBeCloseTo(0.045, 10);
    const budget = await dspec(['cost', 'budget'], cwd, env);
    expect(budget.code).toBe(1); // the Button limit ($0.01) is exceeded
    expect(budget.stdout).toMatch(/daily\s+\$5\.00\s+\$0\.05/);
  });

  it('a server against an unmigrated database answers its first cost call with the migrate hint', async () => {
    const cwd = tempHome('dspec-db-');
    const result = await dspec(['cost', 'summary'], cwd, { DSPEC_DATABASE_URL: await databaseUrlWithPassword() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/is not migrated: \d+ migration\(s\) pending \(001_ledger, .*dspec db migrate/);
  });

  it('a server started with DSPEC_DATABASE_MIGRATE=1 has migrated before its ready line; without it the database is left as it is', async () => {
    ensureBuilt();
    for (const migrateOnStart of [false, true]) {
      const cwd = tempHome('dspec-serve-migrate-');
      const env = { DSPEC_DATABASE_URL: await databaseUrlWithPassword() };
      const child = await startHttpChild(cwd, baseEnv(cwd, { ...env, DSPEC_LOG_LEVEL: 'info', ...(migrateOnStart ? { DSPEC_DATABASE_MIGRATE: '1' } : {}) }));
      try {
        const status = await dspec(['db', 'status'], cwd, env);
        expect(status.code, status.stdout + status.stderr).toBe(migrateOnStart ? 0 : 1);
      } finally {
        await child.stop();
      }
    }
  });
});
