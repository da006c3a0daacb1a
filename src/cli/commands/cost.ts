import { InputError } from '../../errors.js';
import type { BudgetChanges } from '../../cost/budgets.js';
import { formatBudget, formatForecast, formatOptimize, formatSummary } from '../../cost/format-cost-report.js';
import type { PeriodQuery, ReportPeriod } from '../../cost/cost-report.js';
import { ExitCode, type CliIo } from '../io.js';
import { usageLine } from '../command-definition.js';
import type { CliCommand, OpenRuntime, ParsedOptionValues } from '../run-cli.js';

const periodOptions = {
  period: { type: 'string', value: 'today|week|month|all', description: 'period to report' },
  since: { type: 'string', value: 'YYYY-MM-DD', description: 'first day to report' },
  until: { type: 'string', value: 'YYYY-MM-DD', description: 'last day to report' },
  json: { type: 'boolean', description: 'print the result as JSON' },
} as const satisfies CliCommand['options'];

const PERIODS: ReportPeriod[] = ['today', 'week', 'month', 'all'];

async function open(openRuntime: OpenRuntime) {
  return (await openRuntime()).costs();
}

function periodQuery(values: ParsedOptionValues): PeriodQuery {
  const period = values.period;
  if (period !== undefined && !PERIODS.includes(period as ReportPeriod)) throw new InputError(`--period must be one of ${PERIODS.join(', ')}, got "${String(period)}"`);
  return { period: period as ReportPeriod | undefined, since: values.since as string | undefined, until: values.until as string | undefined };
}

function noPositionals(positionals: string[], usage: string): void {
  if (positionals.length) throw new InputError(`unexpected argument "${positionals[0]}"; usage: ${usage}`);
}

function print(io: CliIo, json: unknown, text: string, asJson: unknown): void {
  io.stdout(asJson ? `${JSON.stringify(json, null, 2)}\n` : text);
}

export const costSummaryCommand: CliCommand = {
  words: ['cost', 'summary'],
  summary: 'What LLM generation cost: totals, cache savings, by component, model, provider and operation; unpriced models flagged.',
  options: periodOptions,
  async run({ values, positionals }, io, openRuntime) {
    noPositionals(positionals, usageLine(this));
    const report = await (await open(openRuntime)).reports.summary(periodQuery(values));
    print(io, report, formatSummary(report), values.json);
    return ExitCode.Ok;
  },
};

export const costForecastCommand: CliCommand = {
  words: ['cost', 'forecast'],
  summary: 'Daily average over the last 30 days and month and year projections, with a confidence level.',
  options: { json: { type: 'boolean', description: 'print the result as JSON' } },
  async run({ values, positionals }, io, openRuntime) {
    noPositionals(positionals, usageLine(this));
    const report = await (await open(openRuntime)).reports.forecast();
    print(io, report, formatForecast(report), values.json);
    return ExitCode.Ok;
  },
};

export const costOptimizeCommand: CliCommand = {
  words: ['cost', 'optimize'],
  summary: 'Advice drawn from the ledger (cache hit rate, dominant components, premium models on simple components, repairs, prompt caching), with the numbers behind each item.',
  options: periodOptions,
  async run({ values, positionals }, io, openRuntime) {
    noPositionals(positionals, usageLine(this));
    const report = await (await open(openRuntime)).reports.optimize(periodQuery(values));
    print(io, report, formatOptimize(report), values.json);
    return ExitCode.Ok;
  },
};

function parseUsd(text: string, flag: string): number | null {
  if (text === 'off' || text === 'none') return null;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new InputError(`${flag} must be a positive amount in USD (or "off"), got "${text}"`);
  return value;
}

export const costBudgetCommand: CliCommand = {
  words: ['cost', 'budget'],
  summary: 'Set daily, weekly, monthly and per-component (monthly) spending limits, or show them with what has been spent. Exit 1 when a limit is exceeded.',
  options: {
    daily: { type: 'string', value: 'USD', description: 'daily budget ("off" removes it)' },
    weekly: { type: 'string', value: 'USD', description: 'weekly budget ("off" removes it)' },
    monthly: { type: 'string', value: 'USD', description: 'monthly budget ("off" removes it)' },
    component: { type: 'string', multiple: true, value: 'NAME=USD', description: 'budget for one component ("off" removes it)' },
    'alert-at': { type: 'string', value: '80', description: 'percent of a budget at which to warn' },
    json: { type: 'boolean', description: 'print the result as JSON' },
  },
  async run({ values, positionals }, io, openRuntime) {
    noPositionals(positionals, usageLine(this));
    const changes: BudgetChanges = {};
    if (typeof values.daily === 'string') changes.daily = parseUsd(values.daily, '--daily');
    if (typeof values.weekly === 'string') changes.weekly = parseUsd(values.weekly, '--weekly');
    if (typeof values.monthly === 'string') changes.monthly = parseUsd(values.monthly, '--monthly');
    for (const spec of (values.component as string[] | undefined) ?? []) {
      const at = spec.lastIndexOf('=');
      if (at <= 0) throw new InputError(`--component expects NAME=USD, got "${spec}"`);
      changes.components = { ...changes.components, [spec.slice(0, at)]: parseUsd(spec.slice(at + 1), `--component ${spec.slice(0, at)}`) };
    }
    if (typeof values['alert-at'] === 'string') {
      const alertAt = Number(values['alert-at']);
      if (!Number.isFinite(alertAt) || alertAt < 1 || alertAt > 100) throw new InputError(`--alert-at must be a percent from 1 to 100, got "${values['alert-at']}"`);
      changes.alertAtPercent = alertAt;
    }
    // Through the store: in the files under .dspec/, or in PostgreSQL when DSPEC_DATABASE_URL is set.
    const costs = await open(openRuntime);
    if (Object.keys(changes).length) await costs.updateBudgets(changes);
    const report = await costs.reports.budget();
    print(io, report, formatBudget(report), values.json);
    return report.limits.some((limit) => limit.spent > limit.limit) ? ExitCode.Findings : ExitCode.Ok;
  },
};

export const COST_COMMANDS = [costSummaryCommand, costForecastCommand, costOptimizeCommand, costBudgetCommand];

/** `dspec cost <summary|forecast|optimize|budget> …`, for a router that registers one command per first word. */
export const costCommand: CliCommand = {
  words: ['cost'],
  arguments: 'summary|forecast|optimize|budget',
  summary: 'LLM cost reports and budgets from the .dspec cost ledger.',
  options: { ...periodOptions, ...costBudgetCommand.options },
  async run({ values, positionals }, io, openRuntime) {
    const sub = COST_COMMANDS.find((command) => command.words[1] === positionals[0]);
    if (!sub) throw new InputError(`unknown cost view "${positionals[0] ?? ''}"; usage: ${usageLine(this)}`);
    const allowed = Object.keys(sub.options);
    const foreign = Object.keys(values).find((key) => !allowed.includes(key));
    if (foreign) throw new InputError(`--${foreign} does not apply to cost ${positionals[0]}; usage: ${usageLine(sub)}`);
    return sub.run({ values, positionals: positionals.slice(1) }, io, openRuntime);
  },
};
