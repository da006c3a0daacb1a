// Tier 2 generation benchmark: cache-hit latency (file cache L1 and L2, and the whole hit path)
// and the pipeline's own overhead per generation against a local fake Anthropic server, with
// the server's own time subtracted and the real validation gate included.
// Needs a build (`npm run build`); DSPEC_BENCH_DIST points at another tsc output instead.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { startFakeAnthropic } from './anthropic-sse.mjs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median, percentile, printTable, round, timeRuns } from './stats.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const distDir = process.env.DSPEC_BENCH_DIST ?? path.join(root, 'dist');
const dist = (file) => pathToFileURL(path.join(distDir, file)).href;

export const TARGETS = { l1MedianMs: 0.2, l2MedianMs: 2, overheadWarmMedianMs: 200 };

/** Answers at once with the tool input; a different bundle every time (a comment with the request number), so no layer can reuse earlier work. */
const startBenchAnthropic = (toolInput) =>
  startFakeAnthropic((_body, _raw, count) => ({
    input: { ...toolInput, component: `${toolInput.component}// request ${count}\n` },
    usage: { input_tokens: 1200, output_tokens: 900 },
  }));

class MemoryCache {
  entries = new Map();
  async get(key) {
    return this.entries.get(key);
  }
  async set(entry) {
    this.entries.set(entry.key, entry);
  }
}

/** Records nothing to disk: the bench measures generation, not the ledger. */
const costs = {
  async reserve() {
    return { id: 'r', amount: 0 };
  },
  async record(input) {
    return { record: { ...input, id: 'x', timestamp: '', inputCost: 0, outputCost: 0, totalCost: 0, priceTableVersion: 'bench' }, warnings: [] };
  },
  async release() {},
  estimateCost: () => 0,
};

const silentLogger = { debug() {}, info() {}, warn() {}, error() {} };

export async function runGenerationBench({ runs = 20, print = true } = {}) {
  const { generateTier2Component } = await import(dist('generation/pipeline/generate-component.js'));
  const { AnthropicProvider } = await import(dist('generation/providers/anthropic-provider.js'));
  const { createCatalogExampleSource } = await import(dist('generation/prompts/example-source.js'));
  const { loadCatalog } = await import(dist('catalog/catalog.js'));
  const { configSchema } = await import(dist('infra/config.js'));
  const { VALID_STAT_CARD_OUTPUT, STAT_CARD_THEME_VARIABLES } = await import(pathToFileURL(path.join(root, 'test/generation/fixtures/stat-card.mjs')).href);

  const fake = await startBenchAnthropic(VALID_STAT_CARD_OUTPUT);
  const failedDir = mkdtempSync(path.join(tmpdir(), 'dspec-gen-bench-'));
  try {
    const config = configSchema().parse({ generation: { cacheStrategy: 'never' } }).generation;
    const provider = new AnthropicProvider({ apiKey: 'bench-key', baseURL: fake.baseURL, model: 'claude-bench', timeoutMs: 30_000 });
    const examples = createCatalogExampleSource(await loadCatalog(path.join(root, 'ui-reference')));
    const deps = { providers: [provider], cache: new MemoryCache(), costs, logger: silentLogger, failedDir, config, promptsDir: path.join(root, 'prompts'), examples };
    const request = {
      name: 'StatCard',
      description: 'A card showing one key figure with its label and its change against the previous period.',
      theme: { variables: STAT_CARD_THEME_VARIABLES, hash: 'bench-theme' },
    };

    // Pipeline overhead: prompt, SDK, HTTP on loopback, parsing, the real gate (warm), minus the server's own time.
    const coldStarted = performance.now();
    await generateTier2Component(request, deps);
    const coldMs = performance.now() - coldStarted;
    for (let i = 0; i < 3; i++) await generateTier2Component(request, deps);
    fake.serverTimes.length = 0;
    const totals = await timeRuns(() => generateTier2Component(request, deps), { runs: runs, warmup: 0 });
    const overhead = totals.map((total, i) => total - (fake.serverTimes[i] ?? 0));

    // The whole cache-hit path (prompt composition, key hashing, lookup, ledger call) with an in-memory cache.
    const hitDeps = { ...deps, config: configSchema().parse({ generation: { cacheStrategy: 'if-available' } }).generation };
    await generateTier2Component(request, hitDeps);
    const hitPath = await timeRuns(() => generateTier2Component(request, hitDeps), { runs: runs * 5, warmup: 0 });

    // The file cache itself, when built: L1 (memory) and L2 (a fresh instance reads and verifies the file).
    let l1 = null;
    let l2 = null;
    const fileCacheModule = dist('cache/file-cache.js');
    if (existsSync(fileURLToPath(fileCacheModule))) {
      const { FileCache } = await import(fileCacheModule);
      const home = mkdtempSync(path.join(tmpdir(), 'dspec-cache-bench-'));
      try {
        const entry = [...hitDeps.cache.entries.values()][0];
        await new FileCache({ home }).set(entry);
        // Only admitted entries enter L1 (generation admits through the gate; cache-gate-bench.mjs times that).
        const admit = async () => ({ ok: true });
        const warm = new FileCache({ home });
        await warm.get(entry.key, { admit });
        l1 = await timeRuns(() => warm.get(entry.key, { admit }), { runs: 2000, warmup: 0 });
        l2 = await timeRuns(() => new FileCache({ home }).get(entry.key), { runs: 200, warmup: 0 });
      } finally {
        rmSync(home, { recursive: true, force: true });
      }
    }

    const result = {
      coldFirstGenerationMs: round(coldMs),
      overheadWarmMedianMs: round(median(overhead)),
      overheadWarmP95Ms: round(percentile(overhead, 95)),
      serverMedianMs: round(median(fake.serverTimes), 3),
      hitPathMedianMs: round(median(hitPath), 3),
      hitPathP95Ms: round(percentile(hitPath, 95), 3),
      l1MedianMs: l1 ? round(median(l1), 4) : null,
      l2MedianMs: l2 ? round(median(l2), 3) : null,
      fileCache: l1 ? 'measured' : 'dist/cache/file-cache.js not built: L1/L2 not measured',
      targets: TARGETS,
    };
    result.pass =
      result.overheadWarmMedianMs <= TARGETS.overheadWarmMedianMs &&
      (result.l1MedianMs === null || result.l1MedianMs <= TARGETS.l1MedianMs) &&
      (result.l2MedianMs === null || result.l2MedianMs <= TARGETS.l2MedianMs);

    if (print) {
      printTable('Tier 2 generation (fake Anthropic server, real gate)', [
        { measure: 'pipeline overhead per generation, warm (median)', value: `${result.overheadWarmMedianMs} ms`, target: `≤ ${TARGETS.overheadWarmMedianMs} ms` },
        { measure: 'pipeline overhead per generation, warm (p95)', value: `${result.overheadWarmP95Ms} ms`, target: '' },
        { measure: 'first generation in process (cold gate)', value: `${result.coldFirstGenerationMs} ms`, target: '' },
        { measure: 'fake server time per request (subtracted)', value: `${result.serverMedianMs} ms`, target: '' },
        { measure: 'whole cache-hit path (median)', value: `${result.hitPathMedianMs} ms`, target: '' },
        { measure: 'file cache L1 get (median)', value: l1 ? `${result.l1MedianMs} ms` : 'n/a', target: `≤ ${TARGETS.l1MedianMs} ms` },
        { measure: 'file cache L2 get, verified (median)', value: l2 ? `${result.l2MedianMs} ms` : 'n/a', target: `≤ ${TARGETS.l2MedianMs} ms` },
      ]);
      console.log(result.pass ? 'generation: all targets met' : 'generation: some targets missed');
    }
    return result;
  } finally {
    await fake.close();
    rmSync(failedDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await runGenerationBench();
  process.exitCode = result.pass ? 0 : 1;
}
