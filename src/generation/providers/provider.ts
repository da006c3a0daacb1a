import type { Usage } from '../../cache/cache-entry.js';
import { redactSecrets } from './sdk-logger.js';

export { SDK_LOGGER } from './sdk-logger.js';

/**
 * One interface over every LLM back end. A provider makes exactly one HTTP attempt (or one
 * sampling request) per `generate` call and never retries: retries, the circuit breaker and
 * the repair loop belong to generate-component.ts, which records every attempt to the ledger.
 */
export interface GenerationProvider {
  /** `anthropic`, `openai-compatible`, `mcp-sampling` or `none`: part of the cache key. */
  readonly id: string;
  /** The model asked for: part of the cache key. */
  readonly model: string;
  generate(call: ProviderCall): Promise<ProviderAnswer>;
  /** Input tokens of a call as the provider counts them, when it can do so without a billed request. */
  countTokens?(call: ProviderCall): Promise<number | undefined>;
  health(): ProviderHealth;
}

export interface ProviderHealth {
  provider: string;
  model: string;
  /** Whether a call can be attempted at all (a key, a base URL, a client with sampling). */
  configured: boolean;
  detail: string;
}

/** A prompt split where the provider may place cache breakpoints: earlier segments are stable. */
export interface PromptParts {
  /** The system part: identical for every request of a prompt version. */
  system: string;
  /** The user part in segments; every segment but the last is a prompt-cache candidate. */
  user: string[];
}

/** What the model answered last time, so a repair turn can refer to it. */
export type PreviousAnswer = { kind: 'tool'; toolCallId: string; input: unknown } | { kind: 'text'; text: string };

export interface ProviderCall {
  prompt: PromptParts;
  tool: { name: string; description: string; inputSchema: Record<string, unknown> };
  maxTokens: number;
  /**
   * The last failed attempt only (older ones are dropped to keep the context small): the
   * answer, and the feedback to send back (validation findings or a truncation note).
   * `previous` is absent after a truncation, whose partial answer is not worth resending.
   */
  repair?: { previous?: PreviousAnswer; feedback: string };
  signal?: AbortSignal;
  /** Called as the answer streams in, for progress notifications. */
  onStream?: ((progress: { outputTokens: number }) => void) | undefined;
  /** No bytes for this long ends the attempt as a retryable 'timeout', carrying the usage streamed so far. */
  idleTimeoutMs?: number | undefined;
}

export interface ProviderAnswer {
  /** The structured answer (tool input or JSON extracted from text); undefined when none was found. */
  output: unknown;
  answer: PreviousAnswer;
  /** `truncated`: the output budget ran out (max_tokens / length); `refused`: the model declined. */
  stop: 'complete' | 'truncated' | 'refused';
  usage: Usage;
  requestId: string | null;
  /**
   * The answer was given in an earlier round of this same request (MCP 2026-07-28 sampling
   * replays answered rounds on each retry) and its attempt is already in the ledger.
   */
  replayed?: true;
}

/**
 * Why an attempt failed, in words the retry layer understands. `retryable` already folds in
 * the server's `x-should-retry` header and the error's class.
 */
export type ErrorCategory =
  'rate_limit' | 'overloaded' | 'server' | 'timeout' | 'connection' | 'conflict' | 'auth' | 'bad_request' | 'spend_limit' | 'refused' | 'aborted' | 'circuit_open' | 'unavailable' | 'unknown';

/** A failed provider attempt, classified. Local: never crosses the MCP boundary as-is. */
export class ProviderCallError extends Error {
  readonly category: ErrorCategory;
  readonly retryable: boolean;
  readonly status: number | undefined;
  readonly requestId: string | null;
  /** How long the server asked us to wait (`retry-after-ms`, then `retry-after`). */
  readonly retryAfterMs: number | undefined;
  /** Tokens the failed attempt still consumed, when the provider reported them. */
  readonly usage: Usage | undefined;
  /** The vendor's own error text (e.g. the 400 message naming the exact field), redacted and shortened. */
  readonly vendorMessage: string | undefined;

  constructor(
    message: string,
    details: { category: ErrorCategory; retryable: boolean; status?: number; requestId?: string | null; retryAfterMs?: number; usage?: Usage; vendorMessage?: string; cause?: unknown },
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'ProviderCallError';
    this.category = details.category;
    this.retryable = details.retryable;
    this.status = details.status;
    this.requestId = details.requestId ?? null;
    this.retryAfterMs = details.retryAfterMs;
    this.usage = details.usage;
    this.vendorMessage = details.vendorMessage;
  }
}

export const ZERO_USAGE: Usage = { inputTokens: 0, outputTokens: 0, cacheWriteTokens: 0, cacheReadTokens: 0 };

/** Wait the server asked for: `retry-after-ms`, else `retry-after` (seconds or an HTTP date). */
export function retryAfterFromHeaders(headers: { get(name: string): string | null } | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const milliseconds = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(milliseconds) && milliseconds >= 0) return milliseconds;
  const raw = headers.get('retry-after');
  if (!raw) return undefined;
  const seconds = Number.parseFloat(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

/** Error codes that name a spend or billing limit: waiting does not lift them, so never retry. */
const SPEND_LIMIT_CODES = /spend_limit|insufficient_quota|billing|credit/;

interface HttpErrorLike {
  status?: number;
  headers?: { get(name: string): string | null };
  errorCode?: string | null;
  code?: string | null;
  type?: string | null;
  requestID?: string | null;
  name?: string;
  /** Anthropic: the body's `error.message`. */
  apiMessage?: string | null;
  /** Anthropic: the whole body; OpenAI: the body's `error` object. */
  error?: { message?: unknown; type?: unknown; error?: { message?: unknown; type?: unknown } } | null;
}

/** Longest vendor message quoted to the user. */
const MAX_VENDOR_MESSAGE = 500;

/** The vendor's own words for an error, secrets redacted and cut to a readable length. */
export function vendorMessageOf(error: unknown): string | undefined {
  const e = (error ?? {}) as HttpErrorLike;
  const raw = e.apiMessage ?? e.error?.error?.message ?? e.error?.message;
  if (typeof raw !== 'string' || !raw.trim()) return undefined;
  const clean = redactSecrets(raw.trim());
  return clean.length > MAX_VENDOR_MESSAGE ? `${clean.slice(0, MAX_VENDOR_MESSAGE)}…` : clean;
}

/** Error types a stream can carry in an `error` event (no HTTP status: the 200 was already sent). */
const STREAM_ERROR_CATEGORY: Record<string, ErrorCategory> = {
  overloaded_error: 'overloaded',
  rate_limit_error: 'rate_limit',
  api_error: 'server',
  server_error: 'server',
  timeout_error: 'timeout',
};

/** One of an SDK's error classes, only ever the right side of `instanceof`. */
type SdkErrorClass = abstract new (...args: never[]) => Error;

/**
 * Classifies an error thrown by either SDK (both derive from the same Stainless base, so the
 * fields and class names match): the class and status decide, `x-should-retry` overrides, and
 * spend-limit codes are never retried. The message is never inspected for the decision; it
 * is quoted (redacted) in `vendorMessage` and in the error's text, followed by the request id.
 * `usage` is what the attempt consumed before it failed (streams report it as they go).
 */
export function classifySdkError(
  error: unknown,
  sdk: { APIUserAbortError: SdkErrorClass; APIConnectionTimeoutError: SdkErrorClass; APIConnectionError: SdkErrorClass; APIError: SdkErrorClass },
  usage?: Usage,
): ProviderCallError {
  if (error instanceof ProviderCallError) return error;
  const e = (error ?? {}) as HttpErrorLike;
  const requestId = e.requestID ?? e.headers?.get('request-id') ?? e.headers?.get('x-request-id') ?? null;
  const vendorMessage = error instanceof sdk.APIError ? vendorMessageOf(error) : undefined;
  const base = { cause: error, requestId, ...(usage ? { usage } : {}), ...(vendorMessage ? { vendorMessage } : {}) };
  const quoted = (text: string) => `${text}${vendorMessage ? ` The provider said: "${vendorMessage}"` : ''}${requestId ? ` (request id ${requestId})` : ''}`;
  if (error instanceof sdk.APIUserAbortError) return new ProviderCallError('The request was cancelled.', { ...base, category: 'aborted', retryable: false });
  if (error instanceof sdk.APIConnectionTimeoutError) return new ProviderCallError('The request timed out.', { ...base, category: 'timeout', retryable: true });
  if (error instanceof sdk.APIConnectionError) return new ProviderCallError('The connection to the provider failed.', { ...base, category: 'connection', retryable: true });
  if (error instanceof sdk.APIError && typeof e.status !== 'number') {
    // An `error` event inside a stream: the vendor's type says what went wrong.
    const type = [e.error?.error?.type, e.type, e.error?.type].find((candidate) => typeof candidate === 'string') ?? '';
    const category = STREAM_ERROR_CATEGORY[type] ?? 'server';
    return new ProviderCallError(quoted(`The provider's stream failed (${type || 'no type'}).`), { ...base, category, retryable: true });
  }
  if (!(error instanceof sdk.APIError) || typeof e.status !== 'number') {
    return new ProviderCallError(`Unexpected provider failure: ${error instanceof Error ? error.name : typeof error}`, { ...base, category: 'unknown', retryable: false });
  }
  const status = e.status;
  const shouldRetry = e.headers?.get('x-should-retry');
  const code = e.errorCode ?? e.code ?? '';
  let category: ErrorCategory;
  if (status === 429 && SPEND_LIMIT_CODES.test(code)) category = 'spend_limit';
  else if (status === 402) category = 'spend_limit';
  else if (status === 429) category = 'rate_limit';
  else if (status === 529) category = 'overloaded';
  else if (status === 408) category = 'timeout';
  else if (status === 409) category = 'conflict';
  else if (status >= 500) category = 'server';
  else if (status === 401 || status === 403) category = 'auth';
  else category = 'bad_request';
  const retryableByStatus = category === 'rate_limit' || category === 'overloaded' || category === 'timeout' || category === 'conflict' || category === 'server';
  const retryable = category === 'spend_limit' ? false : shouldRetry === 'true' ? true : shouldRetry === 'false' ? false : retryableByStatus;
  return new ProviderCallError(quoted(`The provider answered HTTP ${status} (${category}).`), {
    ...base,
    category,
    retryable,
    status,
    retryAfterMs: retryAfterFromHeaders(e.headers),
  });
}
