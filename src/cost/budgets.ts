import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as z from 'zod';
import { InputError, issuesFromZod } from '../errors.js';
import { writeFileAtomic } from '../infra/atomic-write.js';

/**
 * `<home>/budgets.json`. Limits are USD; `null` means no limit. Periods are UTC calendar
 * periods: the day, the ISO week (Monday to Sunday) and the month. Component limits apply to
 * the calendar month.
 */
export const BudgetsSchema = z.object({
  version: z.literal(1).default(1),
  daily: z.number().positive().nullable().default(null),
  weekly: z.number().positive().nullable().default(null),
  monthly: z.number().positive().nullable().default(null),
  components: z.record(z.string().min(1), z.number().positive()).default({}),
  /** Percent of a limit at which calls start returning warnings. */
  alertAtPercent: z.number().min(1).max(100).default(80),
  updatedAt: z.string().optional(),
});
export type Budgets = z.infer<typeof BudgetsSchema>;
export type BudgetsInput = z.input<typeof BudgetsSchema>;

export type BudgetPeriod = 'daily' | 'weekly' | 'monthly';

/** One limit to check: a period total or one component's monthly total. */
export interface BudgetLimit {
  name: string;
  period: BudgetPeriod;
  component?: string;
  limit: number;
}

export function budgetsFileOf(home: string): string {
  return path.join(home, 'budgets.json');
}

export async function readBudgets(home: string): Promise<Budgets> {
  const file = budgetsFileOf(home);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return BudgetsSchema.parse({});
    throw error;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${file} is not valid JSON: ${(error as Error).message}`, { suggestion: 'Fix it or set the budgets again with `dspec cost budget`.' });
  }
  const parsed = BudgetsSchema.safeParse(raw);
  if (!parsed.success) throw new InputError(`${file} is not a valid budgets file`, { issues: issuesFromZod(parsed.error.issues) });
  return parsed.data;
}

export interface BudgetChanges {
  daily?: number | null;
  weekly?: number | null;
  monthly?: number | null;
  /** A component's limit, or null to remove it. */
  components?: Record<string, number | null>;
  alertAtPercent?: number;
}

/** Merges `changes` into the stored budgets (null removes a limit) and writes them atomically. */
export async function updateBudgets(home: string, changes: BudgetChanges, now: Date): Promise<Budgets> {
  const merged = mergeBudgets(await readBudgets(home), changes, now);
  await writeFileAtomic(budgetsFileOf(home), `${JSON.stringify(merged, null, 2)}\n`);
  return merged;
}

/** `current` with `changes` applied (null removes a limit), validated: what every backend stores. */
export function mergeBudgets(current: Budgets, changes: BudgetChanges, now: Date): Budgets {
  const components: Record<string, number> = { ...current.components };
  for (const [component, limit] of Object.entries(changes.components ?? {})) {
    if (limit === null) delete components[component];
    else components[component] = limit;
  }
  const { components: _ignored, ...scalars } = changes;
  const merged = BudgetsSchema.safeParse({
    ...current,
    ...Object.fromEntries(Object.entries(scalars).filter(([, value]) => value !== undefined)),
    components,
    updatedAt: now.toISOString(),
  });
  if (!merged.success) throw new InputError('invalid budget', { issues: issuesFromZod(merged.error.issues) });
  return merged.data;
}

export function limitsOf(budgets: Budgets): BudgetLimit[] {
  const limits: BudgetLimit[] = [];
  if (budgets.daily !== null) limits.push({ name: 'daily', period: 'daily', limit: budgets.daily });
  if (budgets.weekly !== null) limits.push({ name: 'weekly', period: 'weekly', limit: budgets.weekly });
  if (budgets.monthly !== null) limits.push({ name: 'monthly', period: 'monthly', limit: budgets.monthly });
  for (const [component, limit] of Object.entries(budgets.components)) {
    limits.push({ name: `component ${component} (monthly)`, period: 'monthly', component, limit });
  }
  return limits;
}

/** First UTC day (YYYY-MM-DD) of the period containing `now`. */
export function periodStartDay(period: BudgetPeriod, now: Date): string {
  const day = now.toISOString().slice(0, 10);
  if (period === 'daily') return day;
  if (period === 'monthly') return `${day.slice(0, 8)}01`;
  const weekday = (now.getUTCDay() + 6) % 7; // Monday = 0
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - weekday)).toISOString().slice(0, 10);
}
