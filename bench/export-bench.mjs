// Screen export benchmark: an all-Tier-1 export of the dashboard fixture screen (normalise,
// route, assemble, validate the whole export, no writing). Needs a build (`npm run build`);
// DSPEC_BENCH_DIST points at another build output without rebuilding dist/.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const distDir = process.env.DSPEC_BENCH_DIST ?? path.join(root, 'dist');
const screenPath = path.join(root, '../shared/fixtures/tekton-screens/dashboard-screen.json');
const themePath = path.join(root, '../shared/fixtures/tekton-themes/saas-minimal-v1.json');

export const TARGETS = { warmMedianMs: 300 };

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const round = (value) => Math.round(value * 10) / 10;

export async function runExportBench({ runs = 30, uncachedRuns = 5, print = true } = {}) {
  if (!existsSync(screenPath)) {
    if (print) console.log('screen export: ../shared fixtures missing, skipped');
    return { skipped: 'shared fixtures missing', pass: true };
  }
  const { exportScreen } = await import(pathToFileURL(path.join(distDir, 'screen/export-screen.js')).href);
  const { ValidationGate } = await import(pathToFileURL(path.join(distDir, 'validation/validation-gate.js')).href);
  // One gate for every export, as a runtime keeps one: the warm runs reuse its TypeScript service and linters.
  const gate = new ValidationGate();
  const { clearComponentVerdicts } = await import(pathToFileURL(path.join(distDir, 'screen/validate-export.js')).href);
  const screen = JSON.parse(readFileSync(screenPath, 'utf8'));
  const theme = JSON.parse(readFileSync(themePath, 'utf8'));

  const coldStarted = performance.now();
  const first = await exportScreen({ screen, theme }, { gate });
  const coldMs = performance.now() - coldStarted;
  if (!first.success) throw new Error(`the dashboard export failed: ${JSON.stringify(first.findings.slice(0, 3))}`);

  // Warm, as a server answers repeated calls: catalog, TypeScript service and linters warm, the
  // catalog components' verdicts cached per theme; the screen bundle is validated every time.
  const durations = [];
  const validation = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const result = await exportScreen({ screen, theme }, { gate });
    durations.push(performance.now() - started);
    validation.push(result.validationMs);
  }
  // The same with every component bundle validated again (no cached verdicts).
  const uncached = [];
  for (let i = 0; i < uncachedRuns; i++) {
    clearComponentVerdicts();
    const started = performance.now();
    await exportScreen({ screen, theme }, { gate });
    uncached.push(performance.now() - started);
  }

  const results = {
    screen: 'dashboard-screen',
    theme: 'saas-minimal-v1',
    components: first.components.length,
    files: first.files.length,
    bytes: first.files.reduce((total, file) => total + Buffer.byteLength(file.contents), 0),
    coldMs: Math.round(coldMs),
    warmMedianMs: round(median(durations)),
    warmP95Ms: round(percentile(durations, 95)),
    warmValidationMedianMs: round(median(validation)),
    uncachedMedianMs: round(median(uncached)),
    runs,
  };
  results.pass = results.warmMedianMs <= TARGETS.warmMedianMs;
  if (print) {
    /** @type {Array<[label: string, value: unknown, target: string]>} */
    const rows = [
      [`components / files / bytes`, `${results.components} / ${results.files} / ${results.bytes}`, ''],
      ['cold first export (ms)', results.coldMs, ''],
      [`warm median over ${runs} (ms)`, results.warmMedianMs, `≤ ${TARGETS.warmMedianMs}`],
      ['warm p95 (ms)', results.warmP95Ms, ''],
      ['  of which validation, median (ms)', results.warmValidationMedianMs, ''],
      [`warm, no cached component verdicts, median of ${uncachedRuns} (ms)`, results.uncachedMedianMs, ''],
    ];
    const width = Math.max(...rows.map((row) => row[0].length));
    console.log(`screen export (dashboard, all Tier 1, validation included)${results.pass ? '' : ' — TARGET MISSED'}`);
    for (const [label, value, target] of rows) console.log(`  ${label.padEnd(width)}  ${String(value).padStart(16)}  ${target}`);
  }
  return results;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = await runExportBench({ runs: Number(process.argv[2] ?? 30) });
  if (!result.pass) process.exitCode = 1;
}
