import type { McpServer } from '@modelcontextprotocol/server';
import { resolveHome } from '../../infra/config.js';
import { CALLER_RESULTS } from '../cache-hints.js';
import type { ServerDeps } from '../context.js';

export const EVAL_LATEST_URI = 'dspec://eval/latest';

/**
 * The last `dspec eval` run's summary (the run `<home>/evals/latest.json` points at, else the
 * newest under `<home>/evals/`), plus the headline figures of every other run found there, per
 * tag, so an assistant can compare models and prompt versions ("which model for forms?").
 */
export function registerEvalResource(server: McpServer, deps: ServerDeps): void {
  server.registerResource(
    'eval_report',
    EVAL_LATEST_URI,
    {
      title: 'Latest generation-quality eval',
      description:
        'Summary of the last `dspec eval` run: pass@1, pass within repairs, pass^k, mean attempts, first failing gate layer and finding codes, tokens, cost per valid component and latency, overall, per tag (display, form, composite, data-table, layout) and per spec; plus the headline figures of earlier runs (other models or prompt versions) for comparison.',
      mimeType: 'application/json',
      cacheHint: CALLER_RESULTS,
    },
    async (uri) => {
      const { latestRunDir, loadEvalRuns } = await import('../../dashboard/collect-dashboard.js');
      const { loadSummary } = await import('../../eval/compare.js');
      const home = resolveHome(deps.config, deps.cwd);
      const runs = await loadEvalRuns(home);
      const pointer = await latestRunDir(home);
      const fromPointer = pointer ? await loadSummary(pointer).catch(() => undefined) : undefined;
      const latest = fromPointer ?? runs[runs.length - 1];
      const same = (run: { finishedAt: string; model: string }) => latest !== undefined && run.finishedAt === latest.finishedAt && run.model === latest.model;
      const body = latest
        ? {
            run: fromPointer ? pointer : null,
            summary: latest,
            otherRuns: runs
              .filter((run) => !same(run))
              .map((run) => ({
                provider: run.provider,
                model: run.model,
                promptVersions: run.promptVersions,
                finishedAt: run.finishedAt,
                trialsPerSpec: run.trialsPerSpec,
                overall: { passAt1: run.overall.passAt1, passWithinBudget: run.overall.passWithinBudget, passHatK: run.overall.passHatK, costPerValid: run.overall.cost.perValid },
                byTag: Object.fromEntries(Object.entries(run.byTag).map(([tag, m]) => [tag, { passAt1: m.passAt1, passHatK: m.passHatK }])),
              })),
          }
        : { run: null, summary: null, otherRuns: [], message: `No eval run under ${home}/evals yet. Run \`dspec eval\` (with a provider key configured) to measure generation quality.` };
      return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(body, null, 2) }] };
    },
  );
}
