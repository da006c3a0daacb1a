import { once } from '../../infra/once.js';
import type { DatabasePool } from './database-pool.js';
import { assertMigrated, migrate } from './migrations.js';

/**
 * What each user of the database (the cost store, the generation claims) awaits before its first
 * statement: pending migrations applied (`migrate`) or the schema checked, which fails with a
 * DatabaseError that says to run `dspec db migrate`. One check, shared by every caller; a failed
 * one is tried again on the next use, so migrating later heals a running server.
 */
export function schemaReadyCheck(database: DatabasePool, options: { migrate?: boolean | undefined }): () => Promise<void> {
  return once(() => (options.migrate ? migrate(database).then(() => undefined) : assertMigrated(database)));
}
