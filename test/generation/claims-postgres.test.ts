import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabasePool } from '../../src/cost/pg/database-pool.js';
import { migrate } from '../../src/cost/pg/migrations.js';
import { awaitTurn } from '../../src/generation/claims/await-turn.js';
import type { GenerationClaims } from '../../src/generation/claims/generation-claims.js';
import { PostgresClaims } from '../../src/generation/claims/postgres-claims.js';
import { systemClock } from '../../src/generation/clock.js';
import { routeComponentRequest } from '../../src/generation/pipeline/route-component-request.js';
import type { GenerationProgress } from '../../src/generation/pipeline/generation-request.js';
import { loadConfig } from '../../src/infra/config.js';
import { startFakeAnthropicServer, type FakeAnthropicServer } from '../fakes/fake-anthropic-server.js';
import { startPostgresServer, type PostgresServer } from '../helpers/postgres-server.js';
import { testRuntime } from '../helpers/test-runtime.js';
import { ClaimRace, ContendedClaims, withClaims } from './claims-contention.js';
import { STAT_CARD_THEME, VALID_STAT_CARD_OUTPUT } from './fixtures/stat-card.mjs';

const DESCRIPTION = 'A card showing one key figure with its label and its change against the previous period.';
const REQUEST = { name: 'StatCard', description: DESCRIPTION, theme: STAT_CARD_THEME, format: 'tsx' as const };
// Renewals are driven by hand, never by a timer.
const noRenewal = () => () => {};

describe('generation claims in PostgreSQL, shared by replicas', () => {
  let server: PostgresServer;
  let url: string;
  const pools: pg.Pool[] = [];
  const poolOf = () => {
    const pool = new pg.Pool({ connectionString: url, max: 4 });
    // The database is dropped WITH (FORCE) at the end while ended pools may still be closing their
    // connections: unheard, that error would end the test worker (the product's pool listens too).
    pool.on('error', () => {});
    pools.push(pool);
    return pool;
  };
  const holderOf = async (key: string) => (await pools[0]!.query<{ holder: string }>('SELECT holder FROM dspec_generation_claims WHERE cache_key = $1', [key])).rows[0]?.holder;

  beforeAll(async () => {
    server = await startPostgresServer();
    url = await server.createDatabase();
    // The schema as `dspec db migrate` makes it (migration 004 is the claims table).
    const database = await openDatabasePool(url);
    await migrate(database);
    await database.close();
  }, 120_000);
  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.end()));
    await server?.stop();
  });

  it('of ten replicas claiming one key at once, exactly one wins; the others are told who holds it', async () => {
    const replicas = Array.from({ length: 10 }, (_, index) => new PostgresClaims({ pool: poolOf(), holder: `replica-${index}`, every: noRenewal }));
    const attempts = await Promise.all(replicas.map((claims) => claims.tryClaim('key-race')));
    const winners = attempts.flatMap((attempt, index) => (attempt.won ? [`replica-${index}`] : []));
    expect(winners).toHaveLength(1);
    expect(new Set(attempts.flatMap((attempt) => (attempt.won ? [] : [attempt.holder])))).toEqual(new Set(winners));
    expect(await holderOf('key-race')).toBe(winners[0]);
  });

  it('a release deletes the claim, so the next claimant wins at once; a second release does nothing', async () => {
    const first = new PostgresClaims({ pool: poolOf(), holder: 'first', every: noRenewal });
    const second = new PostgresClaims({ pool: poolOf(), holder: 'second', every: noRenewal });
    const held = await first.tryClaim('key-release');
    if (!held.won) throw new Error('the first claim of a fresh key must win');
    expect(await second.tryClaim('key-release')).toEqual({ won: false, holder: 'first' });
    await held.claim.release();
    await held.claim.release();
    expect((await second.tryClaim('key-release')).won).toBe(true);
    expect(await holderOf('key-release')).toBe('second');
  });

  it("the claim of a holder that died is taken over once its lease runs out, and the dead holder's late release leaves the new claim alone", async () => {
    const deadPool = poolOf();
    // A holder that never renews (its process was killed): its claim outlives it until the lease ends.
    const dead = new PostgresClaims({ pool: deadPool, holder: 'killed-replica', leaseMs: 30_000, every: noRenewal });
    const deadClaim = await dead.tryClaim('key-dead');
    if (!deadClaim.won) throw new Error('the first claim of a fresh key must win');
    const live = new PostgresClaims({
      pool: poolOf(),
      holder: 'live-replica',
      every: noRenewal,
      // The poll wait is when the lease runs out: the database's clock moves past it.
      sleep: async () => {
        await pools[0]!.query("UPDATE dspec_generation_claims SET expires_at = now() - interval '1 millisecond' WHERE cache_key = $1", ['key-dead']);
      },
    });
    const waitedFor: string[] = [];
    const turn = await awaitTurn(live, 'key-dead', { lookAgain: async () => undefined, now: () => 0, giveUpAt: 1, onWaiting: (holder) => waitedFor.push(holder) });
    expect(waitedFor).toEqual(['killed-replica']);
    expect(turn.kind).toBe('held');
    expect(await holderOf('key-dead')).toBe('live-replica');
    await deadClaim.claim.release();
    expect(await holderOf('key-dead')).toBe('live-replica');
  });

  it('a live claim is not taken over: its holder renews the lease before it runs out', async () => {
    let renew: (() => Promise<void>) | undefined;
    const holder = new PostgresClaims({ pool: poolOf(), holder: 'renewing', leaseMs: 30_000, every: (_ms, run) => ((renew = run), () => (renew = undefined)) });
    const held = await holder.tryClaim('key-renew');
    if (!held.won) throw new Error('the first claim of a fresh key must win');
    await pools[0]!.query("UPDATE dspec_generation_claims SET expires_at = now() + interval '1 second' WHERE cache_key = $1", ['key-renew']);
    await renew!();
    const left = await pools[0]!.query<{ left: number }>('SELECT extract(epoch FROM expires_at - now())::float8 AS left FROM dspec_generation_claims WHERE cache_key = $1', ['key-renew']);
    expect(left.rows[0]!.left).toBeGreaterThan(20);
    expect((await new PostgresClaims({ pool: poolOf(), every: noRenewal }).tryClaim('key-renew')).won).toBe(false);
    await held.claim.release();
    expect(renew).toBeUndefined();
  });

  it('a waiter whose request is cancelled stops waiting, and the holder keeps its claim', async () => {
    const holder = new PostgresClaims({ pool: poolOf(), holder: 'holding', every: noRenewal });
    expect((await holder.tryClaim('key-abort')).won).toBe(true);
    const controller = new AbortController();
    // Real waits, long ones: only the cancellation can end this wait.
    const waiter = new PostgresClaims({ pool: poolOf(), holder: 'waiting', every: noRenewal, poll: { firstMs: 600_000, maxMs: 600_000 }, sleep: (ms, signal) => systemClock.sleep(ms, signal) });
    const waiting = awaitTurn(waiter, 'key-abort', {
      lookAgain: async () => undefined,
      signal: controller.signal,
      now: () => 0,
      giveUpAt: 1,
      onWaiting: () => setImmediate(() => controller.abort('client cancelled')),
    });
    await expect(waiting).rejects.toThrow('client cancelled');
    expect(await holderOf('key-abort')).toBe('holding');
  });

  it('a runtime given DSPEC_DATABASE_URL claims in PostgreSQL, with the lease DSPEC_CLAIM_LEASE_MS sets', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'dspec-claims-pg-'));
    const env = { DSPEC_DATABASE_URL: url, DSPEC_CLAIM_LEASE_MS: '4000' };
    const runtime = testRuntime({ cwd, env, config: loadConfig({ cwd, env }) });
    const { claims } = await runtime.generation();
    expect(claims).toBeInstanceOf(PostgresClaims);
    expect((await claims.tryClaim('key-lease')).won).toBe(true);
    const lease = await pools[0]!.query<{ seconds: number }>('SELECT extract(epoch FROM expires_at - claimed_at)::float8 AS seconds FROM dspec_generation_claims WHERE cache_key = $1', ['key-lease']);
    expect(lease.rows[0]!.seconds).toBe(4);
    // Closing the runtime lets go of what it holds, so no replica waits for the lease to end.
    await runtime.close();
    expect(await holderOf('key-lease')).toBeUndefined();
  });

  describe('two runtimes, each with its own pool, one shared cache', () => {
    let fake: FakeAnthropicServer;
    beforeAll(async () => {
      fake = await startFakeAnthropicServer();
    });
    afterAll(async () => {
      await fake.close();
    });

    it('racing on one spec: one vendor call; the other is served the entry from the cache as a hit', async () => {
      // A second call would find the queue empty and fail with a 500.
      fake.enqueue({ kind: 'tool', input: VALID_STAT_CARD_OUTPUT });
      const cwd = mkdtempSync(path.join(tmpdir(), 'dspec-claims-pg-'));
      // Each runtime builds its claims (and its pools) from DSPEC_DATABASE_URL, as a replica does.
      const env = { ANTHROPIC_API_KEY: 'sk-ant-test-claims', ANTHROPIC_BASE_URL: fake.baseURL, DSPEC_PROVIDER: 'anthropic', DSPEC_MODEL: 'claude-sonnet-4-5', DSPEC_DATABASE_URL: url };
      const race = new ClaimRace(1);
      const ownClaims: GenerationClaims[] = [];
      const replicas = [0, 1].map(() => {
        const runtime = testRuntime({ cwd, env, config: loadConfig({ cwd, env }) });
        return { runtime, racing: withClaims(runtime, (own) => (ownClaims.push(own), new ContendedClaims(own, race))) };
      });
      const stages: GenerationProgress['stage'][][] = [[], []];
      const results = await Promise.all(
        replicas.map(({ runtime, racing }, index) => routeComponentRequest(REQUEST, { runtime: racing, logger: runtime.logger, onProgress: (progress) => stages[index]!.push(progress.stage) })),
      );
      expect(fake.messageCount).toBe(1);
      expect(results.map((result) => result.cacheHit).sort()).toEqual([false, true]);
      expect(results[0]!.hash).toBe(results[1]!.hash);
      expect(race).toMatchObject({ wins: 1 });
      expect(race.losses).toBeGreaterThanOrEqual(1);
      const waiter = results.findIndex((result) => result.cacheHit);
      expect(stages[waiter]).toEqual(expect.arrayContaining(['waiting', 'cache-hit']));
      expect(await holderOf(race.keys[0]!)).toBeUndefined();
      expect(ownClaims.every((claims) => claims instanceof PostgresClaims)).toBe(true);
      expect(new Set(ownClaims.map((claims) => claims.holder)).size).toBe(2);
      // The ledger is in the same database: one paid line, one cache hit at no cost.
      const ledger = await pools[0]!.query<{ outcome: string; total_cost: number }>('SELECT outcome, total_cost FROM dspec_ledger ORDER BY outcome');
      expect(ledger.rows.map((row) => row.outcome)).toEqual(['cache_hit', 'success']);
      expect(ledger.rows[0]!.total_cost).toBe(0);
      expect(ledger.rows[1]!.total_cost).toBeGreaterThan(0);
      await Promise.all(replicas.map(({ runtime }) => runtime.close()));
    });
  });
});
