// A shared-cache hit: one replica stored the entries in an S3-compatible store; another replica
// (its own S3Cache and client, empty memory cache) is asked for them, so every hit is a GetObject
// over loopback plus the entry's verification, with the admission a stand-in that passes (the
// gate's own cost is the cacheGate section's). The store is s3rver behind the strict front of
// test/helpers/s3-test-server.mjs, or the server DSPEC_TEST_S3_ENDPOINT names.
// Needs a build (`npm run build`); DSPEC_BENCH_DIST points at another tsc output instead.
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median, percentile, printTable, round } from './stats.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const distDir = process.env.DSPEC_BENCH_DIST ?? path.join(root, 'dist');
const dist = (file) => pathToFileURL(path.join(distDir, file)).href;

export const TARGETS = { hitMedianMs: 10 };

export async function runSharedCacheHitBench({ entries = 300, warmup = 20, print = true } = {}) {
  const { createS3Cache } = await import(dist('cache/s3-cache.js'));
  const { cacheKeyOf, hashBundle } = await import(dist('cache/canonical-json.js'));
  const { BundleSchema } = await import(dist('shapes/bundle.js'));
  const { toBundle } = await import(dist('generation/pipeline/model-answer.js'));
  const { VALID_STAT_CARD_OUTPUT } = await import(pathToFileURL(path.join(root, 'test/generation/fixtures/stat-card.mjs')).href);
  const { statCardEntryOf } = await import(pathToFileURL(path.join(root, 'test/cache/stat-card-entry.mjs')).href);
  const codec = { cacheKeyOf, hashBundle, toBundle, BundleSchema };
  const { spawnS3TestServer, TEST_S3_CREDENTIALS } = await import(pathToFileURL(path.join(root, 'test/helpers/s3-test-server.mjs')).href);
  const { S3Client, CreateBucketCommand } = await import('@aws-sdk/client-s3');

  const shared = process.env.DSPEC_TEST_S3_ENDPOINT;
  const started = shared ? undefined : await spawnS3TestServer();
  const endpoint = shared ?? started.endpoint;
  const bucket = `dspec-bench-${Date.now().toString(36)}`;
  const env = {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: TEST_S3_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_S3_CREDENTIALS.secretAccessKey,
    AWS_S3_FORCE_PATH_STYLE: 'true',
  };
  const setup = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: TEST_S3_CREDENTIALS });
  try {
    await setup.send(new CreateBucketCommand({ Bucket: bucket }));
    // A real-sized bundle (the StatCard fixture), a different one per entry.
    const entryOf = (n) =>
      statCardEntryOf(codec, {
        keyMaterial: { kind: 'dspec/tier2-component', bench: 'shared-cache-hit', n },
        output: { ...VALID_STAT_CARD_OUTPUT, component: `${VALID_STAT_CARD_OUTPUT.component}// entry ${n}\n` },
        createdAt: new Date().toISOString(),
      });
    const url = `s3://${bucket}/bench`;
    const writer = createS3Cache({ url, env });
    const stored = Array.from({ length: warmup + entries }, (_, n) => entryOf(n));
    for (const entry of stored) await writer.set(entry);
    const entryBytes = Buffer.byteLength(JSON.stringify(stored[0]));

    // The other replica: a new instance, nothing in memory, its own connection pool.
    const replica = createS3Cache({ url, env });
    const admit = () => Promise.resolve({ ok: true });
    for (const entry of stored.slice(0, warmup)) await replica.get(entry.key, { admit }); // opens its connections
    const samples = [];
    for (const entry of stored.slice(warmup)) {
      const start = performance.now();
      const hit = await replica.get(entry.key, { admit });
      samples.push(performance.now() - start);
      if (hit?.key !== entry.key) throw new Error(`shared-cache bench: ${entry.key} was not served from the store`);
    }
    const stats = await replica.stats();
    if (stats.process.diskHits !== warmup + entries || stats.process.memoryHits !== 0) throw new Error(`shared-cache bench: expected every hit from the store, got ${JSON.stringify(stats.process)}`);

    const result = {
      hitMedianMs: round(median(samples), 2),
      hitP95Ms: round(percentile(samples, 95), 2),
      hits: entries,
      entryBytes,
      server: shared ? 'DSPEC_TEST_S3_ENDPOINT' : 's3rver 3.7.1 + conditional-write front (loopback)',
      loadAverage1m: round(os.loadavg()[0], 2),
      targets: TARGETS,
    };
    result.pass = result.hitMedianMs <= TARGETS.hitMedianMs;
    if (print) {
      printTable('Shared cache (S3): a hit another replica stored', [
        { measure: `hit read from the store, ${entryBytes} B entry (median)`, value: `${result.hitMedianMs} ms`, target: `≤ ${TARGETS.hitMedianMs} ms` },
        { measure: 'hit read from the store (p95)', value: `${result.hitP95Ms} ms`, target: '' },
      ]);
    }
    return result;
  } finally {
    setup.destroy();
    await started?.close();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = await runSharedCacheHitBench();
  if (!result.pass) process.exitCode = 1;
}
