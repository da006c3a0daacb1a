import Anthropic from '@anthropic-ai/sdk';
import { transformJSONSchema } from '@anthropic-ai/sdk/lib/transform-json-schema';
import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages';
import OpenAI from 'openai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generatedComponentJsonSchema } from '../../src/generation/pipeline/model-answer.js';
import { startFakeAnthropicServer, type FakeAnthropicServer } from './fake-anthropic-server.js';
import { startFakeOpenAiServer, type FakeOpenAiServer } from './fake-openai-server.js';

/**
 * The fakes are tested with the official SDKs: a request the vendor accepts passes, and each
 * shape the vendor refuses is refused with the vendor's status and error type. These rules
 * come from the vendors' docs and SDK code (see anthropic-contract.ts, openai-contract.ts).
 */

const closedSchema: Anthropic.Tool.InputSchema = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'], additionalProperties: false };

async function refusal(promise: Promise<unknown>): Promise<{ status: number | undefined; type: unknown; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Anthropic.APIError) return { status: error.status, type: error.type, message: String((error as { apiMessage?: string }).apiMessage) };
    if (error instanceof OpenAI.APIError)
      return { status: error.status, type: { type: error.type, code: error.code, param: error.param }, message: String((error.error as { message?: string } | undefined)?.message) };
    throw error;
  }
  throw new Error('the fake accepted a request the vendor refuses');
}

describe('the Anthropic contract fake, through @anthropic-ai/sdk', () => {
  let server: FakeAnthropicServer;
  let client: Anthropic;
  beforeAll(async () => {
    server = await startFakeAnthropicServer();
    client = new Anthropic({ apiKey: 'sk-ant-test', baseURL: server.baseURL, maxRetries: 0, timeout: 30_000 });
  });
  afterAll(() => server.close());
  beforeEach(() => server.reset());

  const good = (): MessageCreateParamsNonStreaming => ({
    model: 'claude-sonnet-4-6',
    max_tokens: 1024,
    system: [{ type: 'text', text: 'You write components.', cache_control: { type: 'ephemeral' } }],
    tools: [{ name: 'submit_component', description: 'd', input_schema: { ...transformJSONSchema(generatedComponentJsonSchema()), type: 'object' }, strict: true }],
    tool_choice: { type: 'tool', name: 'submit_component' },
    messages: [{ role: 'user', content: 'Write a Button.' }],
  });

  it('accepts a correct strict-tool request (schema through transformJSONSchema), as JSON and as a stream', async () => {
    server.enqueue({ kind: 'tool', input: { a: 'x' } }, { kind: 'tool', input: { a: 'y' }, usage: { cache_read_input_tokens: 700, output_tokens: 42 } });
    const message = await client.messages.create(good());
    expect(message.content[0]).toMatchObject({ type: 'tool_use', name: 'submit_component', input: { a: 'x' } });
    const stream = client.messages.stream(good());
    const final = await stream.finalMessage();
    expect(final.content[0]).toMatchObject({ type: 'tool_use', input: { a: 'y' } });
    expect(final.usage).toMatchObject({ cache_read_input_tokens: 700, output_tokens: 42 });
    expect(final.stop_reason).toBe('tool_use');
    expect(stream.request_id).toBe('req_fake_0002');
    const events = (server.exchanges[1]!.response as Array<{ event: string }>).map((e) => e.event);
    expect(events.slice(0, 3)).toEqual(['message_start', 'content_block_start', 'ping']);
    expect(events.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    expect(events.slice(3, -3).every((e) => e === 'content_block_delta')).toBe(true);
  });

  it('accepts both Authorization: Bearer and x-api-key, and refuses a request with neither', async () => {
    server.enqueue({ kind: 'text', text: 'hi' }, { kind: 'text', text: 'hi' });
    await client.messages.create(good());
    expect(server.requests[0]!.headers['x-api-key'] ?? server.requests[0]!.headers.authorization).toBeTruthy();
    const bearer = new Anthropic({ apiKey: null, authToken: 'tok-test', baseURL: server.baseURL, maxRetries: 0 });
    await bearer.messages.create(good());
    expect(server.requests[1]!.headers.authorization).toBe('Bearer tok-test');
    // The SDK will not send a keyless request, so this one goes by hand.
    const keyless = await fetch(`${server.baseURL}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' }, body: JSON.stringify(good()) });
    expect(keyless.status).toBe(401);
    expect(await keyless.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error' }, request_id: expect.any(String) });
  });

  const refused: Array<[string, (r: MessageCreateParamsNonStreaming) => MessageCreateParamsNonStreaming, RegExp]> = [
    [
      'maxLength in a strict schema',
      (r) => ({ ...r, tools: [{ name: 'submit_component', input_schema: { type: 'object', properties: { a: { type: 'string', maxLength: 5 } }, additionalProperties: false }, strict: true }] }),
      /For 'string' type, property 'maxLength' is not supported/,
    ],
    [
      'minimum in a strict schema',
      (r) => ({ ...r, tools: [{ name: 'submit_component', input_schema: { type: 'object', properties: { n: { type: 'integer', minimum: 0 } }, additionalProperties: false }, strict: true }] }),
      /property 'minimum' is not supported/,
    ],
    [
      'the raw zod schema with strict',
      (r) => ({ ...r, tools: [{ name: 'submit_component', input_schema: { ...generatedComponentJsonSchema(), type: 'object' }, strict: true }] }),
      /tools\.0\.custom\.input_schema: /,
    ],
    [
      'an object without additionalProperties: false',
      (r) => ({ ...r, tools: [{ name: 'submit_component', input_schema: { type: 'object', properties: { a: { type: 'string' } } }, strict: true }] }),
      /'additionalProperties' must be explicitly set to false/,
    ],
    [
      'maxItems in a strict schema',
      (r) => ({
        ...r,
        tools: [
          { name: 'submit_component', input_schema: { type: 'object', properties: { l: { type: 'array', items: { type: 'string' }, maxItems: 3 } }, additionalProperties: false }, strict: true },
        ],
      }),
      /'maxItems' is not supported/,
    ],
    ['a tool_choice naming no tool', (r) => ({ ...r, tool_choice: { type: 'tool', name: 'other_tool' } }), /tool_choice\.name: Tool 'other_tool' not found/],
    [
      'a tool name with a dot',
      (r) => ({ ...r, tools: [{ name: 'submit.component', input_schema: closedSchema }], tool_choice: { type: 'tool', name: 'submit.component' } }),
      /name: String should match pattern/,
    ],
    ['a tool name of 129 characters', (r) => ({ ...r, tools: [{ name: 'x'.repeat(129), input_schema: closedSchema }], tool_choice: { type: 'auto' } }), /name: String should match pattern/],
    [
      'a first message from the assistant',
      (r) => ({
        ...r,
        messages: [
          { role: 'assistant', content: 'hello' },
          { role: 'user', content: 'hi' },
        ],
      }),
      /first message must use the "user" role/,
    ],
    ['max_tokens above the model limit', (r) => ({ ...r, max_tokens: 200_000 }), /max_tokens: 200000 > 128000, which is the maximum allowed number of output tokens for claude-sonnet-4-6/],
    ['max_tokens above a 64k model limit', (r) => ({ ...r, model: 'claude-haiku-4-5', max_tokens: 64_001 }), /> 64000/],
    [
      'a tool_result answering no tool_use',
      (r) => ({
        ...r,
        messages: [
          { role: 'user', content: 'x' },
          { role: 'assistant', content: 'y' },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_9', content: 'z' }] },
        ],
      }),
      /unexpected `tool_use_id`/,
    ],
    [
      'five cache breakpoints',
      (r) => ({ ...r, messages: [{ role: 'user', content: [1, 2, 3, 4].map((n) => ({ type: 'text' as const, text: `s${n}`, cache_control: { type: 'ephemeral' as const } })) }] }),
      /A maximum of 4 blocks with cache_control/,
    ],
  ];
  it.each(refused)('refuses %s with 400 invalid_request_error', async (_name, mutate, message) => {
    const result = await refusal(client.messages.create(mutate(good())));
    expect(result).toMatchObject({ status: 400, type: 'invalid_request_error' });
    expect(result.message).toMatch(message);
  });

  it('refuses an unknown field, and an unknown model with 404 not_found_error', async () => {
    const withTemperature = { ...good(), temperature: 0.2 } as MessageCreateParamsNonStreaming;
    await expect(refusal(client.messages.create(withTemperature))).resolves.toMatchObject({ status: 400, message: 'temperature: Extra inputs are not permitted' });
    await expect(refusal(client.messages.create({ ...good(), model: 'claude-nonexistent' }))).resolves.toMatchObject({ status: 404, type: 'not_found_error', message: 'model: claude-nonexistent' });
    expect(server.exchanges.map((e) => e.status)).toEqual([400, 404]);
  });
});

describe('the OpenAI contract fake, through openai', () => {
  let vendor: FakeOpenAiServer;
  let local: FakeOpenAiServer;
  let client: OpenAI;
  beforeAll(async () => {
    vendor = await startFakeOpenAiServer({ flavour: 'openai' });
    local = await startFakeOpenAiServer();
    client = new OpenAI({ apiKey: 'sk-test', baseURL: vendor.baseURL, maxRetries: 0, timeout: 30_000 });
  });
  afterAll(async () => {
    await vendor.close();
    await local.close();
  });
  beforeEach(() => {
    vendor.reset();
    local.reset();
  });

  const good = (): ChatCompletionCreateParamsNonStreaming => ({
    model: 'gpt-5.4-mini',
    max_completion_tokens: 8192,
    messages: [
      { role: 'system', content: 'You write components.' },
      { role: 'user', content: 'Write a Button.' },
    ],
    tools: [{ type: 'function', function: { name: 'submit_component', description: 'd', parameters: generatedComponentJsonSchema() } }],
    tool_choice: { type: 'function', function: { name: 'submit_component' } },
  });

  it('accepts a correct request for gpt-5.4-mini, as JSON and as a stream with tool_call deltas and a usage chunk', async () => {
    vendor.enqueue({ kind: 'tool', input: { a: 1 } }, { kind: 'tool', input: { a: 2 }, usage: { prompt_tokens: 900, cached_tokens: 600, completion_tokens: 77 } });
    const completion = await client.chat.completions.create(good());
    expect(completion.choices[0]!.message.tool_calls?.[0]).toMatchObject({ type: 'function', function: { name: 'submit_component', arguments: '{"a":1}' } });
    const stream = await client.chat.completions.create({ ...good(), stream: true, stream_options: { include_usage: true } });
    let args = '';
    let usage;
    let finish;
    for await (const chunk of stream) {
      for (const choice of chunk.choices) {
        args += choice.delta.tool_calls?.[0]?.function?.arguments ?? '';
        finish = choice.finish_reason ?? finish;
      }
      if (chunk.usage) usage = chunk.usage;
    }
    expect(JSON.parse(args)).toEqual({ a: 2 });
    expect(finish).toBe('tool_calls');
    expect(usage).toMatchObject({ prompt_tokens: 900, completion_tokens: 77, prompt_tokens_details: { cached_tokens: 600 } });
  });

  const refused: Array<[string, (r: ChatCompletionCreateParamsNonStreaming) => ChatCompletionCreateParamsNonStreaming, number, Record<string, unknown>]> = [
    [
      'max_tokens on a reasoning model',
      ({ max_completion_tokens: _m, ...r }) => ({ ...r, max_tokens: 8192 }),
      400,
      { type: 'invalid_request_error', code: 'unsupported_parameter', param: 'max_tokens' },
    ],
    ['max_completion_tokens above the model limit', (r) => ({ ...r, max_completion_tokens: 200_000 }), 400, { type: 'invalid_request_error', param: 'max_completion_tokens' }],
    ['a tool_choice naming no tool', (r) => ({ ...r, tool_choice: { type: 'function', function: { name: 'other' } } }), 400, { param: 'tool_choice' }],
    [
      'a function name with a space',
      (r) => ({ ...r, tools: [{ type: 'function', function: { name: 'submit component', parameters: {} } }], tool_choice: 'auto' }),
      400,
      { param: 'tools[0].function.name' },
    ],
    [
      'a function name of 65 characters',
      (r) => ({ ...r, tools: [{ type: 'function', function: { name: 'x'.repeat(65), parameters: {} } }], tool_choice: 'auto' }),
      400,
      { param: 'tools[0].function.name' },
    ],
    [
      'a strict function whose schema is open',
      (r) => ({ ...r, tools: [{ type: 'function', function: { name: 'submit_component', strict: true, parameters: { type: 'object', properties: { a: { type: 'string' } } } } }] }),
      400,
      { code: 'invalid_function_parameters' },
    ],
    ['stream_options without stream', (r) => ({ ...r, stream_options: { include_usage: true } }), 400, { param: 'stream_options' }],
    ['a tool message answering no tool call', (r) => ({ ...r, messages: [...r.messages, { role: 'tool', tool_call_id: 'call_9', content: 'x' }] }), 400, { type: 'invalid_request_error' }],
    ['an unknown model', (r) => ({ ...r, model: 'gpt-nonexistent' }), 404, { code: 'model_not_found' }],
  ];
  it.each(refused)('refuses %s', async (_name, mutate, status, type) => {
    await expect(refusal(client.chat.completions.create(mutate(good())))).resolves.toMatchObject({ status, type });
  });

  it('refuses an unknown field and a missing key on OpenAI, while a local server takes max_tokens, any model and no key', async () => {
    const unknownField = { ...good(), foo: 1 } as ChatCompletionCreateParamsNonStreaming;
    await expect(refusal(client.chat.completions.create(unknownField))).resolves.toMatchObject({ status: 400, message: 'Unrecognized request argument supplied: foo' });
    const noAuth = await fetch(`${vendor.baseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(good()) });
    expect(noAuth.status).toBe(401);
    expect(await noAuth.json()).toMatchObject({ error: { type: 'invalid_request_error', message: expect.stringMatching(/didn't provide an API key/) } });
    local.enqueue({ kind: 'text', text: 'ok' });
    const localClient = new OpenAI({ apiKey: 'not-needed', baseURL: local.baseURL, maxRetries: 0 });
    const { max_completion_tokens: _m, ...rest } = good();
    const answer = await localClient.chat.completions.create({ ...rest, model: 'qwen2.5-coder:14b', max_tokens: 4096 });
    expect(answer.choices[0]!.message.content).toBe('ok');
  });
});
