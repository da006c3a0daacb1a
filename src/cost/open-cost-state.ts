import { updateBudgets } from './budgets.js';
import type { CostStore } from './cost-store.js';
import { createCostTracker, type CostTrackerLogger, type FileCostTracker } from './create-cost-tracker.js';
import { createPriceTable, PriceOverridesSchema, type PriceTable } from './price-table.js';
import { CostReports } from './cost-report.js';

/**
 * The price table from config `cost.prices`, read structurally so this works whether or not
 * the config schema declares the field yet.
 */
export function priceTableFromConfig(config: object): PriceTable {
  const prices = (config as { cost?: { prices?: unknown } }).cost?.prices;
  return createPriceTable(prices === undefined ? {} : PriceOverridesSchema.parse(prices));
}

/** Tracker and reports over one state directory, as the CLI and the tools use them. */
export function openCostState(options: { home: string; config: object; clock?: () => Date; logger?: CostTrackerLogger }): CostStore & { tracker: FileCostTracker; reports: CostReports } {
  const clock = options.clock ?? (() => new Date());
  const tracker = createCostTracker({ home: options.home, clock, priceTable: priceTableFromConfig(options.config), logger: options.logger, allowUnpriced: allowUnpricedFromConfig(options.config) });
  return { tracker, reports: new CostReports(tracker, clock), updateBudgets: (changes) => updateBudgets(options.home, changes, clock()) };
}

/** Config `cost.allowUnpriced`, read structurally as `priceTableFromConfig` reads the prices. */
export function allowUnpricedFromConfig(config: object): boolean {
  return (config as { cost?: { allowUnpriced?: unknown } }).cost?.allowUnpriced === true;
}
