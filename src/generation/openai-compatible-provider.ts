import type { Usage } from '../cache/cache-entry.js';
import { extractJsonObject } from './extract-json.js';
import { classifySdkError, ProviderCallError, SDK_LOGGER, type GenerationProvider, type ProviderAnswer, type ProviderCall, type ProviderHealth } from './provider.js';

export interface OpenAiCompatibleProviderOptions {
  /** Including `/v1` (`http://127.0.0.1:11434/v1` for Ollama). */
  baseURL: string;
  /** Local servers accept any key; the SDK needs a non-empty one. */
  apiKey?: string | undefined;
  model: string;
  timeoutMs: number;
}

type OpenAiModule = typeof import('openai');
type OpenAiClient = InstanceType<OpenAiModule['default']>;

let sdkModule: Promise<OpenAiModule> | undefined;
function loadSdk(): Promise<OpenAiModule> {
  sdkModule ??= import('openai');
  return sdkModule;
}

/**
 * Any OpenAI-compatible chat server (Ollama, vLLM, LM Studio, llama.cpp) through the `openai`
 * package. The tool is forced, but several servers ignore `tool_choice` and answer in text:
 * then the JSON is extracted from a ```json fence or the first balanced object.
 */
export class OpenAiCompatibleProvider implements GenerationProvider {
  readonly id = 'openai-compatible';
  readonly model: string;
  #client: Promise<OpenAiClient> | undefined;

  /** A true private field: the key never shows up in JSON.stringify, util.inspect or a log line. */
  readonly #options: OpenAiCompatibleProviderOptions;

  constructor(options: OpenAiCompatibleProviderOptions) {
    this.#options = options;
    this.model = options.model;
  }

  health(): ProviderHealth {
    return { provider: this.id, model: this.model, configured: true, detail: `base URL ${this.#options.baseURL}` };
  }

  private getClient(): Promise<OpenAiClient> {
    this.#client ??= loadSdk().then(
      (sdk) => new sdk.default({ apiKey: this.#options.apiKey || 'not-needed', baseURL: this.#options.baseURL, maxRetries: 0, timeout: this.#options.timeoutMs, logger: SDK_LOGGER }),
    );
    return this.#client;
  }

  private buildRequest(call: ProviderCall) {
    type Message = Record<string, unknown>;
    const user = call.prompt.user.join('\n\n');
    const messages: Message[] = [
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
    return {
      model: this.model,
      max_tokens: call.maxTokens,
      messages,
      tools: [{ type: 'function', function: { name: call.tool.name, description: call.tool.description, parameters: call.tool.inputSchema } }],
      tool_choice: { type: 'function', function: { name: call.tool.name } },
    };
  }

  async generate(call: ProviderCall): Promise<ProviderAnswer> {
    const sdk = await loadSdk();
    const client = await this.getClient();
    let completion;
    try {
      completion = await client.chat.completions.create(this.buildRequest(call) as never, { signal: call.signal });
    } catch (error) {
      throw classifySdkError(error, sdk);
    }
    const requestId = (completion as { _request_id?: string | null })._request_id ?? null;
    // OpenAI's prompt_tokens include the cached ones; ours, like Anthropic's, count only uncached
    // input, so cached tokens are not charged twice.
    const cachedTokens = completion.usage?.prompt_tokens_details?.cached_tokens ?? 0;
    const usage: Usage = {
      inputTokens: Math.max(0, (completion.usage?.prompt_tokens ?? 0) - cachedTokens),
      outputTokens: completion.usage?.completion_tokens ?? 0,
      cacheWriteTokens: 0,
      cacheReadTokens: cachedTokens,
    };
    const choice = completion.choices?.[0];
    if (!choice) throw new ProviderCallError('The server answered without a choice.', { category: 'server', retryable: true, requestId, usage });
    const stop = choice.finish_reason === 'length' ? 'truncated' : choice.finish_reason === 'content_filter' ? 'refused' : 'complete';
    const toolCall = choice.message.tool_calls?.find((candidate) => candidate.type === 'function' && candidate.function.name === call.tool.name);
    if (toolCall && toolCall.type === 'function') {
      // `arguments` is a string the model wrote: it may not be JSON at all.
      let input: unknown;
      try {
        input = JSON.parse(toolCall.function.arguments);
      } catch {
        input = extractJsonObject(toolCall.function.arguments);
      }
      return { output: input, answer: { kind: 'tool', toolCallId: toolCall.id, input: input ?? toolCall.function.arguments }, stop, usage, requestId };
    }
    const text = choice.message.content ?? '';
    return { output: extractJsonObject(text), answer: { kind: 'text', text }, stop, usage, requestId };
  }
}
