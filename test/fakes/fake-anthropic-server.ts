import { startFakeHttpServer, type RecordedRequest, type WireAction } from './fake-http-server.js';

/**
 * A fake Anthropic Messages API (`POST /v1/messages`) on 127.0.0.1, faithful to the wire format
 * the SDK parses: message bodies with `usage`, error bodies `{ type: 'error', error, request_id }`,
 * and the `request-id`, `retry-after-ms`, `x-should-retry` headers. Answers come from a queue
 * of scripted steps, one per request; an empty queue answers 500 so a test sees the surprise.
 */
export type AnthropicStep =
  | { kind: 'tool'; input: unknown; stopReason?: 'tool_use' | 'max_tokens'; usage?: Partial<AnthropicUsage> }
  | { kind: 'text'; text: string; stopReason?: 'end_turn' | 'max_tokens' | 'refusal'; usage?: Partial<AnthropicUsage> }
  | { kind: 'error'; status: number; type: string; message?: string; errorCode?: string; headers?: Record<string, string> }
  | { kind: 'hang' }
  | { kind: 'drop' };

export interface AnthropicUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

export interface FakeAnthropicServer {
  /** For the SDK's `baseURL`: without `/v1`. */
  baseURL: string;
  requests: RecordedRequest[];
  /** Requests to `/v1/messages` so far. */
  readonly messageCount: number;
  enqueue(...steps: AnthropicStep[]): void;
  readonly pending: number;
  /** Forgets recorded requests and pending steps, and restarts request ids at 1. */
  reset(): void;
  close(): Promise<void>;
}

const DEFAULT_USAGE: AnthropicUsage = { input_tokens: 1200, output_tokens: 900, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };

export async function startFakeAnthropicServer(): Promise<FakeAnthropicServer> {
  const queue: AnthropicStep[] = [];
  let counter = 0;
  const respond = (request: RecordedRequest): WireAction => {
    counter++;
    const requestId = `req_fake_${String(counter).padStart(4, '0')}`;
    const auth = request.headers.authorization ?? request.headers['x-api-key'];
    if (!auth) return errorAction(401, 'authentication_error', 'missing API key', requestId);
    if (request.method !== 'POST' || !request.url.startsWith('/v1/messages')) return errorAction(404, 'not_found_error', `no route ${request.method} ${request.url}`, requestId);
    const step = queue.shift();
    if (!step) return errorAction(500, 'api_error', 'the fake server has no scripted response left', requestId);
    const model = (request.body as { model?: string })?.model ?? 'claude-test';
    switch (step.kind) {
      case 'hang':
      case 'drop':
        return step;
      case 'error':
        return errorAction(step.status, step.type, step.message ?? step.type, requestId, step.errorCode, step.headers);
      case 'tool':
        return message(requestId, model, [{ type: 'tool_use', id: `toolu_${counter}`, name: toolName(request), input: step.input }], step.stopReason ?? 'tool_use', step.usage);
      case 'text':
        return message(requestId, model, [{ type: 'text', text: step.text }], step.stopReason ?? 'end_turn', step.usage);
    }
  };
  const server = await startFakeHttpServer(respond);
  return {
    baseURL: server.origin,
    requests: server.requests,
    get messageCount() {
      return server.requests.filter((r) => r.url.startsWith('/v1/messages')).length;
    },
    enqueue: (...steps) => queue.push(...steps),
    get pending() {
      return queue.length;
    },
    reset() {
      queue.length = 0;
      server.requests.length = 0;
      counter = 0;
    },
    close: server.close,
  };
}

function toolName(request: RecordedRequest): string {
  return (request.body as { tool_choice?: { name?: string } })?.tool_choice?.name ?? 'submit_component';
}

function message(requestId: string, model: string, content: unknown[], stopReason: string, usage: Partial<AnthropicUsage> | undefined): WireAction {
  return {
    kind: 'json',
    status: 200,
    headers: { 'request-id': requestId },
    body: { id: `msg_${requestId}`, type: 'message', role: 'assistant', model, content, stop_reason: stopReason, stop_sequence: null, usage: { ...DEFAULT_USAGE, ...usage } },
  };
}

function errorAction(status: number, type: string, messageText: string, requestId: string, errorCode?: string, headers: Record<string, string> = {}): WireAction {
  return {
    kind: 'json',
    status,
    headers: { 'request-id': requestId, ...headers },
    body: { type: 'error', error: { type, message: messageText, ...(errorCode ? { details: { error_code: errorCode } } : {}) }, request_id: requestId },
  };
}
