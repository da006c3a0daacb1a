import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/infra/config.js';
import { createCatalogExampleSource, rankBySimilarity } from '../../src/generation/prompts/example-source.js';
import { createProviderRegistry } from '../../src/generation/providers/select-providers.js';
import { loadCatalog } from '../../src/catalog/catalog.js';
import { extractJsonObject } from '../../src/generation/providers/extract-json.js';
import { generatedComponentJsonSchema } from '../../src/generation/pipeline/model-answer.js';

const configFrom = (env: NodeJS.ProcessEnv) => loadConfig({ cwd: '/nonexistent-dir', env }).generation;

describe('provider selection from config and environment', () => {
  it('picks anthropic when a key is set, openai-compatible for a base URL, sampling when offered, else none', () => {
    const sample = async () => ({ content: { type: 'text', text: '' } });
    expect(
      createProviderRegistry(configFrom({}), { ANTHROPIC_API_KEY: 'k' })
        .forRequest()
        .map((p) => p.id),
    ).toEqual(['anthropic']);
    expect(
      createProviderRegistry(configFrom({}), { OPENAI_BASE_URL: 'http://127.0.0.1:1/v1' })
        .forRequest()
        .map((p) => p.id),
    ).toEqual(['openai-compatible']);
    expect(
      createProviderRegistry(configFrom({}), {})
        .forRequest({ sample })
        .map((p) => p.id),
    ).toEqual(['mcp-sampling']);
    // With none, the providers stay as cache-lookup identities only.
    const none = createProviderRegistry(configFrom({}), {}).forRequest();
    expect(none.map((p) => [p.id, p.model, p.health().configured])).toEqual([
      ['anthropic', 'claude-sonnet-4-6', false],
      ['openai-compatible', 'gpt-5.4-mini', false],
      ['mcp-sampling', 'client-selected', false],
    ]);
    expect(
      createProviderRegistry(configFrom({ DSPEC_PROVIDER: 'none' }), { ANTHROPIC_API_KEY: 'k' })
        .forRequest()[0]!
        .health().detail,
    ).toMatch(/turned off/);
  });

  it('honours an ordered fallback list and DSPEC_MODEL for the first provider', () => {
    const env = { DSPEC_PROVIDER: 'anthropic,openai-compatible', DSPEC_MODEL: 'claude-opus-4-8', OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1', DSPEC_OPENAI_MODEL: 'llama3.1' };
    const config = configFrom(env);
    expect(config.providers).toEqual(['anthropic', 'openai-compatible']);
    const providers = createProviderRegistry(config, { ...env, ANTHROPIC_API_KEY: 'sk-secret' }).forRequest();
    expect(providers.map((p) => `${p.id}:${p.model}`)).toEqual(['anthropic:claude-opus-4-8', 'openai-compatible:llama3.1']);
  });

  it('keeps a keyless anthropic as an unavailable provider, and never puts keys in config or health', () => {
    const config = configFrom({ DSPEC_PROVIDER: 'anthropic', ANTHROPIC_API_KEY: 'sk-secret-123' });
    expect(JSON.stringify(config)).not.toContain('sk-secret');
    const registry = createProviderRegistry(config, { ANTHROPIC_API_KEY: 'sk-secret-123' });
    expect(JSON.stringify(registry.describe())).not.toContain('sk-secret');
    expect(createProviderRegistry(config, {}).describe()).toEqual([{ provider: 'anthropic', model: 'claude-sonnet-4-6', configured: false, detail: 'ANTHROPIC_API_KEY is not set.' }]);
  });

  it('reads cache-only mode and the cache strategy from the environment', () => {
    expect(configFrom({ DSPEC_CACHE_ONLY: '1', DSPEC_CACHE_STRATEGY: 'never' })).toMatchObject({ cacheOnly: true, cacheStrategy: 'never' });
    expect(() => configFrom({ DSPEC_PROVIDER: 'gpt' })).toThrow(/Invalid configuration/);
  });
});

describe('prompt examples from the catalog', () => {
  it('picks the most similar Tier 1 components by keyword overlap, deterministically', async () => {
    const source = createCatalogExampleSource(await loadCatalog());
    const examples = source.similar({ name: 'StatCard', description: 'A card showing a key figure with a progress bar' }, 3);
    expect(examples).toHaveLength(3);
    expect(
      examples
        .slice(0, 2)
        .map((e) => e.name)
        .sort(),
    ).toEqual(['Card', 'Progress']);
    expect(examples.find((e) => e.name === 'Card')!.files.map((f) => f.path)).toEqual(['Card.tsx', 'Card.module.css']);
    expect(source.similar({ name: 'StatCard', description: 'A card showing a key figure with a progress bar' }, 3)).toEqual(examples);
    expect(
      rankBySimilarity({ name: 'ToggleSwitch', description: 'on/off' }, [
        { name: 'Switch', aliases: ['Toggle'], description: 'x' },
        { name: 'Button', aliases: [], description: 'x' },
      ])[0],
    ).toEqual({ name: 'Switch', score: 6 });
  });
});

describe('the answer format', () => {
  it('is draft-07 JSON Schema from zod, with every file required', () => {
    const schema = generatedComponentJsonSchema() as { required: string[]; additionalProperties: boolean };
    expect(schema.required).toEqual(['component', 'styles', 'types', 'test', 'story', 'index', 'dependencies']);
    expect(schema.additionalProperties).toBe(false);
  });

  it('extracts JSON from fences first, then the first balanced object', () => {
    expect(extractJsonObject('```\n{"a":1}\n```\n```json\n{"b":2}\n```')).toEqual({ b: 2 });
    expect(extractJsonObject('x {not json} then {"a":"}{"} tail')).toEqual({ a: '}{' });
    expect(extractJsonObject('nothing here')).toBeUndefined();
  });
});

describe('API keys', () => {
  it('never appear when a provider is serialised or inspected', async () => {
    const { inspect } = await import('node:util');
    const registry = createProviderRegistry(configFrom({ DSPEC_PROVIDER: 'anthropic,openai-compatible', ANTHROPIC_BASE_URL: 'http://127.0.0.1:9', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' }), {
      ANTHROPIC_API_KEY: 'sk-ant-secret',
      OPENAI_API_KEY: 'sk-oai-secret',
    });
    for (const provider of registry.forRequest()) {
      // Also once the SDK client exists (counting tokens creates it; the call itself fails fast here).
      await (provider as { countTokens?: (call: unknown) => Promise<unknown> })
        .countTokens?.({ prompt: { system: '', user: [] }, tool: { name: 't', description: '', inputSchema: {} }, maxTokens: 1 })
        .catch(() => undefined);
      expect(JSON.stringify(provider)).not.toMatch(/secret/);
      expect(inspect(provider, { depth: 5 })).not.toMatch(/secret/);
    }
  });
});
