import type { GenerationClaims } from './generation-claims.js';
import type { ClaimsLogger } from './postgres-claims.js';

export interface OpenGenerationClaimsOptions {
  /** `database.url` (DSPEC_DATABASE_URL): claims in PostgreSQL, shared by every replica; unset, claims within this process. */
  databaseUrl?: string | undefined;
  /** Apply pending migrations on first use (`database.migrateOnStart`); otherwise the first claim checks the schema. */
  migrate?: boolean;
  /** How long a claim outlives its holder's last renewal (`database.claimLeaseMs`). */
  leaseMs?: number;
  logger?: ClaimsLogger;
}

/** The claims backend the configuration asks for; the PostgreSQL driver loads only when a database is configured. */
export async function openGenerationClaims(options: OpenGenerationClaimsOptions): Promise<GenerationClaims> {
  if (!options.databaseUrl) {
    const { InProcessClaims } = await import('./in-process-claims.js');
    return new InProcessClaims();
  }
  const [{ openDatabasePool }, { schemaReadyCheck }, { PostgresClaims }] = await Promise.all([
    import('../../cost/pg/database-pool.js'),
    import('../../cost/pg/schema-ready.js'),
    import('./postgres-claims.js'),
  ]);
  // A small pool of its own: a claim is one short statement, and the ledger's pool stays the ledger's.
  const database = await openDatabasePool(options.databaseUrl, { logger: options.logger, maxConnections: 4 });
  const ready = schemaReadyCheck(database, { migrate: options.migrate });
  return new PostgresClaims({ pool: database.pool, ready, leaseMs: options.leaseMs, explain: (error) => database.explain(error), endPool: () => database.close(), logger: options.logger });
}
