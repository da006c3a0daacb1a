import type { MessageCountTokensParams, MessageCreateParamsStreaming, MessageParam, RawMessageStreamEvent, TextBlockParam, Tool } from '@anthropic-ai/sdk/resources/messages';
import { capabilitiesOf, clampMaxTokens, type ModelCapabilities } from '../../cost/model-capabilities.js';
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

/** The request without `stream` (count_tokens takes the same parts). */
type MessageRequest = Omit<MessageCreateParamsStreaming, 'stream'>;

/**
 * Claude through `@anthropic-ai/sdk` 1.x: structured output by a forced tool whose input
 * schema is our answer schema (strict where the model supports it, reduced by the SDK's own
 * `transformJSONSchema` to the subset strict mode accepts: the bounds it drops are enforced by
 * our Zod parse of the answer); prompt caching on the system prompt and the stable user
 * segments; the answer is streamed (`stream: true`) so a long answer is never cut by a
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
    const request: MessageCreateParamsStreaming = { ...this.buildRequest(call, sdk.transformJSONSchema), stream: true };
    const message = new StreamedMessage();
    let requestId: string | null = null;
    try {
      // The raw event stream rather than `messages.stream()`: that helper re-parses the partial
      // tool input on every delta (quadratic in the answer's length); we join it once at the end.
      const { data: stream, request_id } = await client.messages.create(request, { signal: watch.signal }).withResponse();
      requestId = request_id ?? null;
      for await (const event of stream) {
        watch.touch();
        message.apply(event, watch);
      }
      // The SDK ends an aborted stream quietly: say why it ended.
      if (watch.signal.aborted) {
        throw watch.idleFailure(requestId) ?? new ProviderCallError('The request was cancelled.', { category: 'aborted', retryable: false, requestId, usage: { ...watch.usage } });
      }
    } catch (error) {
      throw watch.idleFailure(requestId) ?? classifySdkError(error, sdk.module, { ...watch.usage });
    } finally {
      watch.stop();
    }
    if (!message.stopped) {
      throw new ProviderCallError('The stream ended before message_stop.', { category: 'server', retryable: true, requestId, usage: { ...watch.usage } });
    }
    const usage = { ...watch.usage };
    const stop = message.stopReason === 'max_tokens' || message.stopReason === 'model_context_window_exceeded' ? 'truncated' : message.stopReason === 'refusal' ? 'refused' : 'complete';
    const tool = message.blocks.find((block) => block.type === 'tool_use');
    if (tool) {
      let input: unknown;
      try {
        input = JSON.parse(tool.text || '{}');
      } catch {
        input = extractJsonObject(tool.text);
      }
      return { output: input, answer: { kind: 'tool', toolCallId: tool.id, input: input ?? tool.text }, stop, usage, requestId };
    }
    const text = message.blocks.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('\n');
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

/**
 * A message assembled from its stream events: text and tool-input JSON joined per block, the
 * stop reason, and the usage as reported (input and cache tokens in `message_start`, final
 * counts in `message_delta`) kept in the watch so a failure still carries it.
 */
class StreamedMessage {
  readonly blocks: Array<{ type: string; id: string; text: string }> = [];
  stopReason: string | null = null;
  stopped = false;

  apply(event: RawMessageStreamEvent, watch: StreamWatch): void {
    switch (event.type) {
      case 'message_start': {
        const usage = event.message.usage;
        watch.usage.inputTokens = usage.input_tokens;
        watch.usage.cacheWriteTokens = usage.cache_creation_input_tokens ?? 0;
        watch.usage.cacheReadTokens = usage.cache_read_input_tokens ?? 0;
        watch.reportOutput(usage.output_tokens);
        break;
      }
      case 'content_block_start': {
        const block = event.content_block;
        this.blocks[event.index] = { type: block.type, id: block.type === 'tool_use' ? block.id : '', text: block.type === 'text' ? block.text : '' };
        break;
      }
      case 'content_block_delta': {
        const block = this.blocks[event.index];
        const delta = event.delta;
        const piece = delta.type === 'input_json_delta' ? delta.partial_json : delta.type === 'text_delta' ? delta.text : '';
        if (block && piece) {
          block.text += piece;
          watch.received(piece.length);
        }
        break;
      }
      case 'message_delta': {
        const usage = event.usage;
        if (usage.input_tokens !== null && usage.input_tokens !== undefined) watch.usage.inputTokens = usage.input_tokens;
        if (usage.cache_creation_input_tokens !== null && usage.cache_creation_input_tokens !== undefined) watch.usage.cacheWriteTokens = usage.cache_creation_input_tokens;
        if (usage.cache_read_input_tokens !== null && usage.cache_read_input_tokens !== undefined) watch.usage.cacheReadTokens = usage.cache_read_input_tokens;
        watch.reportOutput(usage.output_tokens);
        // The final count replaces the estimate made from the characters received.
        watch.usage.outputTokens = usage.output_tokens;
        this.stopReason = event.delta.stop_reason;
        break;
      }
      case 'message_stop':
        this.stopped = true;
        break;
      default:
        break;
    }
  }
}
