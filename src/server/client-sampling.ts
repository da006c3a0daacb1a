import { createRequestStateCodec, inputRequired, inputResponse, type InputRequiredResult, type McpServer, type RequestStateCodec, type ServerContext } from '@modelcontextprotocol/server';
import { canonicalJson, sha256Hex } from '../cache/canonical-json.js';
import { DspecError, ErrorCode } from '../errors.js';
import type { SampleFunction, SamplingRequest, SamplingResult } from '../generation/providers/mcp-sampling-provider.js';
import { replayingSampler, samplingRequestDigest, type SampledRound, type SamplingAnswerNeeded } from '../generation/providers/sampling-rounds.js';

/**
 * The client's own model (MCP sampling, deprecated by the 2026-07-28 revision but still offered
 * by some hosts) for one tool call, in the form its protocol generation allows:
 * - a 2025 client is asked with a `sampling/createMessage` request while the call waits;
 * - a 2026-07-28 client cannot be asked mid-call (no server-initiated requests): the call
 *   answers `input_required` with the question, the client retries with the answer, and
 *   generation runs again from the start, replaying the rounds answered so far (sampling-rounds.ts).
 *   What was answered travels in `requestState`, signed with the runtime's key.
 */

/** What the signed `requestState` of a sampling round carries. */
export interface SamplingState {
  /** The call the rounds belong to (tool and arguments), so state cannot be replayed into another call. */
  call: string;
  /** Rounds already answered and recorded in the ledger. */
  rounds: SampledRound[];
  /** The question sent with the last `input_required`, whose answer this retry carries. */
  pending: { key: string; requestDigest: string };
}

/** One codec per key: every server built on a runtime (one per HTTP request) verifies with it. */
const codecs = new WeakMap<Uint8Array, RequestStateCodec<SamplingState>>();

export function samplingStateCodec(key: Uint8Array): RequestStateCodec<SamplingState> {
  let codec = codecs.get(key);
  if (!codec) {
    // Ten minutes between rounds: a model answering a sampling request rarely needs more.
    codec = createRequestStateCodec<SamplingState>({ key, ttlSeconds: 600 });
    codecs.set(key, codec);
  }
  return codec;
}

/** The call the rounds belong to, as the cache and job handles hash a request (RFC 8785 JSON, so key order does not matter). */
export function callDigest(tool: string, args: unknown): string {
  return sha256Hex(canonicalJson({ tool, args }));
}

export interface CallSampling {
  /** The sampler generation gets, or undefined when the client offers no sampling. */
  sample: SampleFunction | undefined;
  /** Turns the sampler's "answer needed" into this call's `input_required` result (2026-07-28 only). */
  askClient(needed: SamplingAnswerNeeded): Promise<InputRequiredResult>;
}

/**
 * The sampler of one tool call. Throws a clear error when a 2026 retry carries state that does
 * not belong to this call, or no answer to the question it was asked.
 */
export function callSampling(server: McpServer, ctx: ServerContext, options: { era: 'legacy' | 'modern'; codec: RequestStateCodec<SamplingState>; call: string }): CallSampling {
  const offered = server.server.getClientCapabilities()?.sampling !== undefined;
  const notModern = (): Promise<InputRequiredResult> => Promise.reject(new Error('input_required is answered to 2026-07-28 clients only'));
  if (!offered) return { sample: undefined, askClient: notModern };
  if (options.era === 'legacy') {
    const sample: SampleFunction = (request, signal) => server.server.createMessage(request, { relatedRequestId: ctx.mcpReq.id, ...(signal ? { signal } : {}) });
    return { sample, askClient: notModern };
  }
  const state = ctx.mcpReq.requestState<SamplingState>();
  let recorded: SampledRound[] = [];
  let fresh: SampledRound | undefined;
  if (state) {
    if (state.call !== options.call)
      throw new DspecError(ErrorCode.InvalidInput, 'requestState belongs to another call: retry with the arguments of the call that returned it, or start again without it');
    const answer = inputResponse(ctx.mcpReq.inputResponses, state.pending.key);
    if (answer.kind !== 'sampling') {
      throw new DspecError(ErrorCode.InvalidInput, `the retry carries no sampling answer under "${state.pending.key}" (the client's model must answer the createMessage request it was sent)`);
    }
    recorded = state.rounds;
    fresh = { requestDigest: state.pending.requestDigest, result: samplingResultOf(answer.result) };
  }
  const sampler = replayingSampler(recorded, fresh);
  return {
    sample: sampler.sample,
    askClient: async (needed) => {
      const key = `sample-${needed.answered.length + 1}`;
      const request: SamplingRequest = needed.request;
      const next: SamplingState = { call: options.call, rounds: [...needed.answered], pending: { key, requestDigest: samplingRequestDigest(request) } };
      return inputRequired({ inputRequests: { [key]: inputRequired.createMessage(request) }, requestState: await options.codec.mint(next) });
    },
  };
}

/** The parts of a client's CreateMessageResult generation reads. */
function samplingResultOf(result: { model?: string; stopReason?: string; content: unknown }): SamplingResult {
  const blocks = (Array.isArray(result.content) ? result.content : [result.content]) as Array<{ type?: unknown; text?: unknown }>;
  return {
    ...(typeof result.model === 'string' ? { model: result.model } : {}),
    ...(typeof result.stopReason === 'string' ? { stopReason: result.stopReason } : {}),
    content: blocks.map((block) => ({ type: typeof block.type === 'string' ? block.type : 'unknown', ...(typeof block.text === 'string' ? { text: block.text } : {}) })),
  };
}
