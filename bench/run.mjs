// `npm run bench`: runs every benchmark section against the built package, prints the tables
// and writes all numbers to bench/results/<timestamp>.json and bench/results/latest.json.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const only = process.argv.slice(2);
/** @type {Array<[key: string, file: string, exportName: string]>} */
const sections = [
  ['coldStart', './cold-start.mjs', 'runColdStartBench'],
  ['themeCss', './theme-vs-style-dictionary.mjs', 'runThemeBench'],
  ['real-world', './real-world-bench.mjs', 'runRealWorldBench'],
  ['validation', './validation-bench.mjs', 'runValidationBench'],
  ['tier1', './tier1-bench.mjs', 'runTier1Bench'],
  ['generation', './generation-bench.mjs', 'runGenerationBench'],
  ['cacheGate', './cache-gate-bench.mjs', 'runCacheGateBench'],
  ['sharedCacheHit', './shared-cache-hit.mjs', 'runSharedCacheHitBench'],
  ['cost', './cost-bench.mjs', 'runCostBench'],
  ['budgetReserveSettle', './budget-reserve-settle-bench.mjs', 'runBudgetReserveSettleBench'],
  ['export', './export-bench.mjs', 'runExportBench'],
  ['eval', './eval-bench.mjs', 'runEvalBench'],
  ['streaming', './streaming-bench.mjs', 'runStreamingBench'],
  ['first-launch', './first-launch.mjs', 'runFirstLaunchBench'],
  ['preview', './preview-bench.mjs', 'runPreviewBench'],
  ['teamToolsList', './team-tools-list.mjs', 'runTeamToolsListBench'],
];

const results = {
  date: new Date().toISOString(),
  machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version },
};
let failed = false;
for (const [key, file, exportName] of sections) {
  if (only.length && !only.includes(key)) continue;
  if (!existsSync(new URL(file, import.meta.url))) {
    console.log(`\n(${key}: ${file} not present, skipped)`);
    continue;
  }
  const module = await import(file);
  try {
    results[key] = await module[exportName]();
    if (results[key]?.pass === false) failed = true;
  } catch (error) {
    failed = true;
    results[key] = { error: String(error instanceof Error ? error.stack : error) };
    console.error(`\n${key} failed: ${error instanceof Error ? error.stack : String(error)}`);
  }
}
const directory = path.resolve('bench/results');
mkdirSync(directory, { recursive: true });
const json = `${JSON.stringify(results, null, 2)}\n`;
writeFileSync(path.join(directory, `${results.date.replace(/[:.]/g, '-')}.json`), json);
// A run of some sections (`node bench/run.mjs themeCss`) updates those sections of latest.json
// and keeps the others, so latest.json always holds every section's most recent figures.
const latestFile = path.join(directory, 'latest.json');
const previous = only.length && existsSync(latestFile) ? JSON.parse(readFileSync(latestFile, 'utf8')) : {};
writeFileSync(latestFile, `${JSON.stringify({ ...previous, ...results }, null, 2)}\n`);
console.log(`\nresults written to bench/results/latest.json${failed ? ' (some targets missed)' : ''}`);
