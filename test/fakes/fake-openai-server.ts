import { startFakeHttpServer, type Exchange, type RecordedRequest, type SseEvent, type StreamPacing, type WireAction } from './fake-http-server.js';
import { checkOpenAiHeaders, checkOpenAiRequest, OPENAI_MODELS, type OpenAiFlavour, type OpenAiModelSpec } from './openai-contract.js';

/**
 * A contract fake of a chat-completions server (`POST /v1/chat/completions`) on 127.0.0.1.
 * `flavour: 'local'` (the default) answers as Ollama, vLLM or llama.cpp do: any model, no key
 * needed, `max_tokens`. `flavour: 'openai'` holds requests to OpenAI's own rules (key, known
 * models, `max_completion_tokens` on reasoning models, unknown fields refused). Answers: a tool
 * call whose `arguments` is a string, or plain text when the server ignores `tool_choice`, as
 * JSON or, with `stream: true`, as `chat.completion.chunk` events with `tool_calls` deltas and a
 * final usage chunk when `stream_options.include_usage`; errors `{ error: { message, type,
 * param, code } }` with `x-request-id`, `retry-after-ms`, `x-should-retry`.
 */
export type OpenAiStep =
  | { kind: 'tool'; input: unknown; rawArguments?: string; finishReason?: 'tool_calls' | 'stop' | 'length'; usage?: Partial<OpenAiUsage>; stream?: OpenAiStreamOptions }
  | { kind: 'text'; text: string; finishReason?: 'stop' | 'length'; usage?: Partial<OpenAiUsage>; stream?: OpenAiStreamOptions }
  | { kind: 'error'; status: number; type: string; code?: string; param?: string; message?: string; headers?: Record<string, string> }
  | { kind: 'hang' }
  | { kind: 'drop' };

export interface OpenAiStreamOptions extends StreamPacing {
  /** How many delta chunks carry the answer (default 4). */
  chunks?: number;
}

export interface OpenAiUsage {
  prompt_tokens: number;
  completion_tokens: number;
  cached_tokens: number;
}

export interface FakeOpenAiServerOptions {
  flavour?: OpenAiFlavour;
  /** Extra models for the `openai` flavour (id → limits). */
  models?: Record<string, OpenAiModelSpec>;
}

export interface FakeOpenAiServer {
  /** For the SDK's `baseURL`: including `/v1`. */
  baseURL: string;
  requests: RecordedRequest[];
  exchanges: Exchange[];
  readonly completionCount: number;
  enqueue(...steps: OpenAiStep[]): void;
  /** Forgets recorded requests and pending steps, and restarts request ids at 1. */
  reset(): void;
  close(): Promise<void>;
}

const DEFAULT_USAGE: OpenAiUsage = { prompt_tokens: 1500, completion_tokens: 800, cached_tokens: 0 };

export async function startFakeOpenAiServer(options: FakeOpenAiServerOptions = {}): Promise<FakeOpenAiServer> {
  const flavour = options.flavour ?? 'local';
  const models = { ...OPENAI_MODELS, ...options.models };
  const queue: OpenAiStep[] = [];
  let counter = 0;
  const respond = (request: RecordedRequest): WireAction => {
    counter++;
    const requestId = `req_oai_${counter}`;
    if (request.method !== 'POST' || request.url !== '/v1/chat/completions') return errorAction(404, 'invalid_request_error', `Invalid URL (${request.method} ${request.url})`, requestId);
    const refusal = checkOpenAiHeaders(request.headers, flavour) ?? checkOpenAiRequest(request.body, flavour, models);
    if (refusal) return errorAction(refusal.status, refusal.type, refusal.message, requestId, refusal.code ?? undefined, {}, refusal.param);
    const step = queue.shift();
    if (!step) return errorAction(500, 'server_error', 'no scripted response left', requestId);
    const body = request.body as { model: string; stream?: boolean; stream_options?: { include_usage?: boolean }; tool_choice?: { function?: { name?: string } } };
    switch (step.kind) {
      case 'hang':
      case 'drop':
        return step;
      case 'error':
        return errorAction(step.status, step.type, step.message ?? step.type, requestId, step.code, step.headers, step.param);
      case 'tool': {
        const name = body.tool_choice?.function?.name ?? 'submit_component';
        const call = { id: `call_${counter}`, name, arguments: step.rawArguments ?? JSON.stringify(step.input) };
        return answer(counter, requestId, body, { call }, step.finishReason ?? 'tool_calls', step.usage, step.stream);
      }
      case 'text':
        return answer(counter, requestId, body, { text: step.text }, step.finishReason ?? 'stop', step.usage, step.stream);
    }
  };
  const server = await startFakeHttpServer(respond);
  return {
    baseURL: `${server.origin}/v1`,
    requests: server.requests,
    exchanges: server.exchanges,
    get completionCount() {
      return server.requests.filter((r) => r.url === '/v1/chat/completions').length;
    },
    enqueue: (...steps) => queue.push(...steps),
    reset() {
      queue.length = 0;
      server.requests.length = 0;
      server.exchanges.length = 0;
      counter = 0;
    },
    close: server.close,
  };
}

function answer(
  counter: number,
  requestId: string,
  body: { model: string; stream?: boolean; stream_options?: { include_usage?: boolean } },
  content: { call?: { id: string; name: string; arguments: string }; text?: string },
  finishReason: string,
  usagePart: Partial<OpenAiUsage> | undefined,
  stream: OpenAiStreamOptions | undefined,
): WireAction {
  const u = { ...DEFAULT_USAGE, ...usagePart };
  const usage = {
    prompt_tokens: u.prompt_tokens,
    completion_tokens: u.completion_tokens,
    total_tokens: u.prompt_tokens + u.completion_tokens,
    prompt_tokens_details: { cached_tokens: u.cached_tokens, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
  const id = `chatcmpl-fake${counter}`;
  const created = 1_764_460_800;
  if (!body.stream) {
    const message = content.call
      ? { role: 'assistant', content: null, refusal: null, tool_calls: [{ id: content.call.id, type: 'function', function: { name: content.call.name, arguments: content.call.arguments } }] }
      : { role: 'assistant', content: content.text ?? '', refusal: null };
    return {
      kind: 'json',
      status: 200,
      headers: { 'x-request-id': requestId },
      body: { id, object: 'chat.completion', created, model: body.model, choices: [{ index: 0, message, finish_reason: finishReason, logprobs: null }], usage, system_fingerprint: null },
    };
  }
  const includeUsage = body.stream_options?.include_usage === true;
  const chunk = (delta: Record<string, unknown>, finish: string | null, extra: Record<string, unknown> = {}): SseEvent => ({
    data: {
      id,
      object: 'chat.completion.chunk',
      created,
      model: body.model,
      system_fingerprint: null,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      ...(includeUsage ? { usage: null } : {}),
      ...extra,
    },
  });
  const events: SseEvent[] = [];
  const pieces = split(content.call ? content.call.arguments : (content.text ?? ''), stream?.chunks ?? 4);
  if (content.call) {
    events.push(chunk({ role: 'assistant', content: null, tool_calls: [{ index: 0, id: content.call.id, type: 'function', function: { name: content.call.name, arguments: '' } }] }, null));
    for (const piece of pieces) events.push(chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] }, null));
  } else {
    events.push(chunk({ role: 'assistant', content: '' }, null));
    for (const piece of pieces) events.push(chunk({ content: piece }, null));
  }
  events.push(chunk({}, finishReason));
  if (includeUsage) events.push({ data: { id, object: 'chat.completion.chunk', created, model: body.model, system_fingerprint: null, choices: [], usage } });
  events.push({ data: '[DONE]' });
  return { kind: 'sse', headers: { 'x-request-id': requestId }, events, pacing: stream };
}

function split(text: string, count: number): string[] {
  const size = Math.max(1, Math.ceil(text.length / Math.max(1, count)));
  const pieces: string[] = [];
  for (let start = 0; start < text.length; start += size) pieces.push(text.slice(start, start + size));
  return pieces.length ? pieces : [''];
}

function errorAction(status: number, type: string, message: string, requestId: string, code?: string, headers: Record<string, string> = {}, param: string | null = null): WireAction {
  return { kind: 'json', status, headers: { 'x-request-id': requestId, ...headers }, body: { error: { message, type, param, code: code ?? null } } };
}
