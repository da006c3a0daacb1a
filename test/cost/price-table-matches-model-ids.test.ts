import { describe, expect, it } from 'vitest';
import { createPriceTable, normaliseModelId, PRICE_TABLE_VERSION } from '../../src/cost/price-table.js';

describe('the price table', () => {
  const table = createPriceTable();

  it.each([
    ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5', 3, 15],
    ['claude-sonnet-4-6', 'claude-sonnet-4-6', 3, 15],
    ['claude-sonnet-4-0', 'claude-sonnet-4', 3, 15],
    ['claude-sonnet-4-20250514', 'claude-sonnet-4', 3, 15],
    ['anthropic/claude-opus-4.6', 'claude-opus-4-6', 5, 25],
    ['claude-opus-4-8-latest', 'claude-opus-4-8', 5, 25],
    ['us.anthropic.claude-haiku-4-5-20251001-v1:0', 'claude-haiku-4-5', 1, 5],
    ['claude-haiku-4-5@20251001', 'claude-haiku-4-5', 1, 5],
    ['claude-4-5-sonnet', 'claude-sonnet-4-5', 3, 15],
    ['GPT-5.4', 'gpt-5.4', 2.5, 15],
    ['openai/gpt-5.4-mini-2026-03-17', 'gpt-5.4-mini', 0.75, 4.5],
  ])('prices %s as %s', (model, id, input, output) => {
    expect(normaliseModelId(model)).toBe(id);
    expect(table.lookup(model)).toMatchObject({ id, input, output });
  });

  it('has Anthropic cache writes at 1.25× and reads at 0.1× input, OpenAI cached input as listed', () => {
    expect(table.lookup('claude-sonnet-4-6')).toMatchObject({ cacheWrite: 3.75, cacheRead: expect.closeTo(0.3, 10) });
    expect(table.lookup('gpt-5.4')).toMatchObject({ cacheWrite: 2.5, cacheRead: 0.25 });
    expect(table.costOf('claude-opus-4-6', { inputTokens: 1_000_000, outputTokens: 1_000_000, cacheReadTokens: 1_000_000, cacheWriteTokens: 1_000_000 })).toEqual({
      inputCost: 5 + 0.5 + 6.25,
      outputCost: 25,
      totalCost: 36.75,
    });
  });

  it('reports unknown and unchecked models (Opus 4.1, older Claude, other vendors) as unpriced', () => {
    for (const model of ['claude-opus-4-1', 'claude-3-5-sonnet-20241022', 'llama3.1:8b', 'gpt-4o']) {
      expect(table.lookup(model)).toBeUndefined();
      expect(table.costOf(model, { inputTokens: 1, outputTokens: 1 })).toBeNull();
    }
  });

  it('lets config override a built-in row or add a model, and marks the version', () => {
    const custom = createPriceTable({ 'claude-sonnet-4-6': { input: 2, output: 10 }, 'llama3.1:8b': { input: 0, output: 0 } });
    expect(custom.version).toBe(`${PRICE_TABLE_VERSION}+config`);
    expect(custom.lookup('claude-sonnet-4-6-20260101')).toMatchObject({ input: 2, output: 10, cacheRead: 2, promptCaching: true });
    expect(custom.costOf('llama3.1:8b', { inputTokens: 5, outputTokens: 5 })).toEqual({ inputCost: 0, outputCost: 0, totalCost: 0 });
    expect(() => createPriceTable({ bad: { input: -1, output: 1 } })).toThrow();
  });
});
