import { ProviderError, ProviderUnavailableError, type DspecError } from '../../errors.js';
import type { ErrorCategory, GenerationProvider, ProviderCallError } from '../providers/provider.js';
import type { RunAccount } from './run-account.js';
import type { RunContext } from './run-context.js';
import { CONFIGURE_PROVIDER_HINT } from '../providers/select-providers.js';

/** Our hint per failure category, shown after the vendor's own words. */
const HINTS: Partial<Record<ErrorCategory, string>> = {
  auth: 'Check the API key (ANTHROPIC_API_KEY / OPENAI_API_KEY) and that it may use this model.',
  spend_limit: "The provider account's spend limit is reached: raise it in the provider's console; retrying will not help.",
  rate_limit: 'The provider is rate-limiting this key: try again in a minute.',
  overloaded: 'The provider is overloaded: try again shortly, or configure a fallback with DSPEC_PROVIDER=anthropic,openai-compatible.',
  circuit_open: 'The provider failed repeatedly and is paused: try again after the cool-down, or configure a fallback provider.',
  bad_request: 'The provider refused the request: its message above names what it objected to; also check the model name (DSPEC_MODEL) and the base URL.',
  refused: 'The model declined: rephrase the description.',
  aborted: 'The request was cancelled by the client.',
  timeout: 'The provider sent nothing for longer than generation.idleTimeoutMs (DSPEC_IDLE_TIMEOUT_MS): try again, or raise the limit for a slow local model.',
};
const DEFAULT_HINT = 'The provider is unreachable or failing: try again later, or configure a fallback provider.';

/**
 * A failed provider call as the user sees it: what failed, the vendor's own message and
 * request id (they name the exact field or limit), then our hint for that kind of failure.
 * The context says what the whole request spent, over every provider it called.
 */
export function toProviderError(run: RunContext, error: ProviderCallError, provider: GenerationProvider, account: RunAccount): DspecError {
  if (error.category === 'unavailable') return new ProviderUnavailableError(error.message, { suggestion: CONFIGURE_PROVIDER_HINT, cause: error });
  const vendor = error.vendorMessage?.trim();
  // The SDK path's call error already quotes both (its message is also what the attempt logs).
  const quote = vendor && !error.message.includes(vendor) ? ` The provider said: "${vendor.length > 1000 ? `${vendor.slice(0, 1000)}…` : vendor}"` : '';
  const requestId = error.requestId && !error.message.includes(error.requestId) ? ` (request id ${error.requestId})` : '';
  const message = `Generating ${run.spec.name} with ${provider.id} (${provider.model}) failed: ${error.message}${quote}${requestId}`;
  const { attempts, usage, costUsd } = account.snapshot();
  return new ProviderError(message, {
    suggestion: HINTS[error.category] ?? DEFAULT_HINT,
    context: {
      component: run.spec.name,
      provider: provider.id,
      model: provider.model,
      category: error.category,
      ...(error.status ? { status: error.status } : {}),
      ...(error.requestId ? { requestId: error.requestId } : {}),
      ...(vendor ? { vendorMessage: vendor } : {}),
      attempts,
      usage,
      costUsd,
    },
    cause: error,
  });
}
