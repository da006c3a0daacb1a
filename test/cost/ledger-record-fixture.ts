import type { LedgerRecord } from '../../src/shapes/ledger-record.js';

export function sampleRecord(overrides: Partial<LedgerRecord> = {}): LedgerRecord {
  return {
    id: 'x',
    timestamp: '2026-11-20T10:00:00.000Z',
    operation: 'generate_component',
    component: 'Button',
    provider: 'anthropic',
    model: 'claude-sonnet-4-6',
    requestId: 'req_1',
    attempt: 1,
    retry: 0,
    outcome: 'success',
    inputTokens: 1000,
    outputTokens: 500,
    cacheWriteTokens: 0,
    cacheReadTokens: 0,
    inputCost: 0.003,
    outputCost: 0.0075,
    totalCost: 0.0105,
    cacheHit: false,
    costSaved: 0,
    promptVersion: 'v1',
    priceTableVersion: '2026-11-01',
    ...overrides,
  };
}

export { sampleCall } from './sample-call.mjs';
