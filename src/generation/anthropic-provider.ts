import type { Usage } from '../cache/cache-entry.js';
import { classifySdkError, ProviderCallError, SDK_LOGGER, type GenerationProvider, type ProviderAnswer, type ProviderCall, type ProviderHealth } from './provider.js';

export interface AnthropicProviderOptions {
  apiKey: string | undefined;
  /** Without `/v1`, as the SDK expects (`ANTHROPIC_BASE_URL`). */
  baseURL?: string | undefined;
  model: string;
  /** Per-request timeout in ms; the SDK refuses large non-streaming requests without one. */
  timeoutMs: number;
}

type AnthropicModule = typeof import('@anthropic-ai/sdk');
type AnthropicClient = InstanceType<AnthropicModule['default']>;

/** Loaded on first use, so a server that never generates does not pay for the SDK at start. */
let sdkModule: Promise<AnthropicModule> | undefined;
function loadSdk(): Promise<AnthropicModule> {
  sdkModule ??= import('@anthropic-ai/sdk');
  return sdkModule;
}

const EPHEMERAL = { type: 'ephemeral' } as const;

/**
 * Claude through `@anthropic-ai/sdk` 1.x: structured output by a forced, strict tool whose
 * input schema is our answer schema; prompt caching on the system prompt and the stable
 * user segments (examples, theme); the SDK's retries are off because ours own them.
 */
export class AnthropicProvider implements GenerationProvider {
  readonly id = 'anthropic';
  readonly model: string;
  #client: Promise<AnthropicClient> | undefined;

  /** A true private field: the key never shows up in JSON.stringify, util.inspect or a log line. */
  readonly #options: AnthropicProviderOptions;

  constructor(options: AnthropicProviderOptions) {
    this.#options = options;
    this.model = options.model;
  }

  health(): ProviderHealth {
    const configured = Boolean(this.#options.apiKey);
    return {
      provider: this.id,
      model: this.model,
      configured,
      detail: configured ? `API key set${this.#options.baseURL ? `, base URL ${this.#options.baseURL}` : ''}` : 'ANTHROPIC_API_KEY is not set',
    };
  }

  private getClient(): Promise<AnthropicClient> {
    this.#client ??= loadSdk().then(
      (sdk) => new sdk.default({ apiKey: this.#options.apiKey ?? null, baseURL: this.#options.baseURL ?? null, maxRetries: 0, timeout: this.#options.timeoutMs, logger: SDK_LOGGER }),
    );
    return this.#client;
  }

  private buildRequest(call: ProviderCall) {
    const segments = call.prompt.user;
    const userContent = segments.map((text, index) => ({ type: 'text' as const, text, ...(index < segments.length - 1 ? { cache_control: EPHEMERAL } : {}) }));
    type Content = Array<Record<string, unknown>>;
    const messages: Array<{ role: 'user' | 'assistant'; content: Content }> = [{ role: 'user', content: userContent }];
    if (call.repair) {
      const previous = call.repair.previous;
      if (previous?.kind === 'tool') {
        messages.push({ role: 'assistant', content: [{ type: 'tool_use', id: previous.toolCallId, name: call.tool.name, input: previous.input }] });
        messages.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: previous.toolCallId, is_error: true, content: call.repair.feedback }] });
      } else if (previous?.kind === 'text') {
        messages.push({ role: 'assistant', content: [{ type: 'text', text: previous.text || '(empty answer)' }] });
        messages.push({ role: 'user', content: [{ type: 'text', text: call.repair.feedback }] });
      } else {
        // After a truncation the partial answer is dropped: the note joins the first user turn.
        userContent.push({ type: 'text', text: call.repair.feedback });
      }
    }
    return {
      model: this.model,
      max_tokens: call.maxTokens,
      system: [{ type: 'text' as const, text: call.prompt.system, cache_control: EPHEMERAL }],
      tools: [{ name: call.tool.name, description: call.tool.description, input_schema: call.tool.inputSchema as { type: 'object' }, strict: true }],
      tool_choice: { type: 'tool' as const, name: call.tool.name },
      messages,
    };
  }

  async generate(call: ProviderCall): Promise<ProviderAnswer> {
    if (!this.#options.apiKey) throw new ProviderCallError('ANTHROPIC_API_KEY is not set.', { category: 'unavailable', retryable: false });
    const sdk = await loadSdk();
    const client = await this.getClient();
    let message;
    try {
      // The request is built from our own typed parts; the SDK's union types are wider than we need.
      message = await client.messages.create(this.buildRequest(call) as never, { signal: call.signal });
    } catch (error) {
      throw classifySdkError(error, sdk);
    }
    const requestId = (message as { _request_id?: string | null })._request_id ?? null;
    const usage = usageOf(message.usage);
    const toolUse = message.content.find((block) => block.type === 'tool_use');
    const text = message.content
      .filter((block) => block.type === 'text')
      .map((block) => (block as { text: string }).text)
      .join('\n');
    const stop = message.stop_reason === 'max_tokens' || message.stop_reason === 'model_context_window_exceeded' ? 'truncated' : message.stop_reason === 'refusal' ? 'refused' : 'complete';
    if (toolUse && toolUse.type === 'tool_use') {
      return { output: toolUse.input, answer: { kind: 'tool', toolCallId: toolUse.id, input: toolUse.input }, stop, usage, requestId };
    }
    const { extractJsonObject } = await import('./extract-json.js');
    return { output: extractJsonObject(text), answer: { kind: 'text', text }, stop, usage, requestId };
  }

  async countTokens(call: ProviderCall): Promise<number | undefined> {
    if (!this.#options.apiKey) return undefined;
    const client = await this.getClient();
    const { max_tokens: _ignored, ...request } = this.buildRequest(call);
    const counted = await client.messages.countTokens(request as never, { signal: call.signal });
    return counted.input_tokens;
  }
}

function usageOf(usage: { input_tokens: number; output_tokens: number; cache_creation_input_tokens?: number | null; cache_read_input_tokens?: number | null } | undefined): Usage {
  return {
    inputTokens: usage?.input_tokens ?? 0,
    outputTokens: usage?.output_tokens ?? 0,
    cacheWriteTokens: usage?.cache_creation_input_tokens ?? 0,
    cacheReadTokens: usage?.cache_read_input_tokens ?? 0,
  };
}
