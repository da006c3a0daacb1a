import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/errors.js';
import { AnthropicProvider } from '../../src/generation/providers/anthropic-provider.js';
import { generateTier2Component } from '../../src/generation/pipeline/generate-component.js';
import { OpenAiCompatibleProvider } from '../../src/generation/providers/openai-compatible-provider.js';
import { startFakeAnthropicServer, type FakeAnthropicServer } from '../fakes/fake-anthropic-server.js';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../fakes/fake-openai-server.js';
import { INVALID_STAT_CARD_OUTPUT, VALID_STAT_CARD_OUTPUT } from './fixtures/stat-card.mjs';
import { generationConfig, harness, STAT_CARD_REQUEST } from './support.js';

let server: FakeOpenAiServer;
let anthropic: FakeAnthropicServer;
beforeAll(async () => {
  [server, anthropic] = await Promise.all([startFakeOpenAiServer(), startFakeAnthropicServer()]);
});
afterAll(() => Promise.all([server.close(), anthropic.close()]));
beforeEach(() => {
  server.reset();
  anthropic.reset();
});

const provider = () => new OpenAiCompatibleProvider({ baseURL: server.baseURL, model: 'local-model', timeoutMs: 5000 });

describe('Tier 2 with an OpenAI-compatible server', () => {
  it('generates through a forced function call, against the real gate', async () => {
    const h = harness([provider()], { validate: 'real' });
    server.enqueue({ kind: 'tool', input: VALID_STAT_CARD_OUTPUT });
    const result = await generateTier2Component(STAT_CARD_REQUEST, h.deps);
    expect(result.provenance).toMatchObject({ provider: 'openai-compatible', model: 'local-model', attempts: 1 });
    expect(h.costs.records[0]).toMatchObject({ outcome: 'success', requestId: 'req_oai_1', inputTokens: 1500, outputTokens: 800 });
    const body = server.requests[0]!.body;
    expect(body.tool_choice).toEqual({ type: 'function', function: { name: 'submit_component' } });
    expect(body.messages[0].role).toBe('system');
    expect(server.requests[0]!.headers['x-stainless-retry-count']).toBe('0');
  });

  it('falls back to JSON in plain text when the server ignores the forced tool', async () => {
    const h = harness([provider()]);
    server.enqueue({ kind: 'text', text: `Here is the component:\n\n\`\`\`json\n${JSON.stringify(VALID_STAT_CARD_OUTPUT, null, 2)}\n\`\`\`\nHope it helps!` });
    const result = await generateTier2Component(STAT_CARD_REQUEST, h.deps);
    expect(result.attempts).toBe(1);
  });

  it('finds the first balanced object in unfenced text, and repairs a text answer with a user turn', async () => {
    const h = harness([provider()]);
    server.enqueue({ kind: 'text', text: `Sure! ${JSON.stringify(INVALID_STAT_CARD_OUTPUT)} Done.` }, { kind: 'text', text: `Fixed: ${JSON.stringify(VALID_STAT_CARD_OUTPUT)}` });
    const result = await generateTier2Component(STAT_CARD_REQUEST, h.deps);
    expect(result.attempts).toBe(2);
    const messages = server.requests[1]!.body.messages;
    expect(messages.map((m: { role: string }) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(messages[3].content).toContain('colour-literal');
  });

  it('repairs a tool call whose arguments are not JSON', async () => {
    const h = harness([provider()]);
    server.enqueue({ kind: 'tool', input: null, rawArguments: '{"component": "export function' }, { kind: 'tool', input: VALID_STAT_CARD_OUTPUT });
    const result = await generateTier2Component(STAT_CARD_REQUEST, h.deps);
    expect(result.attempts).toBe(2);
    expect(server.requests[1]!.body.messages.at(-1)).toMatchObject({ role: 'tool', tool_call_id: 'call_1' });
  });

  it('treats finish_reason "length" as truncation', async () => {
    const h = harness([provider()]);
    server.enqueue({ kind: 'text', text: '{"component": "export', finishReason: 'length' }, { kind: 'tool', input: VALID_STAT_CARD_OUTPUT });
    await generateTier2Component(STAT_CARD_REQUEST, h.deps);
    expect(h.costs.records.map((r) => r.outcome)).toEqual(['truncated', 'success']);
    expect(server.requests[1]!.body.max_tokens).toBe(16384);
  });

  it('retries 503 and honours x-should-retry: true on a 400', async () => {
    const h = harness([provider()]);
    server.enqueue(
      { kind: 'error', status: 503, type: 'server_error' },
      { kind: 'error', status: 400, type: 'invalid_request_error', headers: { 'x-should-retry': 'true' } },
      { kind: 'tool', input: VALID_STAT_CARD_OUTPUT },
    );
    await generateTier2Component(STAT_CARD_REQUEST, h.deps);
    expect(h.costs.records.map((r) => r.errorCategory ?? r.outcome)).toEqual(['server', 'bad_request', 'success']);
  });

  it('never retries a 401', async () => {
    const h = harness([provider()]);
    server.enqueue({ kind: 'error', status: 401, type: 'invalid_api_key' });
    const error = await generateTier2Component(STAT_CARD_REQUEST, h.deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).context).toMatchObject({ category: 'auth', status: 401 });
    expect(server.completionCount).toBe(1);
  });

  it('falls back to the next provider in order when the first one fails for good', async () => {
    const first = new AnthropicProvider({ apiKey: 'sk-test', baseURL: anthropic.baseURL, model: 'claude-sonnet-4-6', timeoutMs: 5000 });
    const h = harness([first, provider()], { config: generationConfig({ retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 1 } }) });
    anthropic.enqueue({ kind: 'error', status: 529, type: 'overloaded_error' }, { kind: 'error', status: 529, type: 'overloaded_error' });
    server.enqueue({ kind: 'tool', input: VALID_STAT_CARD_OUTPUT });
    const result = await generateTier2Component(STAT_CARD_REQUEST, h.deps);
    expect(result.provenance.provider).toBe('openai-compatible');
    expect(result.notices.join('\n')).toMatch(/anthropic .* failed \(overloaded\); falling back to openai-compatible/);
    expect(h.costs.attemptLines.map((r) => `${r.provider}:${r.errorCategory ?? r.outcome}`)).toEqual(['anthropic:overloaded', 'anthropic:overloaded', 'openai-compatible:success']);
  });
});
