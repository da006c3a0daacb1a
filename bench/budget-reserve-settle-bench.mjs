// budgetReserveSettle: the latency of one budget reservation plus its settlement on the
// PostgreSQL cost store over loopback, as each Tier 2 vendor call pays it: reserve (the budget
// advisory lock, sweep, spend and holds read, hold insert) then record (ledger row in, hold out,
// budget alerts read). A daily budget is set, so every reserve takes the locking path. Runs
// against DSPEC_BENCH_DATABASE_URL / DSPEC_TEST_DATABASE_URL (a superuser URL; a scratch database
// is made on it) or a throwaway cluster of Debian's postgresql binaries. Measures the built code
// in dist/ (`npm run build` first).
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startPostgresCluster } from './postgres-cluster.mjs';
import { median, percentile, printTable, round } from './stats.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const distDir = process.env.DSPEC_BENCH_DIST ?? path.join(root, 'dist');
const dist = (file) => pathToFileURL(path.join(distDir, file)).href;

export const TARGETS = { reserveSettleP50Ms: 5 };

const estimate = { operation: 'generate_component', component: 'Button', provider: 'anthropic', model: 'claude-sonnet-4-6', estimatedInputTokens: 10_000, maxOutputTokens: 4_000 };

export async function runBudgetReserveSettleBench({ runs = 400, warmup = 50, concurrentCalls = 200, print = true } = {}) {
  const [{ openPgCostStore }, { default: pg }] = await Promise.all([import(dist('cost/pg/open-pg-cost-store.js')), import('pg')]);
  const { sampleCall } = await import(pathToFileURL(path.join(root, 'test/cost/sample-call.mjs')).href);
  const call = sampleCall();
  const given = process.env.DSPEC_BENCH_DATABASE_URL ?? process.env.DSPEC_TEST_DATABASE_URL;
  const cluster = given ? undefined : await startPostgresCluster();
  const adminUrl = given ?? cluster?.adminUrl ?? '';
  const name = `dspec_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const replicas = [];
  try {
    for (let i = 0; i < 3; i++) replicas.push(await openPgCostStore({ url: url.toString(), config: {}, migrate: true }));
    const [store] = replicas;
    await store.updateBudgets({ daily: 1e6, monthly: 1e7 });
    const reserveAndSettle = async (replica) => {
      const reservation = await replica.tracker.reserve(estimate);
      await replica.tracker.record(call, reservation);
    };
    for (let i = 0; i < warmup; i++) await reserveAndSettle(store);
    const samples = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      await reserveAndSettle(store);
      samples.push(performance.now() - started);
    }
    // Three replicas at once: throughput when every reservation queues on the one budget lock.
    const started = performance.now();
    await Promise.all(Array.from({ length: concurrentCalls }, (_, i) => reserveAndSettle(replicas[i % 3])));
    const concurrentMs = performance.now() - started;
    const results = {
      targets: TARGETS,
      runs,
      p50Ms: round(median(samples), 2),
      p95Ms: round(percentile(samples, 95), 2),
      p99Ms: round(percentile(samples, 99), 2),
      concurrent: { replicas: 3, calls: concurrentCalls, totalMs: round(concurrentMs), perSecond: round((concurrentCalls / concurrentMs) * 1000) },
      server: given ? 'given' : 'throwaway cluster (fsync off)',
    };
    results.pass = results.p50Ms <= TARGETS.reserveSettleP50Ms;
    if (print) {
      printTable('Budget reservation + settle on PostgreSQL (loopback)', [
        { measure: `reserve + record, one replica (${runs} runs)`, value: `p50 ${results.p50Ms} ms, p95 ${results.p95Ms} ms`, target: `p50 ≤ ${TARGETS.reserveSettleP50Ms} ms` },
        { measure: `${concurrentCalls} reserve + record from 3 replicas at once`, value: `${results.concurrent.totalMs} ms (${results.concurrent.perSecond}/s)`, target: '-' },
      ]);
    }
    return results;
  } finally {
    await Promise.all(replicas.map((replica) => replica.close()));
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
    await cluster?.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runBudgetReserveSettleBench();
