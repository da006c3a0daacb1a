// What it costs to serve only gate-checked code from the cache: the first hit of an entry read
// from disk in a process runs the validation gate (warm: its tools are loaded), later hits of the
// same entry reuse the memoised verdict (L2: a fresh FileCache reads and verifies the file) or
// come from memory (L1). Also the one-off cost of deriving the gate fingerprint.
// Needs a build (`npm run build`); DSPEC_BENCH_DIST points at another tsc output instead.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median, percentile, printTable, round, timeRuns } from './stats.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const distDir = process.env.DSPEC_BENCH_DIST ?? path.join(root, 'dist');
const dist = (file) => pathToFileURL(path.join(distDir, file)).href;

export const TARGETS = { firstHitWarmMedianMs: 150, l2MedianMs: 2, l1MedianMs: 0.2 };

export async function runCacheGateBench({ firstHits = 15, print = true } = {}) {
  const { FileCache } = await import(dist('cache/file-cache.js'));
  const { cacheKeyOf, hashBundle } = await import(dist('cache/canonical-json.js'));
  const { BundleSchema } = await import(dist('shapes/bundle.js'));
  const { toBundle } = await import(dist('generation/pipeline/model-answer.js'));
  const { gateAdmission } = await import(dist('generation/pipeline/cached-entry-gate.js'));
  const { gateFingerprint } = await import(dist('generation/pipeline/gate-fingerprint.js'));
  const { ValidationGate } = await import(dist('validation/validation-gate.js'));
  const { validate: validateBundle } = new ValidationGate();
  const { VALID_STAT_CARD_OUTPUT, STAT_CARD_THEME_VARIABLES } = await import(pathToFileURL(path.join(root, 'test/generation/fixtures/stat-card.mjs')).href);
  const { statCardEntryOf } = await import(pathToFileURL(path.join(root, 'test/cache/stat-card-entry.mjs')).href);
  const codec = { cacheKeyOf, hashBundle, toBundle, BundleSchema };

  const fingerprintStarted = performance.now();
  const fingerprint = await gateFingerprint();
  const fingerprintMs = performance.now() - fingerprintStarted;

  const themeVariables = new Set(STAT_CARD_THEME_VARIABLES.keys());
  // A different bundle per entry (a comment with its number), so no verdict or gate layer is reused.
  const entryOf = (n) =>
    statCardEntryOf(codec, {
      keyMaterial: { kind: 'dspec/tier2-component', bench: n, gateFingerprint: fingerprint },
      output: { ...VALID_STAT_CARD_OUTPUT, component: `${VALID_STAT_CARD_OUTPUT.component}// entry ${n}\n` },
      createdAt: new Date().toISOString(),
      provenance: { gateFingerprint: fingerprint },
    });

  const home = mkdtempSync(path.join(tmpdir(), 'dspec-cache-gate-bench-'));
  try {
    const writer = new FileCache({ home });
    const entries = [];
    for (let n = 0; n <= firstHits; n++) {
      entries.push(entryOf(n));
      await writer.set(entries[n]);
    }
    const admit = gateAdmission({ validate: validateBundle, fingerprint, themeVariables });
    // Warm the gate (TypeScript, ESLint, Stylelint loaded and JIT-warm) on bundles of its own,
    // then time it alone, so the admission's own overhead (first hit minus gate) can be read off.
    const gateRun = (label) =>
      validateBundle(BundleSchema.parse(toBundle('StatCard', { ...VALID_STAT_CARD_OUTPUT, component: `${VALID_STAT_CARD_OUTPUT.component}// ${label}\n` })), { themeVariables });
    for (let i = 0; i < 20; i++) await gateRun(`warm-up ${i}`);
    const gateOnly = await timeRuns((i) => gateRun(`gate only ${i}`), { runs: firstHits, warmup: 0 });

    // First hit in a "process": a fresh FileCache, an entry no verdict covers yet.
    const firstHit = await timeRuns((i) => new FileCache({ home }).get(entries[i + 1].key, { admit }), { runs: firstHits, warmup: 0 });
    // Later hits all read entry 1, the first the first-hit runs admitted.
    const laterHitEntry = entries[1];
    if (!laterHitEntry) throw new Error(`firstHits must be at least 1 (got ${firstHits}): later hits read the entry the first hit admitted`);
    const served = await new FileCache({ home }).get(laterHitEntry.key, { admit });
    if (!served) throw new Error('the benchmark entry was not served: the gate refused it');
    // Later hits: the verdict is memoised; L2 reads and verifies the file, L1 is memory.
    const l2 = await timeRuns(() => new FileCache({ home }).get(laterHitEntry.key, { admit }), { runs: 200, warmup: 0 });
    const warm = new FileCache({ home });
    await warm.get(laterHitEntry.key, { admit });
    const l1 = await timeRuns(() => warm.get(laterHitEntry.key, { admit }), { runs: 2000, warmup: 0 });

    const result = {
      gateFingerprintMs: round(fingerprintMs),
      gateOnlyWarmMedianMs: round(median(gateOnly)),
      firstHitWarmMedianMs: round(median(firstHit)),
      firstHitWarmP95Ms: round(percentile(firstHit, 95)),
      l2MedianMs: round(median(l2), 3),
      l2P95Ms: round(percentile(l2, 95), 3),
      l1MedianMs: round(median(l1), 4),
      firstHits,
      loadAverage1m: round((await import('node:os')).loadavg()[0], 2),
      targets: TARGETS,
    };
    result.pass = result.firstHitWarmMedianMs <= TARGETS.firstHitWarmMedianMs && result.l2MedianMs <= TARGETS.l2MedianMs && result.l1MedianMs <= TARGETS.l1MedianMs;
    if (print) {
      printTable('Cache: only gate-checked code is served', [
        { measure: 'first hit of an entry in a process (gate warm, median)', value: `${result.firstHitWarmMedianMs} ms`, target: `≤ ${TARGETS.firstHitWarmMedianMs} ms` },
        { measure: 'first hit (p95)', value: `${result.firstHitWarmP95Ms} ms`, target: '' },
        { measure: 'the gate alone on such a bundle, warm (median)', value: `${result.gateOnlyWarmMedianMs} ms`, target: '' },
        { measure: 'later hit, L2: fresh instance, memoised verdict (median)', value: `${result.l2MedianMs} ms`, target: `≤ ${TARGETS.l2MedianMs} ms` },
        { measure: 'later hit, L1 memory (median)', value: `${result.l1MedianMs} ms`, target: `≤ ${TARGETS.l1MedianMs} ms` },
        { measure: 'deriving the gate fingerprint (once per process)', value: `${result.gateFingerprintMs} ms`, target: '' },
      ]);
    }
    return result;
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
