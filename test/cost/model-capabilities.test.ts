import { describe, expect, it } from 'vitest';
import { BUILT_IN_CAPABILITIES, capabilitiesOf, clampMaxTokens } from '../../src/cost/model-capabilities.js';
import { BUILT_IN_PRICES } from '../../src/cost/price-table.js';
import { ANTHROPIC_MODELS } from '../fakes/anthropic-contract.js';
import { OPENAI_MODELS } from '../fakes/openai-contract.js';

describe('the model capability table', () => {
  it('has a row for every priced model, and agrees with the contract fakes on output limits', () => {
    expect(BUILT_IN_CAPABILITIES.map((row) => row.id).sort()).toEqual(BUILT_IN_PRICES.map((row) => row.id).sort());
    for (const [model, spec] of Object.entries(ANTHROPIC_MODELS)) {
      expect(capabilitiesOf('anthropic', model), model).toMatchObject({ maxOutputTokens: spec.maxOutputTokens, strictTools: spec.strictTools });
    }
    for (const model of ['gpt-5.4', 'gpt-5.4-mini']) expect(capabilitiesOf('openai-compatible', model).maxOutputTokens).toBe(OPENAI_MODELS[model]!.maxOutputTokens);
  });

  it('matches aliases and dated ids, and guesses the limit parameter of unknown OpenAI-compatible models by family', () => {
    expect(capabilitiesOf('anthropic', 'claude-sonnet-4-5-20250929').id).toBe('claude-sonnet-4-5');
    expect(capabilitiesOf('openai-compatible', 'gpt-5.4-mini-2026-03-17')).toMatchObject({ id: 'gpt-5.4-mini', maxTokensParam: 'max_completion_tokens' });
    expect(capabilitiesOf('openai-compatible', 'gpt-5-nano').maxTokensParam).toBe('max_completion_tokens');
    expect(capabilitiesOf('openai-compatible', 'o4-mini').maxTokensParam).toBe('max_completion_tokens');
    expect(capabilitiesOf('openai-compatible', 'qwen2.5-coder:14b')).toMatchObject({ maxTokensParam: 'max_tokens', maxOutputTokens: undefined });
    expect(capabilitiesOf('openai-compatible', 'gpt-4.1').maxTokensParam).toBe('max_tokens');
    expect(capabilitiesOf('anthropic', 'claude-future-9')).toMatchObject({ strictTools: true, maxOutputTokens: undefined });
  });

  it('clamps to the limit and leaves unknown limits alone', () => {
    expect(clampMaxTokens(capabilitiesOf('anthropic', 'claude-haiku-4-5'), 100_000)).toBe(64_000);
    expect(clampMaxTokens(capabilitiesOf('anthropic', 'claude-haiku-4-5'), 8192)).toBe(8192);
    expect(clampMaxTokens(capabilitiesOf('openai-compatible', 'llama3.1'), 100_000)).toBe(100_000);
  });
});
