// Cache and cost-ledger benchmark: cache_stats over 100,000 entries, cost summary over
// 1,000,000 ledger lines (cold: no summary index; warm: index present plus new lines),
// and L1/L2 cache hit latency. Measures the built code in dist/ (`npm run build` first);
// DSPEC_BENCH_DIST points at another build output (e.g. a scratch tsc --outDir).
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median, percentile, printTable, round } from './stats.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const distDir = process.env.DSPEC_BENCH_DIST ?? path.join(root, 'dist');
const dist = (file) => pathToFileURL(path.join(distDir, file)).href;

export const TARGETS = { cacheStatsMs: 1000, costSummaryMs: 2000, l1MedianMs: 0.2, l2MedianMs: 2 };

function makeEntry(i, { cacheKeyOf, hashBundle }) {
  const component = `Component${i % 40}`;
  const keyMaterial = { component, spec: { seed: i }, promptVersion: 'v1', model: 'claude-sonnet-4-6' };
  const key = cacheKeyOf(keyMaterial);
  const value = { name: component, files: [{ path: `${component}.tsx`, contents: `export function ${component}() { return <div>${i}</div>; }\n` }], dependencies: {} };
  const createdAt = new Date(Date.UTC(2026, 9, 1) + i * 1000).toISOString();
  return {
    key,
    component,
    keyMaterial,
    value,
    provenance: {
      specHash: 's',
      promptId: 'component',
      promptVersion: 'v1',
      promptHash: 'p',
      provider: i % 3 ? 'anthropic' : 'openai',
      model: i % 3 ? 'claude-sonnet-4-6' : 'gpt-5.4-mini',
      generationHash: hashBundle(value),
      cacheKey: key,
      timestamp: createdAt,
      dspecVersion: '0.1.0',
      attempts: 1,
      validatorVersion: '1',
      catalogVersion: '1',
      themeHash: null,
    },
    usage: { inputTokens: 3000, outputTokens: 1200, cacheWriteTokens: 0, cacheReadTokens: 0 },
    cost: 0.027,
    createdAt,
  };
}

/** Writes entry files and index lines directly (what 100,000 `set` calls would leave behind), fast. */
function fillCache(home, count, hashing) {
  const cacheRoot = path.join(home, 'cache');
  for (let shard = 0; shard < 256; shard++) mkdirSync(path.join(cacheRoot, shard.toString(16).padStart(2, '0')), { recursive: true });
  const index = openSync(path.join(cacheRoot, 'index.jsonl'), 'w');
  let lines = [];
  for (let i = 0; i < count; i++) {
    const entry = makeEntry(i, hashing);
    const text = JSON.stringify(entry);
    writeFileSync(path.join(cacheRoot, entry.key.slice(0, 2), `${entry.key}.json`), text);
    lines.push(
      JSON.stringify({
        key: entry.key,
        component: entry.component,
        model: entry.provenance.model,
        provider: entry.provenance.provider,
        bytes: Buffer.byteLength(text),
        createdAt: entry.createdAt,
        cost: entry.cost,
      }),
    );
    if (lines.length === 5000) {
      writeSync(index, `${lines.join('\n')}\n`);
      lines = [];
    }
  }
  if (lines.length) writeSync(index, `${lines.join('\n')}\n`);
  closeSync(index);
}

function ledgerLine(i, start) {
  const hit = i % 5 === 0;
  const components = ['Button', 'Card', 'Dialog', 'Tabs', 'Table', 'Form', 'Nav', 'Hero'];
  const models = ['claude-sonnet-4-6', 'claude-opus-4-6', 'gpt-5.4-mini'];
  return JSON.stringify({
    id: `r${i}-${((i * 2654435761) % 2 ** 32).toString(36)}`,
    timestamp: new Date(start + i * 2000).toISOString(),
    operation: 'generate_component',
    component: components[i % 8],
    provider: i % 3 === 2 ? 'openai' : 'anthropic',
    model: models[i % 3],
    requestId: hit ? null : `req_${i}`,
    attempt: i % 7 === 0 ? 2 : 1,
    retry: 0,
    outcome: hit ? 'cache_hit' : 'success',
    inputTokens: hit ? 0 : 3000,
    outputTokens: hit ? 0 : 1200,
    cacheWriteTokens: 0,
    cacheReadTokens: hit ? 0 : 2000,
    inputCost: hit ? 0 : 0.0096,
    outputCost: hit ? 0 : 0.018,
    totalCost: hit ? 0 : 0.0276,
    cacheHit: hit,
    costSaved: hit ? 0.0276 : 0,
    promptVersion: 'component-v3',
    priceTableVersion: '2026-11-01',
    cacheKey: 'a'.repeat(64),
  });
}

function fillLedger(file, from, count, start) {
  const fd = openSync(file, 'a');
  let lines = [];
  for (let i = from; i < from + count; i++) {
    lines.push(ledgerLine(i, start));
    if (lines.length === 10_000) {
      writeSync(fd, `${lines.join('\n')}\n`);
      lines = [];
    }
  }
  if (lines.length) writeSync(fd, `${lines.join('\n')}\n`);
  closeSync(fd);
}

async function time(fn) {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

export async function runCostBench({ entries = 100_000, ledgerLines = 1_000_000, print = true } = {}) {
  const [{ FileCache }, hashing, { openCostState }] = await Promise.all([import(dist('cache/file-cache.js')), import(dist('cache/canonical-json.js')), import(dist('cost/open-cost-state.js'))]);
  const scratch = mkdtempSync(path.join(tmpdir(), 'dspec-cost-bench-'));
  try {
    // Cache statistics over many entries: a fresh FileCache (as a new CLI process would make).
    const cacheHome = path.join(scratch, 'cache-home');
    await fillCache(cacheHome, entries, hashing);
    const statsRuns = [];
    let stats;
    for (let run = 0; run < 3; run++) {
      const result = await time(() => new FileCache({ home: cacheHome }).stats());
      statsRuns.push(result.ms);
      stats = result.value;
    }
    const listed = await time(() => new FileCache({ home: cacheHome }).list({ component: 'Component7', limit: 50 }));

    // L1 / L2 hit latency on 300 entries.
    const latencyHome = path.join(scratch, 'latency-home');
    const writer = new FileCache({ home: latencyHome });
    const keys = [];
    for (let i = 0; i < 300; i++) {
      const entry = makeEntry(i, hashing);
      await writer.set(entry);
      keys.push(entry.key);
    }
    const reader = new FileCache({ home: latencyHome });
    const l2 = [];
    const l1 = [];
    for (const key of keys) {
      const started = performance.now();
      if (!(await reader.get(key))) throw new Error('L2 miss in bench');
      l2.push(performance.now() - started);
    }
    // Only an entry the gate admitted is kept in memory (an unchecked read from disk never is):
    // one admitted read each, as the first served hit does, then the L1 hits.
    const admitAll = async () => ({ ok: true });
    for (const key of keys) await reader.get(key, { admit: admitAll });
    for (let round = 0; round < 5; round++) {
      for (const key of keys) {
        const started = performance.now();
        if (!(await reader.get(key, { admit: admitAll }))) throw new Error('L1 miss in bench');
        l1.push(performance.now() - started);
      }
    }

    // Cost summary over a large ledger.
    const costHome = path.join(scratch, 'cost-home');
    mkdirSync(costHome, { recursive: true });
    const ledgerFile = path.join(costHome, 'costs.jsonl');
    const start = Date.UTC(2026, 9, 1);
    const generated = await time(() => fillLedger(ledgerFile, 0, ledgerLines, start));
    const now = () => new Date(start + ledgerLines * 2000 + 60_000);
    const cold = await time(() => openCostState({ home: costHome, config: {}, clock: now }).reports.summary({ period: 'all' }));
    fillLedger(ledgerFile, ledgerLines, 1000, start);
    const warm = await time(() => openCostState({ home: costHome, config: {}, clock: now }).reports.summary({ period: 'all' }));
    const month = await time(() => openCostState({ home: costHome, config: {}, clock: now }).reports.summary({ period: 'month' }));
    if (warm.value.totals.records !== ledgerLines + 1000) throw new Error(`summary counted ${warm.value.totals.records} records`);

    const statsMs = median(statsRuns);
    const results = {
      targets: TARGETS,
      cacheStats: { entries: stats.entries, medianMs: round(statsMs), runsMs: statsRuns.map((ms) => round(ms)), listPageMs: round(listed.ms), setupMs: round(generated.ms) },
      cacheHit: { l1MedianMs: round(median(l1), 4), l1P95Ms: round(percentile(l1, 95), 4), l2MedianMs: round(median(l2), 3), l2P95Ms: round(percentile(l2, 95), 3) },
      costSummary: {
        lines: ledgerLines,
        coldMs: round(cold.ms),
        warmMs: round(warm.ms),
        warmMonthMs: round(month.ms),
        ledgerMb: round((await import('node:fs')).statSync(ledgerFile).size / 2 ** 20),
      },
    };
    // The summary index is the normal path (every tracker keeps it current); the cold pass is what a lost index costs.
    results.pass = statsMs <= TARGETS.cacheStatsMs && warm.ms <= TARGETS.costSummaryMs && cold.ms <= TARGETS.costSummaryMs && median(l1) <= TARGETS.l1MedianMs && median(l2) <= TARGETS.l2MedianMs;
    if (print) {
      printTable('Cache and cost ledger', [
        { measure: `cache_stats, ${entries} entries (median of 3)`, value: `${round(statsMs)} ms`, target: `≤ ${TARGETS.cacheStatsMs} ms` },
        { measure: 'cache list page (component filter)', value: `${round(listed.ms)} ms`, target: '-' },
        { measure: 'L1 hit median', value: `${round(median(l1), 4)} ms`, target: `≤ ${TARGETS.l1MedianMs} ms` },
        { measure: 'L2 hit median (read + verify)', value: `${round(median(l2), 3)} ms`, target: `≤ ${TARGETS.l2MedianMs} ms` },
        { measure: `cost summary, ${ledgerLines} lines, summary index + 1000 new lines`, value: `${round(warm.ms)} ms`, target: `≤ ${TARGETS.costSummaryMs} ms` },
        { measure: `cost summary, ${ledgerLines} lines, cold (no index, one streaming pass)`, value: `${round(cold.ms)} ms`, target: `≤ ${TARGETS.costSummaryMs} ms` },
      ]);
    }
    return results;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const results = await runCostBench();
  console.log(JSON.stringify(results, null, 2));
  process.exitCode = results.pass ? 0 : 1;
}
