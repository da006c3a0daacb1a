// `npm run test:conformance`: the official MCP conformance suite's server scenarios against the
// built dspec, for each protocol revision it serves. Builds nothing (run `npm run build` first).
// Prints scenario → verdict per revision, writes the results as JSON, and exits 1 when an
// applicable scenario fails. Which scenarios apply, and why the others do not: scenarios.mjs.
//
//   node scripts/conformance/run.mjs [--revision 2025-11-25] [--scenario ping] [--url http://…/mcp]
//                                    [--results-dir bench/results] [--timeout-ms 60000]
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { REVISIONS, SCENARIOS, compareWithSuite } from './scenarios.mjs';
import { judgeScenario } from './scenario-verdict.mjs';
import { SERVE_ARGS, startServer } from './server-under-test.mjs';
import { listServerScenarios, runSuite, suitePackage } from './suite-cli.mjs';

const ROOT = path.resolve(import.meta.dirname, '../..');

const { values: flags } = parseArgs({
  options: {
    revision: { type: 'string', multiple: true },
    scenario: { type: 'string', multiple: true },
    url: { type: 'string' },
    'results-dir': { type: 'string', default: path.join(ROOT, 'bench/results') },
    'timeout-ms': { type: 'string', default: '60000' },
  },
});

/** @typedef {(typeof REVISIONS)[number]} Revision */
/** @type {Revision[]} */
const revisions = (flags.revision ?? [...REVISIONS]).map((revision) => {
  const known = REVISIONS.find((candidate) => candidate === revision);
  if (!known) throw new Error(`--revision ${revision} is not one this runner knows (${REVISIONS.join(', ')})`);
  return known;
});
const timeoutMs = Number(flags['timeout-ms']);
if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) throw new Error(`--timeout-ms must be a positive whole number of milliseconds (got "${flags['timeout-ms']}")`);

const suite = suitePackage();
const rawDir = mkdtempSync(path.join(os.tmpdir(), 'dspec-conformance-checks-'));

// A suite upgrade that adds a scenario must be placed in scenarios.mjs before it can be ignored.
for (const revision of revisions) {
  const { unplaced, stale } = compareWithSuite(revision, await listServerScenarios(revision));
  if (unplaced.length > 0 || stale.length > 0) {
    const problems = [
      unplaced.length > 0 ? `listed by the suite but not placed: ${unplaced.join(', ')}` : '',
      stale.length > 0 ? `placed but no longer listed by the suite: ${stale.join(', ')}` : '',
    ].filter(Boolean);
    throw new Error(`scripts/conformance/scenarios.mjs is out of step with @modelcontextprotocol/conformance ${suite.version} for ${revision}: ${problems.join('; ')}`);
  }
}
for (const name of flags.scenario ?? []) {
  if (!revisions.some((revision) => SCENARIOS[revision].applicable.includes(name)))
    throw new Error(`--scenario ${name} is not an applicable scenario of ${revisions.join(' or ')} (see scripts/conformance/scenarios.mjs)`);
}

/**
 * Runs one scenario at one revision and judges its checks.
 * @param {string} mcpUrl
 * @param {Revision} revision
 * @param {string} scenario
 */
async function runScenario(mcpUrl, revision, scenario) {
  const outputDir = path.join(rawDir, revision, scenario);
  const run = await runSuite(['server', '--url', mcpUrl, '--scenario', scenario, '--spec-version', revision, '--timeout', String(timeoutMs), '--output-dir', outputDir], {
    timeoutMs: timeoutMs + 30_000,
  });
  const checksFile = readdirSync(outputDir, { recursive: true, encoding: 'utf8' }).find((file) => path.basename(file) === 'checks.json');
  const checks = checksFile ? JSON.parse(readFileSync(path.join(outputDir, checksFile), 'utf8')) : [];
  const verdict = judgeScenario(checks);
  const suiteFailedSilently = run.code !== 0 && verdict.failures.length === 0 && verdict.fixtureGaps.length === 0;
  if (run.timedOut || !checksFile || suiteFailedSilently) {
    const why = run.timedOut ? `the suite was still running after ${timeoutMs + 30_000} ms` : `the suite exited ${run.code}${checksFile ? '' : ' without writing checks.json'}`;
    verdict.failures.push({ id: '(suite)', message: `${why}: ${(run.stderr || run.stdout).trim().split('\n').slice(-5).join(' | ')}` });
    verdict.verdict = 'fail';
  }
  return { scenario, ...verdict, suiteExitCode: run.code, checks };
}

const server = flags.url ? undefined : await startServer();
const mcpUrl = flags.url ?? server?.mcpUrl ?? '';
/** @type {Record<string, Array<Awaited<ReturnType<typeof runScenario>>>>} */
const results = {};
try {
  for (const revision of revisions) {
    results[revision] = [];
    const wanted = SCENARIOS[revision].applicable.filter((name) => !flags.scenario || flags.scenario.includes(name));
    for (const scenario of wanted) {
      const result = await runScenario(mcpUrl, revision, scenario);
      results[revision].push(result);
      process.stderr.write(`${revision} ${scenario}: ${result.verdict}\n`);
    }
  }
} finally {
  await server?.stop();
}

/** @param {Awaited<ReturnType<typeof runScenario>>} result */
function cell(result) {
  const notes = [
    result.warnings.length > 0 ? `${result.warnings.length} warning${result.warnings.length > 1 ? 's' : ''}` : '',
    result.fixtureGaps.length > 0 ? `${result.fixtureGaps.length} fixture gap${result.fixtureGaps.length > 1 ? 's' : ''}` : '',
  ].filter(Boolean);
  if (result.verdict === 'fail') return `FAIL (${result.failures.length} failed)`;
  if (result.passed === 0 && result.skipped > 0) return 'pass (all skipped)';
  return notes.length > 0 ? `pass (${notes.join(', ')})` : 'pass';
}

const scenarioNames = [...new Set(revisions.flatMap((revision) => [...SCENARIOS[revision].applicable, ...Object.keys(SCENARIOS[revision].notApplicable)]))];
const rows = scenarioNames
  .filter((name) => !flags.scenario || flags.scenario.includes(name))
  .map((name) => [
    name,
    ...revisions.map((revision) => {
      const result = results[revision]?.find((candidate) => candidate.scenario === name);
      if (result) return cell(result);
      return name in SCENARIOS[revision].notApplicable ? 'n/a' : '-';
    }),
  ]);
const header = ['scenario', ...revisions];
const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
const line = (/** @type {string[]} */ row) =>
  row
    .map((text, column) => text.padEnd(widths[column]))
    .join('  ')
    .trimEnd();
console.log(`MCP conformance ${suite.version} against dspec (${flags.url ?? `node dist/bin/dspec.js ${SERVE_ARGS.join(' ')}`}), Node ${process.version}\n`);
console.log([line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n'));

/**
 * One titled list of check notes, a check per line (a message of several lines stays indented under it).
 * @param {string} title
 * @param {(result: Awaited<ReturnType<typeof runScenario>>) => Array<{ id: string, message: string }>} pick
 */
function printNotes(title, pick) {
  const lines = revisions.flatMap((revision) =>
    results[revision].flatMap((result) => pick(result).map((note) => `  ${revision} ${result.scenario} [${note.id}]: ${note.message.replaceAll('\n', '\n      ')}`)),
  );
  if (lines.length > 0) console.log(`\n${title}:\n${lines.join('\n')}`);
}
printNotes('Failures', (result) => result.failures);
printNotes('Warnings (SHOULD-level, not failing)', (result) => result.warnings);
printNotes("Checks that need the suite's own diagnostic fixtures (test_* tools), not counted", (result) => result.fixtureGaps);
const notApplicable = revisions.flatMap((revision) =>
  Object.entries(SCENARIOS[revision].notApplicable)
    .filter(([name]) => !flags.scenario || flags.scenario.includes(name))
    .map(([name, reason]) => `  ${revision} ${name}: ${reason}`),
);
if (notApplicable.length > 0) console.log(`\nNot applicable (n/a):\n${notApplicable.join('\n')}`);

const failed = revisions.flatMap((revision) => results[revision].filter((result) => result.verdict === 'fail').map((result) => `${revision} ${result.scenario}`));
mkdirSync(flags['results-dir'], { recursive: true });
const resultsFile = path.join(flags['results-dir'], `conformance-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
const summary = {
  suite: `@modelcontextprotocol/conformance@${suite.version}`,
  node: process.version,
  server: flags.url ?? `node dist/bin/dspec.js ${SERVE_ARGS.join(' ')}`,
  failed,
  revisions: Object.fromEntries(
    revisions.map((revision) => [
      revision,
      {
        scenarios: results[revision].map(({ checks: _checks, ...result }) => result),
        notApplicable: SCENARIOS[revision].notApplicable,
      },
    ]),
  ),
  rawChecks: rawDir,
};
writeFileSync(resultsFile, `${JSON.stringify(summary, null, 2)}\n`);
console.log(`\nResults: ${resultsFile.startsWith(ROOT) ? path.relative(ROOT, resultsFile) : resultsFile}; the suite's own checks.json files: ${rawDir}`);
console.log(failed.length > 0 ? `\n${failed.length} applicable scenario(s) failed: ${failed.join(', ')}` : '\nEvery applicable scenario passed.');
process.exitCode = failed.length > 0 ? 1 : 0;
