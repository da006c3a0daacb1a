// `eval` section: (1) the harness's own time per trial beyond the generation itself, running a
// suite through `runEval` against a local fake Anthropic endpoint (real pipeline and gate);
// (2) `dspec report` over 1,000,000 ledger lines and 100,000 cache-index entries, in a fresh
// process as a user runs it, with its peak RSS: cold (no ledger summary index yet), warm, and
// after 10,000 more lines; the target holds for the slowest of the three. Needs a build (`npm run build`).
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { startFakeAnthropic } from './anthropic-sse.mjs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { printTable, round } from './stats.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const distDir = process.env.DSPEC_BENCH_DIST ?? path.join(root, 'dist');
const dist = (file) => pathToFileURL(path.join(distDir, file)).href;

export const TARGETS = { harnessOverheadMs: 20, reportMs: 3000, reportRssMb: 300 };

/** Answers every request with a valid component for the spec name found in the prompt. */
const startFake = (validAnswer) => startFakeAnthropic((_body, raw) => ({ input: validAnswer(specNameIn(raw)), usage: { input_tokens: 1000, output_tokens: 500 } }));

/** The bench spec a prompt asks for; a prompt without one means the harness sent something else. */
function specNameIn(prompt) {
  const name = /BenchPanel\d+/.exec(prompt)?.[0];
  if (!name) throw new Error(`the fake model got a prompt that names no BenchPanel spec: ${prompt.slice(0, 200)}`);
  return name;
}

async function harnessOverhead(scratch, specs, trials) {
  const [{ runEval }, { loadSuite }, { loadConfig }, { createSilentLogger }, { createRuntime }, { validAnswer }] = await Promise.all([
    import(dist('eval/run-eval.js')),
    import(dist('eval/suite.js')),
    import(dist('infra/config.js')),
    import(dist('infra/logger.js')),
    import(dist('runtime/create-runtime.js')),
    import(pathToFileURL(path.join(root, 'test/eval/fixtures/answers.mjs')).href),
  ]);
  const fake = await startFake(validAnswer);
  try {
    const cwd = path.join(scratch, 'eval');
    mkdirSync(cwd, { recursive: true });
    const suiteFile = path.join(cwd, 'suite.json');
    writeFileSync(suiteFile, JSON.stringify(Array.from({ length: specs }, (_, i) => ({ name: `BenchPanel${i + 1}`, description: `Bench panel ${i + 1}.`, tags: ['bench'] }))));
    const env = { ANTHROPIC_API_KEY: 'sk-bench', ANTHROPIC_BASE_URL: fake.baseURL, DSPEC_PROVIDER: 'anthropic', DSPEC_MODEL: 'claude-sonnet-4-6' };
    const runtime = createRuntime({ config: loadConfig({ cwd, env }), env, cwd, logger: createSilentLogger() });
    const suite = await loadSuite(suiteFile);
    // Warm the gate first (TypeScript, ESLint, stylelint), as a long run would be.
    await runEval({ suite: { ...suite, specs: suite.specs.slice(0, 1) }, trials: 1, concurrency: 1, outDir: 'warm', runtime });
    const started = performance.now();
    const { summary } = await runEval({ suite, trials, concurrency: 1, outDir: 'run', runtime });
    const wallMs = performance.now() - started;
    if (summary.overall.valid !== specs * trials) throw new Error(`bench eval: ${summary.overall.valid} of ${specs * trials} trials valid`);
    return {
      trials: specs * trials,
      harnessOverheadMs: summary.harnessOverheadMs,
      meanGenerationMs: summary.overall.latencyMs.mean,
      wallPerTrialMs: round(wallMs / (specs * trials)),
    };
  } finally {
    await fake.close();
  }
}

function ledgerLine(i, start) {
  const hit = i % 5 === 0;
  const error = !hit && i % 97 === 0;
  const components = ['StatCard', 'PricingTable', 'DataGrid', 'Combobox', 'HeroSection', 'SearchField', 'Accordion', 'SiteFooter'];
  const models = ['claude-sonnet-4-6', 'claude-opus-4-6', 'gpt-5.4-mini'];
  const cost = hit || error ? 0 : 0.0276;
  return JSON.stringify({
    id: `r${i}`,
    timestamp: new Date(start + i * 6000).toISOString(),
    operation: i % 11 === 0 ? 'eval' : 'generate_component',
    component: components[i % 8],
    provider: i % 3 === 2 ? 'openai-compatible' : 'anthropic',
    model: models[i % 3],
    requestId: hit ? null : `req_${i}`,
    attempt: i % 7 === 0 ? 2 : 1,
    retry: error ? 0 : i % 13 === 0 ? 1 : 0,
    outcome: hit ? 'cache_hit' : error ? 'error' : 'success',
    ...(error ? { errorCategory: 'overloaded' } : {}),
    inputTokens: hit ? 0 : 3000,
    outputTokens: hit ? 0 : 1200,
    cacheWriteTokens: 0,
    cacheReadTokens: hit ? 0 : 2000,
    inputCost: cost ? 0.0096 : 0,
    outputCost: cost ? 0.018 : 0,
    totalCost: cost,
    cacheHit: hit,
    costSaved: hit ? 0.0276 : 0,
    promptVersion: 'component-generation@3',
    priceTableVersion: '2026-11-01',
    cacheKey: 'a'.repeat(64),
  });
}

function writeLines(file, count, make) {
  const fd = openSync(file, 'w');
  let lines = [];
  for (let i = 0; i < count; i++) {
    lines.push(make(i));
    if (lines.length === 10_000) {
      writeSync(fd, `${lines.join('\n')}\n`);
      lines = [];
    }
  }
  if (lines.length) writeSync(fd, `${lines.join('\n')}\n`);
  closeSync(fd);
}

function reportRun(home, out, args = ['report', '-o', out]) {
  const script = `
    const { runCli } = await import(${JSON.stringify(dist('cli/run-cli.js'))});
    const started = performance.now();
    const code = await runCli(${JSON.stringify(args)}, { stdout: () => {}, stderr: () => {}, cwd: ${JSON.stringify(home)}, env: { DSPEC_HOME: ${JSON.stringify(home)} } });
    console.log(JSON.stringify({ code, ms: performance.now() - started, maxRssMb: process.resourceUsage().maxRSS / 1024 }));`;
  const started = performance.now();
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  const processMs = performance.now() - started;
  if (child.status !== 0) throw new Error(`dspec report failed: ${child.stderr}`);
  const lastLine = child.stdout.trim().split('\n').pop();
  if (!lastLine) throw new Error(`dspec report printed no result line; stderr: ${child.stderr}`);
  const result = JSON.parse(lastLine);
  if (result.code !== 0) throw new Error(`dspec report exited ${result.code}`);
  return { reportMs: round(result.ms), processMs: round(processMs), maxRssMb: round(result.maxRssMb) };
}

export async function runEvalBench({ specs = 20, trials = 2, ledgerLines = 1_000_000, cacheEntries = 100_000, print = true } = {}) {
  const scratch = mkdtempSync(path.join(tmpdir(), 'dspec-eval-bench-'));
  try {
    const harness = await harnessOverhead(scratch, specs, trials);

    const home = path.join(scratch, 'report-home');
    mkdirSync(path.join(home, 'cache'), { recursive: true });
    const start = Date.UTC(2026, 7, 1);
    writeLines(path.join(home, 'costs.jsonl'), ledgerLines, (i) => ledgerLine(i, start));
    writeLines(path.join(home, 'cache', 'index.jsonl'), cacheEntries, (i) =>
      JSON.stringify({
        key: i.toString(16).padStart(64, '0'),
        component: `Component${i % 40}`,
        model: i % 3 ? 'claude-sonnet-4-6' : 'gpt-5.4-mini',
        provider: i % 3 ? 'anthropic' : 'openai-compatible',
        bytes: 4200 + (i % 300),
        createdAt: new Date(start + i * 60_000).toISOString(),
        cost: 0.027,
      }),
    );
    writeFileSync(path.join(home, 'budgets.json'), JSON.stringify({ version: 1, daily: 50, weekly: 300, monthly: null, components: {}, alertAtPercent: 80 }));
    // Cold: no summary index yet (the first report on a ledger, or after the index was lost), one
    // full pass that writes the index; warm: the index is current; grown: 10,000 lines appended since.
    const indexFile = path.join(home, 'costs.summary.json');
    const cold = { run: 'cold (no index)', ...reportRun(home, path.join(scratch, 'report-1.html')) };
    const warm = { run: 'warm (index current)', ...reportRun(home, path.join(scratch, 'report-2.html')) };
    const ledgerFile = path.join(home, 'costs.jsonl');
    const fd = openSync(ledgerFile, 'a');
    writeSync(fd, `${Array.from({ length: 10_000 }, (_, i) => ledgerLine(ledgerLines + i, start)).join('\n')}\n`);
    closeSync(fd);
    const grown = { run: 'index + 10,000 new lines', ...reportRun(home, path.join(scratch, 'report-3.html')) };
    const runs = [cold, warm, grown];
    const slowest = runs.reduce((a, b) => (a.reportMs > b.reportMs ? a : b));
    // Reference on the same machine and moment: `dspec cost summary` folding the same ledger cold (index removed first).
    rmSync(indexFile, { force: true });
    const costSummary = reportRun(home, '', ['cost', 'summary', '--period', 'all', '--json']);
    const results = {
      targets: TARGETS,
      harness,
      report: {
        ledgerLines,
        cacheEntries,
        runs,
        reportMs: slowest.reportMs,
        coldMs: cold.reportMs,
        warmMs: warm.reportMs,
        grownMs: grown.reportMs,
        maxRssMb: Math.max(...runs.map((r) => r.maxRssMb)),
        costSummaryColdMs: costSummary.reportMs,
        reportOverCostSummary: round(cold.reportMs / costSummary.reportMs, 2),
        loadAverage: loadavg().map((value) => round(value, 2)),
      },
    };
    results.pass = harness.harnessOverheadMs <= TARGETS.harnessOverheadMs && results.report.reportMs <= TARGETS.reportMs && results.report.maxRssMb <= TARGETS.reportRssMb;
    if (print) {
      printTable('eval harness (against a fake Anthropic endpoint, real gate)', [
        {
          trials: harness.trials,
          'harness overhead ms/trial': harness.harnessOverheadMs,
          target: `≤ ${TARGETS.harnessOverheadMs}`,
          'mean generation ms': harness.meanGenerationMs,
          'wall ms/trial': harness.wallPerTrialMs,
        },
      ]);
      printTable(`dspec report over ${ledgerLines.toLocaleString('en-US')} ledger lines and ${cacheEntries.toLocaleString('en-US')} cache entries`, [
        ...runs.map((r) => ({ run: `report, ${r.run}`, ms: r.reportMs, 'process ms': r.processMs, 'max RSS MB': r.maxRssMb, target: `≤ ${TARGETS.reportMs} ms, ≤ ${TARGETS.reportRssMb} MB` })),
        { run: 'cost summary, cold (reference)', ms: costSummary.reportMs, 'process ms': costSummary.processMs, 'max RSS MB': costSummary.maxRssMb, target: '' },
      ]);
    }
    return results;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
