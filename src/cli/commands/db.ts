import { InputError } from '../../errors.js';
import type { DatabasePool } from '../../cost/pg/database-pool.js';
import { usageLine } from '../command-definition.js';
import { ExitCode, type CliIo } from '../io.js';
import type { CliCommand, OpenRuntime } from '../run-cli.js';

const jsonOption = { json: { type: 'boolean', description: 'print the result as JSON' } } as const satisfies CliCommand['options'];

const versionName = (migration: { version: number; name: string }) => `${String(migration.version).padStart(3, '0')}_${migration.name}`;

/** The database of DSPEC_DATABASE_URL, for one command; closed when `work` returns. */
async function withDatabase<T>(openRuntime: OpenRuntime, positionals: string[], usage: string, work: (database: DatabasePool) => Promise<T>): Promise<T> {
  if (positionals.length) throw new InputError(`unexpected argument "${positionals[0]}"; usage: ${usage}`);
  const { config, logger } = await openRuntime();
  if (!config.database.url) {
    throw new InputError('no database is configured: DSPEC_DATABASE_URL is not set', {
      suggestion:
        'Set DSPEC_DATABASE_URL=postgres://user:password@host:5432/dspec (or "database": { "url": … } in dspec.config.json). Without it the ledger stays in files under .dspec/ and needs no migration.',
    });
  }
  const { openDatabasePool } = await import('../../cost/pg/database-pool.js');
  const database = await openDatabasePool(config.database.url, { logger, maxConnections: 1 });
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}

export const dbMigrateCommand: CliCommand = {
  words: ['db', 'migrate'],
  summary: 'Apply the pending migrations of the PostgreSQL cost database (DSPEC_DATABASE_URL), in order, in one transaction; replicas that run it at once migrate once.',
  options: jsonOption,
  async run({ values, positionals }, io: CliIo, openRuntime) {
    return withDatabase(openRuntime, positionals, usageLine(this), async (database) => {
      const { migrate } = await import('../../cost/pg/migrations.js');
      const result = await migrate(database);
      const report = { database: database.redactedUrl, applied: result.applied, version: result.version };
      const text = result.applied.length
        ? `applied ${result.applied.map(versionName).join(', ')} to ${database.redactedUrl}: schema version ${result.version}\n`
        : `${database.redactedUrl} is up to date: schema version ${result.version}, nothing to apply\n`;
      io.stdout(values.json ? `${JSON.stringify(report, null, 2)}\n` : text);
      return ExitCode.Ok;
    });
  },
};

export const dbStatusCommand: CliCommand = {
  words: ['db', 'status'],
  summary: 'Which migrations the PostgreSQL cost database (DSPEC_DATABASE_URL) has applied and which are pending. Exit 1 when any is pending.',
  options: jsonOption,
  async run({ values, positionals }, io: CliIo, openRuntime) {
    return withDatabase(openRuntime, positionals, usageLine(this), async (database) => {
      const { migrationStatus } = await import('../../cost/pg/migrations.js');
      const status = await migrationStatus(database);
      const lines = [
        `${database.redactedUrl}: ${status.applied.length} migration(s) applied, ${status.pending.length} pending`,
        ...status.applied.map((migration) => `  applied  ${versionName(migration)}  ${migration.appliedAt}`),
        ...status.pending.map((migration) => `  pending  ${versionName(migration)}`),
        ...(status.pending.length ? ['Run `dspec db migrate` to apply them.'] : []),
      ];
      io.stdout(values.json ? `${JSON.stringify({ database: database.redactedUrl, ...status }, null, 2)}\n` : `${lines.join('\n')}\n`);
      return status.pending.length ? ExitCode.Findings : ExitCode.Ok;
    });
  },
};
