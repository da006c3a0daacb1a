// One scenario at one protocol revision: the suite's `server` command against a URL, its saved
// checks.json read back and judged.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { judgeScenario } from './scenario-verdict.mjs';
import { runSuite } from './suite-cli.mjs';

/** @typedef {import('./scenario-verdict.mjs').ScenarioVerdict & { scenario: string, suiteExitCode: number | null }} ScenarioResult */

// Beyond the suite's own per-scenario timeout, for its start-up and teardown.
const SUITE_GRACE_MS = 30_000;

/**
 * @param {{ mcpUrl: string, revision: string, scenario: string, outputDir: string, timeoutMs: number }} run
 * @returns {Promise<ScenarioResult>}
 */
export async function runScenario({ mcpUrl, revision, scenario, outputDir, timeoutMs }) {
  const args = ['server', '--url', mcpUrl, '--scenario', scenario, '--spec-version', revision, '--timeout', String(timeoutMs), '--output-dir', outputDir];
  const run = await runSuite(args, { timeoutMs: timeoutMs + SUITE_GRACE_MS });
  const saved = listFiles(outputDir).find((file) => path.basename(file) === 'checks.json');
  const verdict = judgeScenario(saved ? JSON.parse(readFileSync(path.join(outputDir, saved), 'utf8')) : []);
  // The suite exits 1 on a failed check; an exit the checks do not explain is the suite's own failure.
  const unexplainedExit = run.code !== 0 && verdict.failures.length === 0 && verdict.fixtureGaps.length === 0;
  if (run.timedOut || !saved || unexplainedExit) {
    const why = run.timedOut ? `the suite was still running after ${timeoutMs + SUITE_GRACE_MS} ms` : `the suite exited ${run.code}${saved ? '' : ' without writing checks.json'}`;
    const lastLines = (run.stderr || run.stdout).trim().split('\n').slice(-5).join(' | ');
    verdict.failures.push({ id: '(suite)', message: `${why}: ${lastLines}` });
    verdict.verdict = 'fail';
  }
  return { scenario, ...verdict, suiteExitCode: run.code };
}

/** @param {string} dir @returns {string[]} every file under dir, relative to it ([] when dir was never made) */
function listFiles(dir) {
  try {
    return readdirSync(dir, { recursive: true, encoding: 'utf8' });
  } catch {
    return [];
  }
}
