// `npm run bench:reliability`: HTTP load and the busy limit against the built server, then the
// reliability test suite (test/reliability) with its figures collected; writes
// bench/results/reliability-latest.json and the table in docs/reliability.md.
// RELIABILITY_DURATION_S (default 30) shortens the load runs; --no-tests skips the suite.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { runBusyBurst } from './reliability/busy-burst.mjs';
import { runHttpLoad } from './reliability/http-load.mjs';
import { ROOT } from './reliability/server-process.mjs';
import { renderReliabilityDoc } from './reliability/render-doc.mjs';

const skipTests = process.argv.includes('--no-tests');
const results = {
  date: new Date().toISOString(),
  machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version },
};
let failed = false;

for (const [key, run] of /** @type {const} */ ([
  ['httpLoad', runHttpLoad],
  ['busyBurst', runBusyBurst],
])) {
  try {
    results[key] = await run();
    if (results[key].pass === false) failed = true;
  } catch (error) {
    failed = true;
    results[key] = { error: String(error instanceof Error ? error.stack : error) };
    console.error(`${key} failed: ${error instanceof Error ? error.stack : String(error)}`);
  }
}

if (!skipTests) {
  // The suite writes one JSON file of figures per test file into this directory.
  const reportDir = mkdtempSync(path.join(tmpdir(), 'dspec-reliability-report-'));
  const started = Date.now();
  const vitest = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--config', 'vitest.reliability.config.ts'], {
    cwd: ROOT,
    env: { ...process.env, DSPEC_RELIABILITY_REPORT: reportDir },
    stdio: 'inherit',
  });
  results.suite = { passed: vitest.status === 0, durationS: Math.round((Date.now() - started) / 1000) };
  if (vitest.status !== 0) failed = true;
  for (const name of existsSync(reportDir) ? readdirSync(reportDir) : []) {
    const figures = JSON.parse(readFileSync(path.join(reportDir, name), 'utf8'));
    results.suite[figures.section] = figures;
  }
}

const directory = path.join(ROOT, 'bench/results');
mkdirSync(directory, { recursive: true });
writeFileSync(path.join(directory, 'reliability-latest.json'), `${JSON.stringify(results, null, 2)}\n`);
mkdirSync(path.join(ROOT, 'docs'), { recursive: true });
writeFileSync(path.join(ROOT, 'docs/reliability.md'), renderReliabilityDoc(results));
console.log(`\nresults written to bench/results/reliability-latest.json and docs/reliability.md${failed ? ' (some targets missed)' : ''}`);
process.exitCode = failed ? 1 : 0;
