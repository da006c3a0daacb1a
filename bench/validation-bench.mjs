// Validation gate benchmark: cold start, warm latency, memory over many runs, corpus accuracy.
// Needs a build (`npm run build`): it measures the emitted dist/, as the server runs it.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// DSPEC_BENCH_DIST points at another build output (e.g. a scratch tsc --outDir) without rebuilding dist/.
const distDir = process.env.DSPEC_BENCH_DIST ?? path.join(root, 'dist');
const distValidator = pathToFileURL(path.join(distDir, 'validation/validation-gate.js')).href;
const corpusModule = pathToFileURL(path.join(root, 'test/fixtures/validation/corpus.mjs')).href;

export const TARGETS = { coldMs: 2500, warmMedianMs: 150, rssGrowthMb: 50, detectionRate: 1, falsePositives: 0 };

/** Cold: a fresh Node process imports the gate and validates one clean component through every layer. */
function measureCold() {
  const script = `
    const started = performance.now();
    const { ValidationGate } = await import(${JSON.stringify(distValidator)});
    const { validate: validateBundle } = new ValidationGate();
    const { loadCorpus, loadThemeVariables } = await import(${JSON.stringify(corpusModule)});
    const loaded = performance.now();
    const fixture = loadCorpus().find((f) => f.id === 'radix-switch-with-label');
    const result = await validateBundle(fixture.bundle, { themeVariables: loadThemeVariables() });
    const done = performance.now();
    process.stdout.write(JSON.stringify({ coldMs: done - started, importMs: loaded - started, valid: result.valid, layers: result.layersRun.length }));
  `;
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
  return JSON.parse(output);
}

/**
 * `dspec validate <catalog folder>` as a user runs it: fresh processes of the built bin. The first
 * run has no type-layer snapshot (the first run ever on a machine, which starts building one in
 * the background); once it is built, runs with it and with it switched off alternate.
 */
async function measureColdCli(runs) {
  const bin = path.join(distDir, 'bin/dspec.js');
  const snapshotDir = mkdtempSync(path.join(tmpdir(), 'dspec-bench-snapshot-'));
  // The first run ever has no compiled code cached either (src/startup/load-chunks.ts); later runs do, as a user's.
  const compileCacheDir = mkdtempSync(path.join(tmpdir(), 'dspec-bench-compile-cache-'));
  const run = (extraEnv) => {
    const started = performance.now();
    const child = spawnSync(process.execPath, [bin, 'validate', 'ui-reference/Switch'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, DSPEC_SNAPSHOT_DIR: snapshotDir, DSPEC_COMPILE_CACHE: compileCacheDir, ...extraEnv },
    });
    const ms = performance.now() - started;
    if (child.status !== 0) throw new Error(`dspec validate ui-reference/Switch exited ${child.status}: ${child.stdout}${child.stderr}`);
    return ms;
  };
  try {
    const firstMs = run({});
    // The background build holds a lock file until its snapshot is in place.
    const building = () => readdirSync(snapshotDir).some((name) => name.endsWith('.building'));
    const buildStarted = performance.now();
    while (building() && performance.now() - buildStarted < 600_000) await new Promise((resolve) => setTimeout(resolve, 500));
    const blob = readdirSync(snapshotDir).find((name) => name.endsWith('.blob'));
    if (!blob) throw new Error(`no type-layer snapshot was built: ${readdirSync(snapshotDir).join(', ') || 'empty folder'}`);
    const withSnapshot = [];
    const without = [];
    for (let i = 0; i < runs; i++) {
      withSnapshot.push(run({}));
      without.push(run({ DSPEC_TYPE_SNAPSHOT: 'off' }));
    }
    return { firstMs, medianMs: median(withSnapshot), noSnapshotMedianMs: median(without), snapshotMb: Math.round(statSync(path.join(snapshotDir, blob)).size / 2 ** 20) };
  } finally {
    rmSync(snapshotDir, { recursive: true, force: true });
    rmSync(compileCacheDir, { recursive: true, force: true });
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** The first of os.loadavg()'s three figures, which Node types as a plain number[]. */
function oneMinuteLoadAverage() {
  const [oneMinute] = os.loadavg();
  if (oneMinute === undefined) throw new Error('os.loadavg() returned no figures');
  return oneMinute;
}

export async function runValidationBench({ runs = 200, coldCliRuns = 7, print = true } = {}) {
  const loadAverageBefore = oneMinuteLoadAverage();
  const coldCli = await measureColdCli(coldCliRuns);
  const cold = measureCold();
  const { ValidationGate } = await import(distValidator);
  const { validate: validateBundle } = new ValidationGate();
  const { loadCorpus, loadThemeVariables, judgeFixture } = await import(corpusModule);
  const corpus = loadCorpus();
  const themeVariables = loadThemeVariables();

  // Accuracy (also warms every tool up).
  let caught = 0;
  let falsePositives = 0;
  let cleanWarnings = 0;
  const missed = [];
  for (const fixture of corpus) {
    const result = await validateBundle(fixture.bundle, { themeVariables });
    const verdict = judgeFixture(fixture, result);
    if (fixture.kind === 'defects') {
      if (verdict.ok) caught++;
      else missed.push(fixture.id);
    } else {
      if (result.errors.length) falsePositives++;
      cleanWarnings += result.warnings.length;
    }
  }
  const defects = corpus.filter((f) => f.kind === 'defects').length;

  // Warm latency and memory: component-sized clean bundles, every layer, in rotation.
  const clean = corpus.filter((f) => f.kind === 'clean');
  for (let i = 0; i < 10; i++) await validateBundle(clean[i % clean.length].bundle, { themeVariables });
  // Garbage left by earlier sections is not a leak: collect it before and after (npm run bench passes --expose-gc).
  const settle = () => {
    for (let i = 0; i < 3; i++) globalThis.gc?.();
  };
  settle();
  const rssBefore = process.memoryUsage().rss;
  const durations = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await validateBundle(clean[i % clean.length].bundle, { themeVariables });
    durations.push(performance.now() - started);
  }
  settle();
  const rssAfter = process.memoryUsage().rss;

  const results = {
    // What a user feels: a fresh `dspec validate` of a catalog folder, with the type layer's snapshot built.
    coldMs: Math.round(coldCli.medianMs),
    coldCliRuns,
    coldCliFirstEverMs: Math.round(coldCli.firstMs),
    coldCliNoSnapshotMs: Math.round(coldCli.noSnapshotMedianMs),
    typeSnapshotMb: coldCli.snapshotMb,
    loadAverage: Math.round(((loadAverageBefore + oneMinuteLoadAverage()) / 2) * 10) / 10,
    // The gate's modules imported in a fresh process (unbundled dist/, in-process type layer).
    coldModuleMs: Math.round(cold.coldMs),
    coldImportMs: Math.round(cold.importMs),
    warmMedianMs: Math.round(median(durations) * 10) / 10,
    warmP95Ms: Math.round(percentile(durations, 95) * 10) / 10,
    runs,
    rssGrowthMb: Math.round(((rssAfter - rssBefore) / 1024 / 1024) * 10) / 10,
    rssAfterMb: Math.round(rssAfter / 1024 / 1024),
    defects,
    defectsCaught: caught,
    detectionRate: Math.round((caught / defects) * 1000) / 1000,
    cleanComponents: clean.length,
    falsePositives,
    cleanWarnings,
  };
  if (print) {
    /** @type {Array<[label: string, value: unknown, target: string]>} */
    const rows = [
      [`cold \`dspec validate\`, type snapshot built (median of ${coldCliRuns}, ms)`, results.coldMs, `≤ ${TARGETS.coldMs}`],
      ['  same, DSPEC_TYPE_SNAPSHOT=off (ms)', results.coldCliNoSnapshotMs, ''],
      ['  first run ever, no snapshot yet (ms)', results.coldCliFirstEverMs, ''],
      ['  type snapshot size (MB)', results.typeSnapshotMb, ''],
      ['cold first validation, gate modules in-process (ms)', results.coldModuleMs, ''],
      ['load average while measuring', results.loadAverage, ''],
      ['warm median per component (ms)', results.warmMedianMs, `≤ ${TARGETS.warmMedianMs}`],
      ['warm p95 (ms)', results.warmP95Ms, ''],
      [`RSS growth over ${runs} runs (MB)`, results.rssGrowthMb, `≤ ${TARGETS.rssGrowthMb}`],
      ['corpus detection rate', `${caught}/${defects} = ${results.detectionRate}`, '1'],
      ['false positives (clean with errors)', `${falsePositives}/${clean.length}`, '0'],
      ['warnings on clean components', cleanWarnings, '0'],
    ];
    const width = Math.max(...rows.map((row) => row[0].length));
    console.log('validation gate');
    for (const [label, value, target] of rows) console.log(`  ${label.padEnd(width)}  ${String(value).padStart(12)}  ${target}`);
    if (missed.length) console.log(`  missed: ${missed.join(', ')}`);
  }
  return results;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const runs = Number(process.argv[2] ?? 200);
  await runValidationBench({ runs });
}
