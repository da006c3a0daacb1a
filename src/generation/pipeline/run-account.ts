import type { Usage } from '../../cache/cache-entry.js';
import type { BudgetReservation } from '../../cost/cost-tracker.js';
import type { LedgerRecord } from '../../shapes/ledger-record.js';
import type { KeyedIdentity } from './component-cache-key.js';
import { ZERO_USAGE } from '../providers/provider.js';
import type { RunContext } from './run-context.js';

/** One ledger line's worth of an HTTP try: what it was and what the vendor says it used. */
export interface TryRecord {
  attempt: number;
  retry: number;
  outcome: LedgerRecord['outcome'];
  errorCategory?: string;
  requestId: string | null;
  usage: Usage;
}

/**
 * Everything one request spent, over every provider it called: each try is written to the
 * ledger as it ends (failed, timed out and cancelled tries with the usage the vendor reported),
 * and the same figures add up to the `usage`, `cost` and `attempts` the caller gets back.
 */
export class RunAccount {
  readonly usage: Usage = { ...ZERO_USAGE };
  /** Attempts sent, over every provider (an attempt's transport retries are one attempt). */
  attempts = 0;
  private readonly costs: Array<number | null> = [];

  constructor(private readonly run: RunContext) {}

  async record(identity: KeyedIdentity, reservation: BudgetReservation, line: TryRecord): Promise<void> {
    addUsage(this.usage, line.usage);
    const { record, warnings } = await this.run.deps.costs.record(
      {
        operation: this.run.operation,
        component: this.run.spec.name,
        provider: identity.provider.id,
        model: identity.provider.model,
        requestId: line.requestId,
        attempt: line.attempt,
        retry: line.retry,
        outcome: line.outcome,
        ...(line.errorCategory ? { errorCategory: line.errorCategory } : {}),
        inputTokens: line.usage.inputTokens,
        outputTokens: line.usage.outputTokens,
        cacheWriteTokens: line.usage.cacheWriteTokens,
        cacheReadTokens: line.usage.cacheReadTokens,
        cacheHit: false,
        costSaved: 0,
        promptVersion: this.run.prompt.version,
        cacheKey: identity.key,
      },
      reservation,
    );
    this.costs.push(record.totalCost);
    this.run.notice(...warnings);
  }

  /** USD over every try; null when any was unpriced (an unknown cost is never shown as a smaller known one). */
  get cost(): number | null {
    let sum = 0;
    for (const cost of this.costs) {
      if (cost === null) return null;
      sum += cost;
    }
    return Math.round(sum * 1e6) / 1e6;
  }

  snapshot(): { attempts: number; usage: Usage; costUsd: number | null } {
    return { attempts: this.attempts, usage: { ...this.usage }, costUsd: this.cost };
  }
}

function addUsage(total: Usage, add: Usage): void {
  total.inputTokens += add.inputTokens;
  total.outputTokens += add.outputTokens;
  total.cacheWriteTokens += add.cacheWriteTokens;
  total.cacheReadTokens += add.cacheReadTokens;
}
