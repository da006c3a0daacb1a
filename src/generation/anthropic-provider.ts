import type { MessageCountTokensParams, MessageCreateParamsStreaming, MessageParam, MessageStreamEvent, TextBlockParam, Tool, Usage as AnthropicUsage } from '@anthropic-ai/sdk/resources/messages';
import type { Usage } from '../cache/cache-entry.js';
import { capabilitiesOf, clampMaxTokens, type ModelCapabilities } from '../cost/model-capabilities.js';
import { extractJsonObject } from './extract-json.js';
import { classifySdkError, ProviderCallError, SDK_LOGGER, type GenerationProvider, type ProviderAnswer, type ProviderCall, type ProviderHealth } from './provider.js';
import { StreamWatch } from './stream-watch.js';

export interface AnthropicProviderOptions {
  apiKey: string | undefined;
  /** Without `/v1`, as the SDK expects (`ANTHROPIC_BASE_URL`). */
  baseURL?: string | undefined;
  model: string;
  /** Time allowed until the response headers arrive (the SDK's `timeout`). */
  timeoutMs: number;
  /** Idle limit of the streamed body when the call names none. */
  idleTimeoutMs?: number | undefined;
}

type AnthropicModule = typeof import('@anthropic-ai/sdk');
type AnthropicClient = InstanceType<AnthropicModule['default']>;
interface Sdk {
  module: AnthropicModule;
  transformJSONSchema: (schema: Record<string, unknown>) => Record<string, unknown>;
}

/** Loaded on first use, so a server that never generates does not pay for the SDK at start. */
let sdkModule: Promise<Sdk> | undefined;
function loadSdk(): Promise<Sdk> {
  sdkModule ??= Promise.all([import('@anthropic-ai/sdk'), import('@anthropic-ai/sdk/lib/transform-json-schema')]).then(([module, transform]) => ({
    module,
    transformJSONSchema: transform.transformJSONSchema,
  }));
  return sdkModule;
}

const EPHEMERAL = { type: 'ephemeral' } as const;

/** The request minus what the stream call sets itself. */
type MessageRequest = Omit<MessageCreateParamsStreaming, 'stream'>;

/**
 * Claude through `@anthropic-ai/sdk` 1.x: structured output by a forced tool whose input
 * schema is our answer schema (strict where the model supports it, reduced by the SDK's own
 * `transformJSONSchema` to the subset strict mode accepts: the bounds it drops are enforced by
 * our Zod parse of the answer); prompt caching on the system prompt and the stable user
 * segments; the answer is streamed (`messages.stream`) so a long answer is never cut by a
 * wall clock, only by `idleTimeoutMs` of silence; the SDK's retries are off because ours own them.
 */
export class AnthropicProvider implements GenerationProvider {
  readonly id = 'anthropic';
  readonly model: string;
  readonly capabilities: ModelCapabilities;
  #client: Promise<AnthropicClient> | undefined;

  /** A true private field: the key never shows up in JSON.stringify, util.inspect or a log line. */
  readonly #options: AnthropicProviderOptions;

  constructor(options: AnthropicProviderOptions) {
    this.#options = options;
    this.model = options.model;
    this.capabilities = capabilitiesOf('anthropic', options.model);
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
      ({ module }) => new module.default({ apiKey: this.#options.apiKey ?? null, baseURL: this.#options.baseURL ?? null, maxRetries: 0, timeout: this.#options.timeoutMs, logger: SDK_LOGGER }),
    );
    return this.#client;
  }

  private buildRequest(call: ProviderCall, transform: Sdk['transformJSONSchema']): MessageRequest {
    const caching = this.capabilities.promptCaching;
    const segments = call.prompt.user;
    const userContent: TextBlockParam[] = segments.map((text, index) => ({ type: 'text', text, ...(caching && index < segments.length - 1 ? { cache_control: EPHEMERAL } : {}) }));
    const messages: MessageParam[] = [{ role: 'user', content: userContent }];
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
    const strict = this.capabilities.strictTools;
    const schema = strict ? transform(call.tool.inputSchema) : call.tool.inputSchema;
    const tool: Tool = { name: call.tool.name, description: call.tool.description, input_schema: { ...schema, type: 'object' }, ...(strict ? { strict: true } : {}) };
    return {
      model: this.model,
      max_tokens: clampMaxTokens(this.capabilities, call.maxTokens),
      system: [{ type: 'text', text: call.prompt.system, ...(caching ? { cache_control: EPHEMERAL } : {}) }],
      tools: [tool],
      tool_choice: { type: 'tool', name: call.tool.name },
      messages,
    };
  }

  async generate(call: ProviderCall): Promise<ProviderAnswer> {
    if (!this.#options.apiKey) throw new ProviderCallError('ANTHROPIC_API_KEY is not set.', { category: 'unavailable', retryable: false });
    const sdk = await loadSdk();
    const client = await this.getClient();
    const watch = new StreamWatch(call.idleTimeoutMs ?? this.#options.idleTimeoutMs, call.signal, call.onStream);
    const stream = client.messages.stream(this.buildRequest(call, sdk.transformJSONSchema), { signal: watch.signal });
    stream.on('streamEvent', (event) => {
      watch.touch();
      track(watch, event);
    });
    let message;
    try {
      message = await stream.finalMessage();
    } catch (error) {
      throw watch.idleFailure(stream.request_id ?? null) ?? classifySdkError(error, sdk.module, { ...watch.usage });
    } finally {
      watch.stop();
    }
    const requestId = stream.request_id ?? null;
    const usage = usageOf(message.usage);
    const stop = message.stop_reason === 'max_tokens' || message.stop_reason === 'model_context_window_exceeded' ? 'truncated' : message.stop_reason === 'refusal' ? 'refused' : 'complete';
    for (const block of message.content) {
      if (block.type === 'tool_use') return { output: block.input, answer: { kind: 'tool', toolCallId: block.id, input: block.input }, stop, usage, requestId };
    }
    const text = message.content.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('\n');
    return { output: extractJsonObject(text), answer: { kind: 'text', text }, stop, usage, requestId };
  }

  async countTokens(call: ProviderCall): Promise<number | undefined> {
    if (!this.#options.apiKey) return undefined;
    const sdk = await loadSdk();
    const client = await this.getClient();
    const { max_tokens: _ignored, ...rest } = this.buildRequest(call, sdk.transformJSONSchema);
    const request: MessageCountTokensParams = rest;
    const counted = await client.messages.countTokens(request, { signal: call.signal });
    return counted.input_tokens;
  }
}

/** Usage as the stream reports it: input and cache tokens in `message_start`, output in `message_delta`. */
function track(watch: StreamWatch, event: MessageStreamEvent): void {
  switch (event.type) {
    case 'message_start': {
      const usage = event.message.usage;
      watch.usage.inputTokens = usage.input_tokens;
      watch.usage.cacheWriteTokens = usage.cache_creation_input_tokens ?? 0;
      watch.usage.cacheReadTokens = usage.cache_read_input_tokens ?? 0;
      watch.reportOutput(usage.output_tokens);
      break;
    }
    case 'content_block_delta': {
      const delta = event.delta;
      if (delta.type === 'input_json_delta') watch.received(delta.partial_json.length);
      else if (delta.type === 'text_delta') watch.received(delta.text.length);
      break;
    }
    case 'message_delta':
      watch.reportOutput(event.usage.output_tokens);
      break;
    default:
      break;
  }
}

function usageOf(usage: AnthropicUsage): Usage {
  return {
    inputTokens: usage.input_tokens,
    outputTokens: usage.output_tokens,
    cacheWriteTokens: usage.cache_creation_input_tokens ?? 0,
    cacheReadTokens: usage.cache_read_input_tokens ?? 0,
  };
}
