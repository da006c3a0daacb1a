import { startFakeHttpServer, type RecordedRequest, type WireAction } from './fake-http-server.js';

/**
 * A fake OpenAI-compatible chat server (`POST /v1/chat/completions`) on 127.0.0.1, as Ollama,
 * vLLM or llama.cpp answer: a tool call whose `arguments` is a string, or plain text when the
 * server ignores `tool_choice`; errors `{ error: { message, type, code } }` with
 * `x-request-id`, `retry-after-ms`, `x-should-retry`.
 */
export type OpenAiStep =
  | { kind: 'tool'; input: unknown; rawArguments?: string; finishReason?: 'tool_calls' | 'stop' | 'length' }
  | { kind: 'text'; text: string; finishReason?: 'stop' | 'length' }
  | { kind: 'error'; status: number; type: string; code?: string; message?: string; headers?: Record<string, string> }
  | { kind: 'hang' }
  | { kind: 'drop' };

export interface FakeOpenAiServer {
  /** For the SDK's `baseURL`: including `/v1`. */
  baseURL: string;
  requests: RecordedRequest[];
  readonly completionCount: number;
  enqueue(...steps: OpenAiStep[]): void;
  /** Forgets recorded requests and pending steps, and restarts request ids at 1. */
  reset(): void;
  close(): Promise<void>;
}

export async function startFakeOpenAiServer(): Promise<FakeOpenAiServer> {
  const queue: OpenAiStep[] = [];
  let counter = 0;
  const respond = (request: RecordedRequest): WireAction => {
    counter++;
    const requestId = `req_oai_${counter}`;
    if (request.method !== 'POST' || request.url !== '/v1/chat/completions') return errorAction(404, 'invalid_request_error', 'not found', requestId);
    const step = queue.shift();
    if (!step) return errorAction(500, 'server_error', 'no scripted response left', requestId);
    const model = (request.body as { model?: string })?.model ?? 'local-model';
    const usage = { prompt_tokens: 1500, completion_tokens: 800, total_tokens: 2300 };
    const completion = (message: Record<string, unknown>, finishReason: string): WireAction => ({
      kind: 'json',
      status: 200,
      headers: { 'x-request-id': requestId },
      body: { id: `chatcmpl-${counter}`, object: 'chat.completion', created: 1_760_000_000, model, choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: finishReason, logprobs: null }], usage },
    });
    switch (step.kind) {
      case 'hang':
      case 'drop':
        return step;
      case 'error':
        return errorAction(step.status, step.type, step.message ?? step.type, requestId, step.code, step.headers);
      case 'tool': {
        const name = (request.body as { tool_choice?: { function?: { name?: string } } })?.tool_choice?.function?.name ?? 'submit_component';
        return completion(
          { content: null, tool_calls: [{ id: `call_${counter}`, type: 'function', function: { name, arguments: step.rawArguments ?? JSON.stringify(step.input) } }] },
          step.finishReason ?? 'tool_calls',
        );
      }
      case 'text':
        return completion({ content: step.text }, step.finishReason ?? 'stop');
    }
  };
  const server = await startFakeHttpServer(respond);
  return {
    baseURL: `${server.origin}/v1`,
    requests: server.requests,
    get completionCount() {
      return server.requests.filter((r) => r.url === '/v1/chat/completions').length;
    },
    enqueue: (...steps) => queue.push(...steps),
    reset() {
      queue.length = 0;
      server.requests.length = 0;
      counter = 0;
    },
    close: server.close,
  };
}

function errorAction(status: number, type: string, message: string, requestId: string, code?: string, headers: Record<string, string> = {}): WireAction {
  return { kind: 'json', status, headers: { 'x-request-id': requestId, ...headers }, body: { error: { message, type, param: null, code: code ?? null } } };
}
