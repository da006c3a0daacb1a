import type { McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod';
import type { ServerDeps } from '../context.js';
import { toolError, toolSuccess } from '../tool-result.js';

export const name = 'cost_report';

export const inputSchema = z.object({
  view: z
    .enum(['summary', 'forecast', 'optimize', 'budget'])
    .default('summary')
    .describe(
      'Default summary. summary: spend and savings by component, model, provider, operation; forecast: month and year projections; optimize: advice with the numbers behind it; budget: limits and what they have used.',
    ),
  period: z.enum(['today', 'week', 'month', 'all']).optional().describe('UTC calendar period (week starts Monday); default month. Ignored by forecast and budget.'),
  since: z.string().max(40).optional().describe('YYYY-MM-DD or ISO timestamp, inclusive; overrides period.'),
  until: z.string().max(40).optional().describe('YYYY-MM-DD or ISO timestamp, inclusive.'),
});

export const outputSchema = z.object({
  view: z.enum(['summary', 'forecast', 'optimize', 'budget']),
  /** The report object of the view (CostSummary, ForecastReport, OptimizeReport or the budget status). */
  report: z.record(z.string(), z.unknown()),
});

export const config = {
  title: 'Cost report',
  description:
    'Reports what LLM generation has cost, from the dspec cost ledger: totals, savings from the cache, breakdowns by component, model, provider and operation, forecasts, optimisation advice and budget status. Calls on models missing from the price table are flagged as unpriced, never counted as $0.',
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
};

/** Reports over the runtime's ledger, the one generation records into. */
export function registerCostReportTool(server: McpServer, deps: ServerDeps): void {
  server.registerTool(name, config, async (args) => {
    try {
      // The ledger and report code load on the first call.
      const [{ formatBudget, formatForecast, formatOptimize, formatSummary }, { reports }] = await Promise.all([import('../../cost/format-cost-report.js'), deps.runtime.costs()]);
      const query = { period: args.period, since: args.since, until: args.until };
      switch (args.view) {
        case 'summary': {
          const report = await reports.summary(query);
          return toolSuccess({ view: args.view, report: { ...report } }, formatSummary(report));
        }
        case 'forecast': {
          const report = await reports.forecast();
          return toolSuccess({ view: args.view, report: { ...report } }, formatForecast(report));
        }
        case 'optimize': {
          const report = await reports.optimize(query);
          return toolSuccess({ view: args.view, report: { ...report } }, formatOptimize(report));
        }
        case 'budget': {
          const report = await reports.budget();
          return toolSuccess({ view: args.view, report: { ...report } }, formatBudget(report));
        }
      }
    } catch (error) {
      return toolError(error, deps.logger, name);
    }
  });
}
