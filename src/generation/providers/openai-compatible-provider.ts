import { VERSION as OPENAI_SDK_VERSION } from 'openai/version';
import type { ChatCompletionCreateParamsStreaming, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { capabilitiesOf, clampMaxTokens, type ModelCapabilities } from '../../cost/model-capabilities.js';
import { extractJsonObject } from './extract-json.js';
import { classifySdkError, ProviderCallError, SDK_LOGGER, type GenerationProvider, type ProviderAnswer, type ProviderCall, type ProviderHealth } from './provider.js';
import { StreamWatch } from './stream-watch.js';

export interface OpenAiCompatibleProviderOptions {
  /**
   * Including `/v1` (`http://127.0.0.1:11434/v1` for Ollama). Undefined: OpenAI's own API
   * (the SDK's default base URL).
   */
  baseURL?: string | undefined;
  /** Required by OpenAI's own API; local servers accept any key (the SDK needs a non-empty one). */
  apiKey?: string | undefined;
  model: string;
  /** Time allowed until the response headers arrive (the SDK's `timeout`). */
  timeoutMs: number;
  /** Idle limit of the streamed body when the call names none. */
  idleTimeoutMs?: number | undefined;
}

type OpenAiModule = typeof import('openai');
type OpenAiClient = InstanceType<OpenAiModule['default']>;
type MaxTokensParam = ModelCapabilities['maxTokensParam'];

let sdkModule: Promise<OpenAiModule> | undefined;
function loadSdk(): Promise<OpenAiModule> {
  sdkModule ??= import('openai');
  return sdkModule;
}

/**
 * OpenAI's own API, or any OpenAI-compatible chat server (Ollama, vLLM, LM Studio, llama.cpp),
 * through the `openai` package, streamed (`stream: true`, usage in the last chunk). The tool is
 * forced, but several local servers ignore `tool_choice` and answer in text: then the JSON is
 * extracted from a ```json fence or the first balanced object. Reasoning models (GPT-5 family,
 * o-series) take `max_completion_tokens`; local servers `max_tokens`; an unknown server that
 * refuses the one tried gets the other, once.
 */
export class OpenAiCompatibleProvider implements GenerationProvider {
  readonly id = 'openai-compatible';
  readonly model: string;
  readonly capabilities: ModelCapabilities;
  #client: Promise<OpenAiClient> | undefined;
  /**
   * The output-limit parameter the server turned out to take: one that refused the other with
   * `unsupported_parameter` is not asked twice. Kept here, so it lives as long as the runtime's
   * provider registry, which builds this provider once.
   */
  #learnedMaxTokensParam: MaxTokensParam | undefined;

  /** A true private field: the key never shows up in JSON.stringify, util.inspect or a log line. */
  readonly #options: OpenAiCompatibleProviderOptions;

  constructor(options: OpenAiCompatibleProviderOptions) {
    this.#options = options;
    this.model = options.model;
    this.capabilities = capabilitiesOf('openai-compatible', options.model);
  }

  health(): ProviderHealth {
    if (this.#options.baseURL) return { provider: this.id, model: this.model, configured: true, detail: `base URL ${this.#options.baseURL}` };
    const configured = Boolean(this.#options.apiKey);
    return { provider: this.id, model: this.model, configured, detail: configured ? "OpenAI's API (API key set)" : 'OPENAI_API_KEY is not set' };
  }

  private getClient(): Promise<OpenAiClient> {
    this.#client ??= loadSdk().then(
      (sdk) =>
        new sdk.default({
          apiKey: this.#options.apiKey || 'not-needed',
          // Undefined lets the SDK use its default (OpenAI's API); `OPENAI_BASE_URL` was already read into the config.
          baseURL: this.#options.baseURL ?? null,
          maxRetries: 0,
          timeout: this.#options.timeoutMs,
          logger: SDK_LOGGER,
          // The SDK names itself after its class, which the minified bundle renames.
          defaultHeaders: { 'User-Agent': `OpenAI/JS ${OPENAI_SDK_VERSION}` },
        }),
    );
    return this.#client;
  }

  private buildRequest(call: ProviderCall, limitParam: MaxTokensParam): ChatCompletionCreateParamsStreaming {
    const user = call.prompt.user.join('\n\n');
    const messages: ChatCompletionMessageParam[] = [
      { role: 'system', content: call.prompt.system },
      { role: 'user', content: call.repair && !call.repair.previous ? `${user}\n\n${call.repair.feedback}` : user },
    ];
    const previous = call.repair?.previous;
    if (call.repair && previous?.kind === 'tool') {
      messages.push({ role: 'assistant', content: null, tool_calls: [{ id: previous.toolCallId, type: 'function', function: { name: call.tool.name, arguments: JSON.stringify(previous.input) } }] });
      messages.push({ role: 'tool', tool_call_id: previous.toolCallId, content: call.repair.feedback });
    } else if (call.repair && previous?.kind === 'text') {
      messages.push({ role: 'assistant', content: previous.text || '(empty answer)' });
      messages.push({ role: 'user', content: call.repair.feedback });
    }
    const limit = clampMaxTokens(this.capabilities, call.maxTokens);
    return {
      model: this.model,
      ...(limitParam === 'max_completion_tokens' ? { max_completion_tokens: limit } : { max_tokens: limit }),
      messages,
      tools: [{ type: 'function', function: { name: call.tool.name, description: call.tool.description, parameters: call.tool.inputSchema } }],
      tool_choice: { type: 'function', function: { name: call.tool.name } },
      stream: true,
      stream_options: { include_usage: true },
    };
  }

  async generate(call: ProviderCall): Promise<ProviderAnswer> {
    if (!this.#options.baseURL && !this.#options.apiKey) throw new ProviderCallError('OPENAI_API_KEY is not set.', { category: 'unavailable', retryable: false });
    const sdk = await loadSdk();
    const client = await this.getClient();
    let param = this.#learnedMaxTokensParam ?? this.capabilities.maxTokensParam;
    try {
      return await this.stream(client, sdk, call, param);
    } catch (error) {
      // A 400 `unsupported_parameter` naming the limit we sent costs nothing: switch once and remember.
      if (!(error instanceof ProviderCallError) || error.status !== 400 || !namesUnsupported(error.cause, param)) throw error;
      param = param === 'max_tokens' ? 'max_completion_tokens' : 'max_tokens';
      this.#learnedMaxTokensParam = param;
      return this.stream(client, sdk, call, param);
    }
  }

  private async stream(client: OpenAiClient, sdk: OpenAiModule, call: ProviderCall, param: MaxTokensParam): Promise<ProviderAnswer> {
    const watch = new StreamWatch(call.idleTimeoutMs ?? this.#options.idleTimeoutMs, call.signal, call.onStream);
    let requestId: string | null = null;
    let finishReason: string | null = null;
    let text = '';
    const toolCalls = new Map<number, { id: string; name: string; arguments: string }>();
    let reported = false;
    try {
      const { data: stream, request_id } = await client.chat.completions.create(this.buildRequest(call, param), { signal: watch.signal }).withResponse();
      requestId = request_id;
      let first = true;
      for await (const chunk of stream) {
        watch.touch();
        if (first) {
          // Billing has started: until the final usage chunk, input is estimated (four characters a token).
          first = false;
          watch.usage.inputTokens = estimateInputTokens(call);
        }
        if (chunk.usage) {
          reported = true;
          const cached = chunk.usage.prompt_tokens_details?.cached_tokens ?? 0;
          // OpenAI's prompt_tokens include the cached ones; ours, like Anthropic's, count only uncached input.
          watch.usage.inputTokens = Math.max(0, chunk.usage.prompt_tokens - cached);
          watch.usage.cacheReadTokens = cached;
          watch.reportOutput(chunk.usage.completion_tokens);
        }
        for (const choice of chunk.choices) {
          if (choice.index !== 0) continue;
          if (choice.finish_reason) finishReason = choice.finish_reason;
          const delta = choice.delta;
          if (delta.content) {
            text += delta.content;
            watch.received(delta.content.length);
          }
          for (const part of delta.tool_calls ?? []) {
            const entry = toolCalls.get(part.index) ?? { id: '', name: '', arguments: '' };
            if (part.id) entry.id = part.id;
            if (part.function?.name) entry.name += part.function.name;
            if (part.function?.arguments) {
              entry.arguments += part.function.arguments;
              watch.received(part.function.arguments.length);
            }
            toolCalls.set(part.index, entry);
          }
        }
      }
      // The SDK's stream ends quietly when aborted: say why it ended.
      if (watch.signal.aborted) {
        throw watch.idleFailure(requestId) ?? new ProviderCallError('The request was cancelled.', { category: 'aborted', retryable: false, requestId, usage: { ...watch.usage } });
      }
    } catch (error) {
      throw watch.idleFailure(requestId) ?? classifySdkError(error, sdk, { ...watch.usage });
    } finally {
      watch.stop();
    }
    const usage = { ...watch.usage };
    if (finishReason === null) {
      throw new ProviderCallError('The stream ended without a finish reason.', { category: 'server', retryable: true, requestId, ...(reported || usage.outputTokens ? { usage } : {}) });
    }
    const stop = finishReason === 'length' ? 'truncated' : finishReason === 'content_filter' ? 'refused' : 'complete';
    const toolCall = [...toolCalls.values()].find((candidate) => candidate.name === call.tool.name);
    if (toolCall) {
      // `arguments` is a string the model wrote: it may not be JSON at all.
      let input: unknown;
      try {
        input = JSON.parse(toolCall.arguments);
      } catch {
        input = extractJsonObject(toolCall.arguments);
      }
      return { output: input, answer: { kind: 'tool', toolCallId: toolCall.id, input: input ?? toolCall.arguments }, stop, usage, requestId };
    }
    return { output: extractJsonObject(text), answer: { kind: 'text', text }, stop, usage, requestId };
  }
}

/** Whether an SDK error is the 400 `unsupported_parameter` about `param`. */
function namesUnsupported(cause: unknown, param: MaxTokensParam): boolean {
  const e = (cause ?? {}) as { code?: unknown; param?: unknown };
  return e.code === 'unsupported_parameter' && e.param === param;
}

function estimateInputTokens(call: ProviderCall): number {
  let characters = call.prompt.system.length + call.prompt.user.reduce((sum, segment) => sum + segment.length, 0) + JSON.stringify(call.tool.inputSchema).length;
  if (call.repair) characters += call.repair.feedback.length;
  return Math.ceil(characters / 4);
}
