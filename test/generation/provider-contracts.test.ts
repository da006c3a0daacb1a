import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AnthropicProvider } from '../../src/generation/providers/anthropic-provider.js';
import { GENERATED_COMPONENT_TOOL, generatedComponentJsonSchema } from '../../src/generation/pipeline/model-answer.js';
import { OpenAiCompatibleProvider } from '../../src/generation/providers/openai-compatible-provider.js';
import { ProviderCallError, type ProviderCall } from '../../src/generation/providers/provider.js';
import { startFakeAnthropicServer, type FakeAnthropicServer } from '../fakes/fake-anthropic-server.js';
import { startFakeOpenAiServer, type FakeOpenAiServer } from '../fakes/fake-openai-server.js';

/**
 * The providers against the contract fakes, through the real SDKs: every request they build
 * is one the vendor accepts, answers stream in, and a stream that stalls, fails or is
 * cancelled still reports the usage seen so far.
 */

const OUTPUT = { component: 'export function Badge() { return null; }', styles: '.root {}', types: 'export interface BadgeProps {}', test: 'x', story: 'y', index: 'z', dependencies: [] };

const call = (overrides: Partial<ProviderCall> = {}): ProviderCall => ({
  prompt: { system: 'You write React components.', user: ['Examples: …', 'Write a Badge.'] },
  tool: { ...GENERATED_COMPONENT_TOOL, inputSchema: generatedComponentJsonSchema() },
  maxTokens: 8192,
  ...overrides,
});

async function failure(promise: Promise<unknown>): Promise<ProviderCallError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderCallError);
  return error as ProviderCallError;
}

describe('AnthropicProvider against the contract fake', () => {
  let server: FakeAnthropicServer;
  const provider = (model = 'claude-sonnet-4-6') => new AnthropicProvider({ apiKey: 'sk-ant-test-key', baseURL: server.baseURL, model, timeoutMs: 5000 });
  beforeAll(async () => {
    server = await startFakeAnthropicServer({ models: { 'claude-custom-1': { maxOutputTokens: 4096, strictTools: true } } });
  });
  afterAll(() => server.close());
  beforeEach(() => server.reset());

  it('streams a strict-tool request the API accepts, with exact usage including cache tokens', async () => {
    server.enqueue({ kind: 'tool', input: OUTPUT, usage: { input_tokens: 1200, output_tokens: 900, cache_creation_input_tokens: 3000, cache_read_input_tokens: 500 } });
    const answer = await provider().generate(call());
    expect(answer).toMatchObject({ output: OUTPUT, stop: 'complete', requestId: 'req_fake_0001', usage: { inputTokens: 1200, outputTokens: 900, cacheWriteTokens: 3000, cacheReadTokens: 500 } });
    const body = server.requests[0]!.body;
    expect(body).toMatchObject({ stream: true, tool_choice: { type: 'tool', name: GENERATED_COMPONENT_TOOL.name }, tools: [{ strict: true }] });
    // transformJSONSchema moved the bounds into descriptions: the strict grammar refuses them.
    expect(JSON.stringify(body.tools[0].input_schema)).not.toMatch(/"minLength"|"maxLength"/);
    expect(body.tools[0].input_schema.additionalProperties).toBe(false);
  });

  it("clamps max_tokens to the model's output limit", async () => {
    server.enqueue({ kind: 'tool', input: OUTPUT }, { kind: 'tool', input: OUTPUT });
    await provider('claude-sonnet-4-6').generate(call({ maxTokens: 200_000 }));
    await provider('claude-haiku-4-5').generate(call({ maxTokens: 200_000 }));
    expect(server.requests.map((r) => r.body.max_tokens)).toEqual([128_000, 64_000]);
  });

  it('sends a repair turn the API accepts (tool_result right after its tool_use)', async () => {
    server.enqueue({ kind: 'tool', input: OUTPUT });
    await provider().generate(call({ repair: { previous: { kind: 'tool', toolCallId: 'toolu_1', input: { component: '' } }, feedback: 'component is empty' } }));
    expect(server.exchanges[0]!.status).toBe(200);
    expect(server.requests[0]!.body.messages.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant', 'user']);
  });

  it('reports a max_tokens stop as truncated', async () => {
    server.enqueue({ kind: 'tool', input: { component: 'export function' }, stopReason: 'max_tokens' });
    expect((await provider().generate(call())).stop).toBe('truncated');
  });

  it('keeps a long, steady stream alive past a shorter idle timeout, reporting progress as tokens arrive', async () => {
    const long = { ...OUTPUT, story: 's'.repeat(24_000) };
    // 120 deltas every 25 ms: about 3 s in all, past the 2 s idle limit, never near 2 s silent
    // (the margin is wide so a busy machine's scheduling gaps cannot look like a stall).
    server.enqueue({ kind: 'tool', input: long, stream: { chunks: 120, intervalMs: 25 }, usage: { output_tokens: 6100 } });
    const progress: number[] = [];
    const answer = await provider().generate(call({ idleTimeoutMs: 2_000, onStream: (p) => progress.push(p.outputTokens) }));
    expect(answer.output).toEqual(long);
    expect(answer.usage.outputTokens).toBe(6100);
    expect(progress.length).toBeGreaterThan(5);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it('lets a 20,000-token answer stream for longer than the per-attempt time limit, which only covers the wait for headers', async () => {
    const huge = { ...OUTPUT, story: 's'.repeat(80_000) };
    // 60 deltas every 40 ms: about 2.4 s in all, past the 1 s request timeout, never 2 s silent.
    server.enqueue({ kind: 'tool', input: huge, stream: { chunks: 60, intervalMs: 40 }, usage: { output_tokens: 20_000 } });
    const quick = new AnthropicProvider({ apiKey: 'sk-ant-test-key', baseURL: server.baseURL, model: 'claude-sonnet-4-6', timeoutMs: 1000 });
    const answer = await quick.generate(call({ idleTimeoutMs: 2000 }));
    expect(answer).toMatchObject({ stop: 'complete', usage: { outputTokens: 20_000 } });
    expect(answer.output).toEqual(huge);
    expect(server.exchanges).toHaveLength(1);
  });

  it('ends a stalled stream as a retryable timeout carrying the usage streamed so far', async () => {
    server.enqueue({ kind: 'tool', input: OUTPUT, stream: { chunks: 6, stallAfterEvents: 5, stallMs: Infinity } });
    const error = await failure(provider().generate(call({ idleTimeoutMs: 200 })));
    expect(error).toMatchObject({ category: 'timeout', retryable: true, requestId: 'req_fake_0001' });
    expect(error.usage?.inputTokens).toBe(1200);
    expect(error.usage?.outputTokens).toBeGreaterThan(0);
    await expect.poll(() => server.exchanges[0]!.clientAborted).toBe(true);
  });

  it('aborts the stream on cancellation, keeping the usage so far', async () => {
    server.enqueue({ kind: 'tool', input: OUTPUT, stream: { chunks: 6, stallAfterEvents: 5, stallMs: Infinity } });
    const controller = new AbortController();
    const error = await failure(provider().generate(call({ signal: controller.signal, onStream: () => controller.abort() })));
    expect(error).toMatchObject({ category: 'aborted', retryable: false });
    expect(error.usage?.inputTokens).toBe(1200);
    await expect.poll(() => server.exchanges[0]!.clientAborted).toBe(true);
  });

  it('treats an error event inside the stream as retryable, with usage', async () => {
    server.enqueue({ kind: 'tool', input: OUTPUT, stream: { chunks: 4, errorAfterChunks: 2 } });
    const error = await failure(provider().generate(call()));
    expect(error).toMatchObject({ category: 'overloaded', retryable: true, vendorMessage: 'Overloaded' });
    expect(error.usage?.inputTokens).toBe(1200);
  });

  it("quotes the vendor's 400 message and request id", async () => {
    // A model the capability table does not know: nothing is clamped, and the API says why it refuses.
    const error = await failure(provider('claude-custom-1').generate(call()));
    expect(error).toMatchObject({
      category: 'bad_request',
      status: 400,
      requestId: 'req_fake_0001',
      vendorMessage: 'max_tokens: 8192 > 4096, which is the maximum allowed number of output tokens for claude-custom-1',
    });
    expect(error.message).toContain('max_tokens: 8192 > 4096');
    expect(error.message).toContain('req_fake_0001');
  });
});

describe('OpenAiCompatibleProvider against the contract fakes', () => {
  let openai: FakeOpenAiServer;
  let local: FakeOpenAiServer;
  beforeAll(async () => {
    openai = await startFakeOpenAiServer({ flavour: 'openai', models: { 'my-reasoner': { maxOutputTokens: 50_000, reasoning: true } } });
    local = await startFakeOpenAiServer();
  });
  afterAll(async () => {
    await openai.close();
    await local.close();
  });
  beforeEach(() => {
    openai.reset();
    local.reset();
  });

  it('streams gpt-5.4-mini with max_completion_tokens and the final usage chunk', async () => {
    openai.enqueue({ kind: 'tool', input: OUTPUT, usage: { prompt_tokens: 900, cached_tokens: 600, completion_tokens: 77 } });
    const provider = new OpenAiCompatibleProvider({ baseURL: openai.baseURL, apiKey: 'sk-test-key', model: 'gpt-5.4-mini', timeoutMs: 5000 });
    const answer = await provider.generate(call({ maxTokens: 500_000 }));
    expect(answer).toMatchObject({ output: OUTPUT, stop: 'complete', requestId: 'req_oai_1', usage: { inputTokens: 300, cacheReadTokens: 600, outputTokens: 77, cacheWriteTokens: 0 } });
    const body = openai.requests[0]!.body;
    expect(body).toMatchObject({ stream: true, stream_options: { include_usage: true }, max_completion_tokens: 128_000 });
    expect(body.max_tokens).toBeUndefined();
  });

  it('keeps max_tokens for a local server', async () => {
    local.enqueue({ kind: 'tool', input: OUTPUT });
    const provider = new OpenAiCompatibleProvider({ baseURL: local.baseURL, model: 'qwen2.5-coder:14b', timeoutMs: 5000 });
    expect((await provider.generate(call())).output).toEqual(OUTPUT);
    expect(local.requests[0]!.body).toMatchObject({ max_tokens: 8192, stream: true });
  });

  it('switches to max_completion_tokens once on unsupported_parameter, and remembers it', async () => {
    openai.enqueue({ kind: 'tool', input: OUTPUT }, { kind: 'tool', input: OUTPUT });
    const provider = new OpenAiCompatibleProvider({ baseURL: openai.baseURL, apiKey: 'sk-test-key', model: 'my-reasoner', timeoutMs: 5000 });
    await provider.generate(call());
    await provider.generate(call());
    expect(openai.exchanges.map((e) => [e.status, 'max_tokens' in e.request.body ? 'max_tokens' : 'max_completion_tokens'])).toEqual([
      [400, 'max_tokens'],
      [200, 'max_completion_tokens'],
      [200, 'max_completion_tokens'],
    ]);
    // What a server taught is the provider's (one runtime's), not the process's: a provider built
    // by another runtime for the same server starts from the default again.
    openai.enqueue({ kind: 'tool', input: OUTPUT });
    const another = new OpenAiCompatibleProvider({ baseURL: openai.baseURL, apiKey: 'sk-test-key', model: 'my-reasoner', timeoutMs: 5000 });
    await another.generate(call());
    expect(openai.exchanges.slice(3).map((e) => [e.status, 'max_tokens' in e.request.body ? 'max_tokens' : 'max_completion_tokens'])).toEqual([
      [400, 'max_tokens'],
      [200, 'max_completion_tokens'],
    ]);
  });

  it('ends a stalled stream as a retryable timeout with estimated usage, and reports length as truncated', async () => {
    local.enqueue({ kind: 'tool', input: OUTPUT, stream: { chunks: 6, stallAfterEvents: 3, stallMs: Infinity } }, { kind: 'text', text: '{"component": "export', finishReason: 'length' });
    const provider = new OpenAiCompatibleProvider({ baseURL: local.baseURL, model: 'qwen2.5-coder:14b', timeoutMs: 5000 });
    const error = await failure(provider.generate(call({ idleTimeoutMs: 200 })));
    expect(error).toMatchObject({ category: 'timeout', retryable: true, requestId: 'req_oai_1' });
    expect(error.usage?.inputTokens).toBeGreaterThan(0);
    expect(error.usage?.outputTokens).toBeGreaterThan(0);
    expect((await provider.generate(call())).stop).toBe('truncated');
  });

  it("quotes OpenAI's message for a refused request", async () => {
    const provider = new OpenAiCompatibleProvider({ baseURL: openai.baseURL, apiKey: 'sk-test-key', model: 'gpt-nonexistent', timeoutMs: 5000 });
    const error = await failure(provider.generate(call()));
    expect(error).toMatchObject({ category: 'bad_request', status: 404, requestId: 'req_oai_1' });
    expect(error.vendorMessage).toMatch(/The model `gpt-nonexistent` does not exist/);
  });
});

describe('OpenAiCompatibleProvider cancellation', () => {
  it('aborts the stream when the caller cancels, as aborted with the usage so far', async () => {
    const local = await startFakeOpenAiServer();
    try {
      local.enqueue({ kind: 'tool', input: OUTPUT, stream: { chunks: 6, stallAfterEvents: 3, stallMs: Infinity } });
      const provider = new OpenAiCompatibleProvider({ baseURL: local.baseURL, model: 'qwen2.5-coder:14b', timeoutMs: 5000 });
      const controller = new AbortController();
      const error = await failure(provider.generate(call({ signal: controller.signal, onStream: () => controller.abort() })));
      expect(error).toMatchObject({ category: 'aborted', retryable: false });
      expect(error.usage?.outputTokens).toBeGreaterThan(0);
      await expect.poll(() => local.exchanges[0]!.clientAborted).toBe(true);
    } finally {
      await local.close();
    }
  });
});
