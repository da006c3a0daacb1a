import { randomUUID } from 'node:crypto';
import { LedgerRecordSchema, type LedgerRecord, type LedgerRecordInput } from '../shapes/ledger-record.js';
import type { PriceTable } from './price-table.js';

/**
 * The ledger record of one attempt or cache hit, as every cost backend writes it: a fresh id,
 * the costs from the price table (0 for a cache hit, null when the model is unpriced) and the
 * table's version. `priced` is false when the model has no price.
 */
export function pricedRecordOf(input: LedgerRecordInput, priceTable: PriceTable, now: Date): { record: LedgerRecord; priced: boolean } {
  const cacheHit = input.cacheHit || input.outcome === 'cache_hit';
  const costs = cacheHit ? { inputCost: 0, outputCost: 0, totalCost: 0 } : priceTable.costOf(input.model, input);
  const record = LedgerRecordSchema.parse({
    ...input,
    id: randomUUID(),
    timestamp: input.timestamp ?? now.toISOString(),
    inputCost: costs?.inputCost ?? null,
    outputCost: costs?.outputCost ?? null,
    totalCost: costs?.totalCost ?? null,
    priceTableVersion: priceTable.version,
  });
  return { record, priced: costs !== null };
}
