// `npm run test:conformance`: the official MCP conformance suite's server scenarios against the
// built dspec, for each protocol revision it serves. Builds nothing (run `npm run build` first).
// Prints scenario → verdict per revision, writes the results as JSON, and exits 1 when an
// applicable scenario fails (2 when the run cannot start). Which scenarios apply, and why the
// others do not: scenarios.mjs. See README.md here.
//
//   node scripts/conformance/run.mjs [--revision 2025-11-25] [--scenario ping] [--url http://…/mcp]
//                                    [--results-dir bench/results] [--timeout-ms 60000]
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { formatReport } from './conformance-report.mjs';
import { runScenario } from './run-scenario.mjs';
import { REVISIONS, SCENARIOS, compareWithSuite } from './scenarios.mjs';
import { SERVE_ARGS, startServer } from './server-under-test.mjs';
import { listServerScenarios, suitePackage } from './suite-cli.mjs';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** @typedef {(typeof REVISIONS)[number]} Revision */

/** @returns {Promise<number>} the exit code */
async function main() {
  const { values: flags } = parseArgs({
    options: {
      revision: { type: 'string', multiple: true },
      scenario: { type: 'string', multiple: true },
      url: { type: 'string' },
      'results-dir': { type: 'string', default: path.join(ROOT, 'bench/results') },
      'timeout-ms': { type: 'string', default: '60000' },
    },
  });
  const revisions = (flags.revision ?? [...REVISIONS]).map((revision) => {
    const known = REVISIONS.find((candidate) => candidate === revision);
    if (!known) throw new Error(`--revision ${revision} is not one this runner knows (${REVISIONS.join(', ')})`);
    return known;
  });
  const timeoutMs = Number(flags['timeout-ms']);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) throw new Error(`--timeout-ms must be a positive whole number of milliseconds (got "${flags['timeout-ms']}")`);
  for (const name of flags.scenario ?? []) {
    if (!revisions.some((revision) => SCENARIOS[revision].applicable.includes(name))) {
      throw new Error(`--scenario ${name} is not an applicable scenario of ${revisions.join(' or ')} (see scripts/conformance/scenarios.mjs)`);
    }
  }
  const suite = suitePackage();
  // A suite upgrade that adds a scenario must be placed in scenarios.mjs before it can be ignored.
  for (const revision of revisions) {
    const { unplaced, stale } = compareWithSuite(revision, await listServerScenarios(revision));
    const problems = [unplaced.length > 0 ? `listed by the suite but not placed: ${unplaced.join(', ')}` : '', stale.length > 0 ? `placed but no longer listed: ${stale.join(', ')}` : ''];
    if (unplaced.length > 0 || stale.length > 0) {
      throw new Error(`scripts/conformance/scenarios.mjs is out of step with @modelcontextprotocol/conformance ${suite.version} for ${revision}: ${problems.filter(Boolean).join('; ')}`);
    }
  }

  const rawDir = mkdtempSync(path.join(os.tmpdir(), 'dspec-conformance-checks-'));
  const server = flags.url ? undefined : await startServer();
  const mcpUrl = flags.url ?? server?.mcpUrl ?? '';
  /** @type {Partial<Record<Revision, import('./run-scenario.mjs').ScenarioResult[]>>} */
  const results = {};
  try {
    for (const revision of revisions) {
      const scenarios = SCENARIOS[revision].applicable.filter((name) => !flags.scenario || flags.scenario.includes(name));
      /** @type {import('./run-scenario.mjs').ScenarioResult[]} */
      const done = [];
      results[revision] = done;
      for (const scenario of scenarios) {
        done.push(await runScenario({ mcpUrl, revision, scenario, outputDir: path.join(rawDir, revision, scenario), timeoutMs }));
        process.stderr.write(`${revision} ${scenario}: ${done.at(-1)?.verdict}\n`);
      }
    }
  } finally {
    await server?.stop();
  }

  const serverDescription = flags.url ?? `node dist/bin/dspec.js ${SERVE_ARGS.join(' ')}`;
  const title = `MCP conformance ${suite.version} against dspec (${serverDescription}), Node ${process.version}`;
  console.log(formatReport({ title, revisions, results, only: flags.scenario }));

  const failed = revisions.flatMap((revision) => (results[revision] ?? []).filter((result) => result.verdict === 'fail').map((result) => `${revision} ${result.scenario}`));
  mkdirSync(flags['results-dir'], { recursive: true });
  const resultsFile = path.join(flags['results-dir'], `conformance-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  const summary = {
    suite: `@modelcontextprotocol/conformance@${suite.version}`,
    node: process.version,
    server: serverDescription,
    failed,
    revisions: Object.fromEntries(revisions.map((revision) => [revision, { scenarios: results[revision], notApplicable: SCENARIOS[revision].notApplicable }])),
    rawChecks: rawDir,
  };
  writeFileSync(resultsFile, `${JSON.stringify(summary, null, 2)}\n`);
  console.log(`\nResults: ${resultsFile.startsWith(ROOT) ? path.relative(ROOT, resultsFile) : resultsFile}; the suite's own checks.json files: ${rawDir}`);
  console.log(failed.length > 0 ? `\n${failed.length} applicable scenario(s) failed: ${failed.join(', ')}` : '\nEvery applicable scenario passed.');
  return failed.length > 0 ? 1 : 0;
}

// A run that cannot start (no build, a suite out of step with scenarios.mjs, a bad flag) says why.
main().then(
  (code) => (process.exitCode = code),
  (error) => {
    console.error(`conformance: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  },
);
