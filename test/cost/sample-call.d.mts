import type { LedgerRecordInput } from '../../src/shapes/ledger-record.js';

/** One successful Anthropic call as the cost tracker is handed it (it prices and stamps it). */
export declare function sampleCall(overrides?: Partial<LedgerRecordInput>): LedgerRecordInput;
