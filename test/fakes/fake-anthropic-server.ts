import { ANTHROPIC_MODELS, checkAnthropicHeaders, checkAnthropicRequest, type AnthropicModelSpec } from './anthropic-contract.js';
import { startFakeHttpServer, type Exchange, type RecordedRequest, type SseEvent, type StreamPacing, type WireAction } from './fake-http-server.js';

/**
 * A contract fake of the Anthropic Messages API (`POST /v1/messages`, `/v1/messages/count_tokens`)
 * on 127.0.0.1. Every request is first held to the vendor's rules (anthropic-contract.ts) and
 * refused as the API refuses it; an accepted one gets the next scripted step, as JSON or,
 * when the request says `stream: true`, as the SSE events the API sends (message_start,
 * content_block_start/delta/stop, message_delta with usage, message_stop), paced as asked.
 * An empty queue answers 500 so a test sees the surprise.
 */
export type AnthropicStep =
  | { kind: 'tool'; input: unknown; stopReason?: 'tool_use' | 'max_tokens'; usage?: Partial<AnthropicUsage>; stream?: StreamOptions }
  | { kind: 'text'; text: string; stopReason?: 'end_turn' | 'max_tokens' | 'refusal'; usage?: Partial<AnthropicUsage>; stream?: StreamOptions }
  | { kind: 'error'; status: number; type: string; message?: string; errorCode?: string; headers?: Record<string, string> }
  | { kind: 'hang' }
  | { kind: 'drop' };

/** How a streamed answer is cut and paced. */
export interface StreamOptions extends StreamPacing {
  /** How many delta events carry the answer (default 4). */
  chunks?: number;
  /** After this many deltas, an `error` event (`overloaded_error`) ends the stream. */
  errorAfterChunks?: number;
}

export interface AnthropicUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

export interface FakeAnthropicServerOptions {
  /** Extra or replacement models (id → limits); the built-in list is the vendor's current one. */
  models?: Record<string, AnthropicModelSpec>;
}

export interface FakeAnthropicServer {
  /** For the SDK's `baseURL`: without `/v1`. */
  baseURL: string;
  requests: RecordedRequest[];
  /** Every request with what the fake answered (refusals included). */
  exchanges: Exchange[];
  /** Requests to `/v1/messages` so far (count_tokens excluded). */
  readonly messageCount: number;
  enqueue(...steps: AnthropicStep[]): void;
  readonly pending: number;
  /** Forgets recorded requests and pending steps, and restarts request ids at 1. */
  reset(): void;
  close(): Promise<void>;
}

const DEFAULT_USAGE: AnthropicUsage = { input_tokens: 1200, output_tokens: 900, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };

export async function startFakeAnthropicServer(options: FakeAnthropicServerOptions = {}): Promise<FakeAnthropicServer> {
  const models = { ...ANTHROPIC_MODELS, ...options.models };
  const queue: AnthropicStep[] = [];
  let counter = 0;
  const respond = (request: RecordedRequest): WireAction => {
    counter++;
    const requestId = `req_fake_${String(counter).padStart(4, '0')}`;
    const path = request.url.split('?')[0];
    if (request.method !== 'POST' || (path !== '/v1/messages' && path !== '/v1/messages/count_tokens')) {
      return errorAction(404, 'not_found_error', `Not Found`, requestId);
    }
    const refusal = checkAnthropicHeaders(request.headers) ?? checkAnthropicRequest(request.body, path === '/v1/messages' ? 'messages' : 'count_tokens', models);
    if (refusal) return errorAction(refusal.status, refusal.type, refusal.message, requestId);
    if (path === '/v1/messages/count_tokens') {
      return { kind: 'json', status: 200, headers: { 'request-id': requestId }, body: { input_tokens: Math.ceil(JSON.stringify(request.body).length / 4) } };
    }
    const step = queue.shift();
    if (!step) return errorAction(500, 'api_error', 'the fake server has no scripted response left', requestId);
    const body = request.body as { model: string; stream?: boolean };
    switch (step.kind) {
      case 'hang':
      case 'drop':
        return step;
      case 'error':
        return errorAction(step.status, step.type, step.message ?? step.type, requestId, step.errorCode, step.headers);
      case 'tool': {
        const block: Block = { type: 'tool_use', id: `toolu_${counter}`, name: toolName(request), input: step.input };
        return answer(requestId, body, block, step.stopReason ?? 'tool_use', step.usage, step.stream);
      }
      case 'text':
        return answer(requestId, body, { type: 'text', text: step.text }, step.stopReason ?? 'end_turn', step.usage, step.stream);
    }
  };
  const server = await startFakeHttpServer(respond);
  return {
    baseURL: server.origin,
    requests: server.requests,
    exchanges: server.exchanges,
    get messageCount() {
      return server.requests.filter((r) => r.url.split('?')[0] === '/v1/messages').length;
    },
    enqueue: (...steps) => queue.push(...steps),
    get pending() {
      return queue.length;
    },
    reset() {
      queue.length = 0;
      server.requests.length = 0;
      server.exchanges.length = 0;
      counter = 0;
    },
    close: server.close,
  };
}

function toolName(request: RecordedRequest): string {
  return (request.body as { tool_choice?: { name?: string } })?.tool_choice?.name ?? 'submit_component';
}

type Block = { type: 'tool_use'; id: string; name: string; input: unknown } | { type: 'text'; text: string };

function answer(
  requestId: string,
  body: { model: string; stream?: boolean },
  block: Block,
  stopReason: string,
  usagePart: Partial<AnthropicUsage> | undefined,
  stream: StreamOptions | undefined,
): WireAction {
  const usage = { ...DEFAULT_USAGE, ...usagePart };
  const id = `msg_fake_${requestId.slice(-4)}`;
  if (!body.stream) {
    return {
      kind: 'json',
      status: 200,
      headers: { 'request-id': requestId },
      body: { id, type: 'message', role: 'assistant', model: body.model, content: [block], stop_reason: stopReason, stop_sequence: null, usage },
    };
  }
  const text = block.type === 'text' ? block.text : JSON.stringify(block.input);
  const pieces = split(text, stream?.chunks ?? 4);
  const events: SseEvent[] = [
    {
      event: 'message_start',
      data: {
        type: 'message_start',
        message: {
          id,
          type: 'message',
          role: 'assistant',
          model: body.model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: usage.input_tokens, cache_creation_input_tokens: usage.cache_creation_input_tokens, cache_read_input_tokens: usage.cache_read_input_tokens, output_tokens: 1 },
        },
      },
    },
    {
      event: 'content_block_start',
      data: { type: 'content_block_start', index: 0, content_block: block.type === 'text' ? { type: 'text', text: '' } : { type: 'tool_use', id: block.id, name: block.name, input: {} } },
    },
    { event: 'ping', data: { type: 'ping' } },
  ];
  for (const [index, piece] of pieces.entries()) {
    if (stream?.errorAfterChunks !== undefined && index === stream.errorAfterChunks) {
      events.push({ event: 'error', data: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' }, request_id: requestId } });
      return { kind: 'sse', headers: { 'request-id': requestId }, events, pacing: stream };
    }
    events.push({
      event: 'content_block_delta',
      data: { type: 'content_block_delta', index: 0, delta: block.type === 'text' ? { type: 'text_delta', text: piece } : { type: 'input_json_delta', partial_json: piece } },
    });
  }
  events.push(
    { event: 'content_block_stop', data: { type: 'content_block_stop', index: 0 } },
    {
      event: 'message_delta',
      data: {
        type: 'message_delta',
        delta: { stop_reason: stopReason, stop_sequence: null },
        usage: {
          input_tokens: usage.input_tokens,
          cache_creation_input_tokens: usage.cache_creation_input_tokens,
          cache_read_input_tokens: usage.cache_read_input_tokens,
          output_tokens: usage.output_tokens,
        },
      },
    },
    { event: 'message_stop', data: { type: 'message_stop' } },
  );
  return { kind: 'sse', headers: { 'request-id': requestId }, events, pacing: stream };
}

/** `text` in `count` pieces of about equal length (at least one, possibly empty). */
export function split(text: string, count: number): string[] {
  const size = Math.max(1, Math.ceil(text.length / Math.max(1, count)));
  const pieces: string[] = [];
  for (let start = 0; start < text.length; start += size) pieces.push(text.slice(start, start + size));
  return pieces.length ? pieces : [''];
}

function errorAction(status: number, type: string, messageText: string, requestId: string, errorCode?: string, headers: Record<string, string> = {}): WireAction {
  return {
    kind: 'json',
    status,
    headers: { 'request-id': requestId, ...headers },
    body: { type: 'error', error: { type, message: messageText, ...(errorCode ? { details: { error_code: errorCode } } : {}) }, request_id: requestId },
  };
}
