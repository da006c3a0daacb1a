// Plain JavaScript (with sample-call.d.mts beside it) so both the tests and bench/budget-reserve-settle-bench.mjs can load it.
/** One successful Anthropic call as the cost tracker is handed it (it prices and stamps it). */
export function sampleCall(overrides = {}) {
  return {
    operation: 'generate_component',
    component: 'Button',
    provider: 'anthropic',
    model: 'claude-sonnet-4-6',
    requestId: 'r',
    attempt: 1,
    retry: 0,
    outcome: 'success',
    inputTokens: 10_000,
    outputTokens: 1_000,
    cacheWriteTokens: 0,
    cacheReadTokens: 0,
    cacheHit: false,
    costSaved: 0,
    promptVersion: 'v1',
    ...overrides,
  };
}
