import type { Usage } from '../../cache/cache-entry.js';
import { extractJsonObject } from './extract-json.js';
import { SamplingAnswerNeeded, SamplingReplayMismatch } from './sampling-rounds.js';
import { ProviderCallError, ZERO_USAGE, type GenerationProvider, type ProviderAnswer, type ProviderCall, type ProviderHealth } from './provider.js';

/** The parts of an MCP `sampling/createMessage` request generation uses. */
export interface SamplingRequest {
  messages: Array<{ role: 'user' | 'assistant'; content: { type: 'text'; text: string } }>;
  systemPrompt?: string;
  maxTokens: number;
  includeContext?: 'none';
  modelPreferences?: { hints?: Array<{ name: string }>; intelligencePriority?: number };
}

export interface SamplingResult {
  /** Set by a replaying sampler: the client answered this in an earlier round of the request. */
  replayed?: true;
  model?: string;
  stopReason?: string;
  content: { type: string; text?: string } | Array<{ type: string; text?: string }>;
}

/**
 * Asks the connected client's own model. The tool layer passes
 * `(params, signal) => server.server.createMessage(params, { relatedRequestId, signal })`,
 * so generation never imports MCP.
 */
export type SampleFunction = (request: SamplingRequest, signal?: AbortSignal) => Promise<SamplingResult>;

export interface McpSamplingProviderOptions {
  sample: SampleFunction;
  /** A hint to the client (`modelPreferences.hints`); the client chooses. Part of the cache key. */
  modelHint?: string | undefined;
}

/** JSON-RPC error codes the MCP SDK uses for a request that timed out or a connection that closed. */
const REQUEST_TIMEOUT = -32001;
const CONNECTION_CLOSED = -32000;

export class McpSamplingProvider implements GenerationProvider {
  readonly id = 'mcp-sampling';
  readonly model: string;

  constructor(private readonly options: McpSamplingProviderOptions) {
    this.model = options.modelHint ?? 'client-selected';
  }

  health(): ProviderHealth {
    return { provider: this.id, model: this.model, configured: true, detail: 'the connected client samples with its own model' };
  }

  async generate(call: ProviderCall): Promise<ProviderAnswer> {
    const schemaNote = `\n\nAnswer with one JSON object only, in a \`\`\`json fence, matching this JSON Schema (it stands for the arguments of the \`${call.tool.name}\` tool):\n\n${JSON.stringify(call.tool.inputSchema)}`;
    const user = call.prompt.user.join('\n\n') + schemaNote;
    const messages: SamplingRequest['messages'] = [{ role: 'user', content: { type: 'text', text: call.repair && !call.repair.previous ? `${user}\n\n${call.repair.feedback}` : user } }];
    const previous = call.repair?.previous;
    if (call.repair && previous) {
      const text = previous.kind === 'text' ? previous.text : `\`\`\`json\n${JSON.stringify(previous.input)}\n\`\`\``;
      messages.push({ role: 'assistant', content: { type: 'text', text: text || '(empty answer)' } });
      messages.push({ role: 'user', content: { type: 'text', text: call.repair.feedback } });
    }
    let result: SamplingResult;
    try {
      result = await this.options.sample(
        {
          messages,
          systemPrompt: call.prompt.system,
          maxTokens: call.maxTokens,
          includeContext: 'none',
          ...(this.options.modelHint ? { modelPreferences: { hints: [{ name: this.options.modelHint }] } } : {}),
        },
        call.signal,
      );
    } catch (error) {
      // A round signal is not a failed call: the tool layer asks the client and runs again.
      if (error instanceof SamplingAnswerNeeded || error instanceof SamplingReplayMismatch) throw error;
      throw classifySamplingError(error, call.signal);
    }
    const blocks = Array.isArray(result.content) ? result.content : [result.content];
    const text = blocks
      .filter((block) => block.type === 'text' && typeof block.text === 'string')
      .map((block) => block.text)
      .join('\n');
    const usage: Usage = ZERO_USAGE;
    const stop = result.stopReason === 'maxTokens' ? 'truncated' : 'complete';
    return { output: extractJsonObject(text), answer: { kind: 'text', text }, stop, usage, requestId: null, ...(result.replayed ? { replayed: true as const } : {}) };
  }
}

function classifySamplingError(error: unknown, signal: AbortSignal | undefined): ProviderCallError {
  if (signal?.aborted) return new ProviderCallError('The request was cancelled.', { category: 'aborted', retryable: false, cause: error });
  const code = (error as { code?: unknown })?.code;
  if (code === REQUEST_TIMEOUT) return new ProviderCallError('The client did not answer the sampling request in time.', { category: 'timeout', retryable: true, cause: error });
  if (code === CONNECTION_CLOSED) return new ProviderCallError('The client connection closed during sampling.', { category: 'connection', retryable: false, cause: error });
  // A client that declines (its user said no) or does not support sampling: asking again will not help.
  return new ProviderCallError('The client declined or failed the sampling request.', { category: 'refused', retryable: false, cause: error });
}
