import { BudgetExceededError } from '../errors.js';
import { limitsOf, type BudgetLimit, type Budgets } from './budgets.js';
import type { CallEstimate } from './cost-tracker.js';
import { costWith, type PriceTable } from './price-table.js';
import { formatUsd } from './spend.js';

/**
 * The budget rules every cost backend applies, as pure functions: the worst case held for a
 * call, a limit's status from what it has spent and what calls in flight hold, and the exact
 * refusal and alert texts. The file tracker and the PostgreSQL tracker differ only in where
 * the numbers come from, so their callers see the same answers.
 */
export interface BudgetStatus {
  name: string;
  period: BudgetLimit['period'];
  component?: string;
  limit: number;
  spent: number;
  reserved: number;
  /** spent + reserved (+ the worst case of the call being reserved, in reserve's warnings). */
  used: number;
  percent: number;
  alert: boolean;
  exceeded: boolean;
}

/** A budget hold as the checks read it: its worst case and the component it is for. */
export interface HeldAmount {
  component: string;
  amount: number;
}

/** Worst-case USD of a call, or null when its model has no price. */
export function worstCaseCost(priceTable: PriceTable, estimate: CallEstimate): number | null {
  const price = priceTable.lookup(estimate.model);
  if (!price) return null;
  // Worst case: every input token written to the prompt cache if that costs more than plain input.
  const inputPrice = Math.max(price.input, price.cacheWrite);
  return costWith({ ...price, input: inputPrice }, { inputTokens: estimate.estimatedInputTokens, outputTokens: estimate.maxOutputTokens }).totalCost;
}

export function limitAppliesTo(limit: BudgetLimit, component: string): boolean {
  return limit.component === undefined || limit.component === component;
}

/** A limit's standing: `spent` in its period, what `holds` for its component keep, and `extra` (the call being reserved). */
export function budgetStatusOf(limit: BudgetLimit, spent: number, holds: readonly HeldAmount[], alertAtPercent: number, extra = 0): BudgetStatus {
  const reserved = holds.filter((hold) => limit.component === undefined || hold.component === limit.component).reduce((sum, hold) => sum + hold.amount, 0);
  const used = spent + reserved + extra;
  const percent = (used / limit.limit) * 100;
  return { ...limit, spent, reserved, used, percent, alert: percent >= alertAtPercent, exceeded: used > limit.limit + 1e-12 };
}

export function budgetAlertWarning(status: BudgetStatus): string {
  const held = status.used - status.spent;
  return `${status.name} budget: ${formatUsd(status.used)} of ${formatUsd(status.limit)} used (${status.percent.toFixed(0)}%)${held > 0 ? `, ${formatUsd(held)} of it held by calls in flight` : ''}`;
}

export function budgetExceededErrorFor(limit: BudgetLimit, status: BudgetStatus, worstCase: number, estimate: CallEstimate): BudgetExceededError {
  return new BudgetExceededError(
    `the ${limit.name} budget of ${formatUsd(limit.limit)} would be exceeded: ${formatUsd(status.spent)} spent, ${formatUsd(status.reserved)} held by calls in flight, and this call's worst case is ${formatUsd(worstCase)} (${estimate.model}, ${estimate.estimatedInputTokens} input + ${estimate.maxOutputTokens} output tokens)`,
    {
      suggestion: 'No call was made. Raise the limit (`dspec cost budget`), wait for the period to roll over, use a cheaper model, or reuse a cached component.',
      context: {
        limit: limit.name,
        limitUsd: limit.limit,
        spentUsd: status.spent,
        reservedUsd: status.reserved,
        worstCaseUsd: worstCase,
        component: estimate.component,
        model: estimate.model,
      },
    },
  );
}

/**
 * The amount a reserve holds for a call (its worst case; null when its model has no price), with
 * the warning an unpriced one brings. An unpriced call while any budget is set is refused unless
 * `allowUnpriced`.
 */
export function holdAmountFor(priceTable: PriceTable, estimate: CallEstimate, budgets: Budgets, allowUnpriced: boolean | undefined): { amount: number | null; warnings: string[] } {
  const amount = worstCaseCost(priceTable, estimate);
  const warnings: string[] = [];
  if (amount === null) {
    if (limitsOf(budgets).length > 0 && !allowUnpriced) throw unpricedModelRefusal(estimate, priceTable);
    warnings.push(unpricedReserveWarning(estimate.model, priceTable));
  }
  return { amount, warnings };
}

/** Fail closed: a call whose cost cannot be counted would slip past every limit. */
export function unpricedModelRefusal(estimate: CallEstimate, priceTable: PriceTable): BudgetExceededError {
  return new BudgetExceededError(`model ${estimate.model} has no price (price table ${priceTable.version}) and a budget is set, so its cost could not be counted against it: the call was not made`, {
    suggestion: `Price it in dspec.config.json under "cost": { "prices": { "${estimate.model}": { "input": <USD per million input tokens>, "output": <USD per million output tokens> } } }, or allow unpriced calls with "cost": { "allowUnpriced": true }.`,
    context: { model: estimate.model, component: estimate.component, priceTableVersion: priceTable.version, reason: 'unpriced-model' },
  });
}

export function unpricedReserveWarning(model: string, priceTable: PriceTable): string {
  return `model ${model} is not in the price table (version ${priceTable.version}): its calls are recorded as unpriced and budgets cannot limit them; add it under "prices" in dspec.config.json`;
}

export function unpricedRecordWarning(model: string, priceTable: PriceTable): string {
  return `model ${model} is unpriced (not in price table ${priceTable.version}): this call's cost is unknown and reported as unpriced`;
}
