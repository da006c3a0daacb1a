import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { DatabaseError } from '../../errors.js';
import type { DatabasePool } from './database-pool.js';

/**
 * The schema as versioned SQL files (`migrations/NNN_name.sql`), applied in order, each once,
 * recorded in `dspec_schema_migrations`. `migrate` runs them all in one transaction under an
 * advisory lock, so replicas that start at once migrate once: the others wait, then find
 * nothing left to apply. The build copies the folder to dist/cost/pg/migrations/.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export interface AppliedMigration {
  version: number;
  name: string;
  appliedAt: string;
}

export interface MigrationStatus {
  applied: AppliedMigration[];
  pending: Array<Pick<Migration, 'version' | 'name'>>;
}

const FILE_NAME = /^(\d{3})_([a-z0-9_]+)\.sql$/;

/** The folder beside this module in the sources and in tsc's output; from a bundle chunk (dist/chunks/), dist/cost/pg/migrations. */
function migrationsDirectory(): string {
  const candidates = ['./migrations/', '../cost/pg/migrations/', './cost/pg/migrations/'].map((relative) => fileURLToPath(new URL(relative, import.meta.url)));
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new DatabaseError(`the database migrations are missing from this installation (looked in ${candidates.join(', ')})`, { suggestion: 'Reinstall dspec.' });
  return found;
}

let loaded: Promise<Migration[]> | undefined;

/** Every migration shipped, in version order (read once per process: the files never change under it). */
export function loadMigrations(): Promise<Migration[]> {
  loaded ??= (async () => {
    const directory = migrationsDirectory();
    const migrations: Migration[] = [];
    for (const file of (await readdir(directory)).sort()) {
      const match = FILE_NAME.exec(file);
      if (!match) continue;
      migrations.push({ version: Number(match[1]), name: match[2]!, sql: await readFile(`${directory}/${file}`, 'utf8') });
    }
    migrations.forEach((migration, index) => {
      if (migration.version !== index + 1)
        throw new DatabaseError(`database migrations must be numbered 001, 002, … without gaps; found ${String(migration.version).padStart(3, '0')} at position ${index + 1}`);
    });
    return migrations;
  })();
  loaded.catch(() => (loaded = undefined));
  return loaded;
}

const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS dspec_schema_migrations (
  version integer PRIMARY KEY,
  name text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;

/** Applies the pending migrations in order, in one transaction; returns those it applied. */
export async function migrate(database: DatabasePool): Promise<{ applied: Array<Pick<Migration, 'version' | 'name'>>; version: number }> {
  const migrations = await loadMigrations();
  return database.transaction(async (client) => {
    await client.query(CREATE_MIGRATIONS_TABLE);
    const done = new Set((await client.query<{ version: number }>('SELECT version FROM dspec_schema_migrations')).rows.map((row) => row.version));
    const applied: Array<Pick<Migration, 'version' | 'name'>> = [];
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO dspec_schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      applied.push({ version: migration.version, name: migration.name });
    }
    return { applied, version: migrations.at(-1)?.version ?? 0 };
  }, 'migration');
}

/** What is applied and what is pending; an empty database has everything pending. */
export async function migrationStatus(database: DatabasePool): Promise<MigrationStatus> {
  const migrations = await loadMigrations();
  let applied: AppliedMigration[];
  try {
    const table = await database.pool.query<{ exists: boolean }>("SELECT to_regclass('dspec_schema_migrations') IS NOT NULL AS exists");
    applied = table.rows[0]?.exists
      ? (await database.pool.query<{ version: number; name: string; applied_at: Date }>('SELECT version, name, applied_at FROM dspec_schema_migrations ORDER BY version')).rows.map((row) => ({
          version: row.version,
          name: row.name,
          appliedAt: row.applied_at.toISOString(),
        }))
      : [];
  } catch (error) {
    throw database.explain(error);
  }
  const done = new Set(applied.map((migration) => migration.version));
  return { applied, pending: migrations.filter((migration) => !done.has(migration.version)).map(({ version, name }) => ({ version, name })) };
}

/** Throws a DatabaseError that says to run `dspec db migrate` when a migration is pending. */
export async function assertMigrated(database: DatabasePool): Promise<void> {
  const { pending } = await migrationStatus(database);
  if (pending.length === 0) return;
  const names = pending.map((migration) => `${String(migration.version).padStart(3, '0')}_${migration.name}`).join(', ');
  throw new DatabaseError(`the cost database at ${database.redactedUrl} is not migrated: ${pending.length} migration(s) pending (${names})`, {
    suggestion: 'Run `dspec db migrate` with the same DSPEC_DATABASE_URL (or start the server with DSPEC_DATABASE_MIGRATE=1).',
    context: { pending: pending.map((migration) => migration.version) },
  });
}
