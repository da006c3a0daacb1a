import type { BudgetReservation } from '../../cost/cost-tracker.js';
import type { CircuitBreaker } from '../providers/circuit-breaker.js';
import type { KeyedIdentity } from './component-cache-key.js';
import { ProviderCallError, ZERO_USAGE, type ErrorCategory, type ProviderAnswer, type ProviderCall } from '../providers/provider.js';
import type { RunAccount } from './run-account.js';
import type { RunContext } from './run-context.js';
import { SamplingAnswerNeeded, SamplingReplayMismatch } from '../providers/sampling-rounds.js';
import { decideRetry } from '../providers/transport-retry.js';

/** Categories that say the provider is unwell: they count towards opening its circuit. */
const AVAILABILITY_FAILURES: ReadonlySet<ErrorCategory> = new Set(['rate_limit', 'overloaded', 'server', 'timeout', 'connection']);

/** Streaming progress is reported each time this many more output tokens have arrived. */
export const STREAM_PROGRESS_STEP_TOKENS = 64;

/**
 * One attempt, with our transport retries: each try passes the circuit breaker, then reserves
 * budget (a BudgetExceededError means no call), streams with the configured idle timeout, and
 * a failed try is written to the ledger at once with the usage the vendor reported. The
 * caller records the try that answered, after judging the answer.
 */
export async function callWithRetries(
  run: RunContext,
  account: RunAccount,
  identity: KeyedIdentity,
  breaker: CircuitBreaker,
  call: ProviderCall,
  attempt: number,
): Promise<{ answer: ProviderAnswer; reservation: BudgetReservation; retry: number }> {
  const { provider } = identity;
  const signal = run.request.signal;
  for (let retry = 0; ; retry++) {
    if (signal?.aborted) throw new ProviderCallError('The request was cancelled.', { category: 'aborted', retryable: false });
    if (!breaker.tryAcquire()) {
      run.telemetry.category('circuit_open');
      const snapshot = breaker.snapshot();
      throw new ProviderCallError(`The circuit for ${breaker.key} is open after repeated failures${snapshot.retryAt ? `; it lets a probe through at ${snapshot.retryAt}` : ''}.`, {
        category: 'circuit_open',
        retryable: false,
      });
    }
    let reservation: BudgetReservation;
    try {
      reservation = await run.deps.costs.reserve({
        operation: run.operation,
        component: run.spec.name,
        provider: provider.id,
        model: provider.model,
        estimatedInputTokens: estimateInputTokens(call),
        maxOutputTokens: call.maxTokens,
        attempt,
        retry,
      });
    } catch (error) {
      breaker.onNeutral();
      throw error;
    }
    run.notice(...(reservation.warnings ?? []));
    if (retry === 0) account.attempts++;
    try {
      const answer = await provider.generate({ ...call, idleTimeoutMs: run.config.idleTimeoutMs, onStream: streamProgress(run, identity, attempt) });
      breaker.onSuccess();
      return { answer, reservation, retry };
    } catch (raw) {
      if (raw instanceof SamplingAnswerNeeded || raw instanceof SamplingReplayMismatch) {
        // No call was made: the client is asked for the answer and the request runs again.
        breaker.onNeutral();
        await run.deps.costs.release(reservation);
        throw raw;
      }
      const error = raw instanceof ProviderCallError ? raw : new ProviderCallError('Unexpected provider failure.', { category: 'unknown', retryable: false, cause: raw });
      if (AVAILABILITY_FAILURES.has(error.category)) breaker.onFailure();
      else breaker.onNeutral();
      // Billed even though it failed: the ledger gets what the vendor reported, never less.
      await account.record(identity, reservation, { attempt, retry, outcome: 'error', errorCategory: error.category, requestId: error.requestId, usage: error.usage ?? ZERO_USAGE });
      run.telemetry.category(error.category);
      const decision = decideRetry(error, { retry, waitedMs: run.waitedMs, now: run.clock.now(), deadline: run.deadline }, run.config.retry, () => run.clock.random());
      if (!decision.retry) {
        run.logger.debug({ provider: provider.id, category: error.category, status: error.status, reason: decision.reason }, 'provider attempt failed; not retrying');
        throw error;
      }
      run.progress({
        stage: 'retrying',
        attempt,
        provider: provider.id,
        model: provider.model,
        message: `${error.category}${error.status ? ` (HTTP ${error.status})` : ''}; retrying in ${decision.delayMs} ms`,
      });
      run.waitedMs += decision.delayMs;
      try {
        await run.clock.sleep(decision.delayMs, signal);
      } catch (cause) {
        throw new ProviderCallError('The request was cancelled.', { category: 'aborted', retryable: false, cause });
      }
    }
  }
}

/** Turns the provider's stream callbacks into `streaming` progress, a step of tokens at a time. */
function streamProgress(run: RunContext, identity: KeyedIdentity, attempt: number): (progress: { outputTokens: number }) => void {
  let reported: number | undefined;
  return ({ outputTokens }) => {
    if (reported !== undefined && outputTokens < reported + STREAM_PROGRESS_STEP_TOKENS) return;
    reported = outputTokens;
    run.progress({
      stage: 'streaming',
      attempt,
      provider: identity.provider.id,
      model: identity.provider.model,
      outputTokens,
      message: `attempt ${attempt}: ${outputTokens} tokens received from ${identity.provider.id} (${identity.provider.model})`,
    });
  };
}

/** About four characters a token: enough for a worst-case budget hold. */
function estimateInputTokens(call: ProviderCall): number {
  let characters = call.prompt.system.length + call.prompt.user.reduce((sum, segment) => sum + segment.length, 0) + JSON.stringify(call.tool.inputSchema).length;
  if (call.repair) {
    characters += call.repair.feedback.length;
    const previous = call.repair.previous;
    if (previous) characters += previous.kind === 'text' ? previous.text.length : JSON.stringify(previous.input ?? '').length;
  }
  return Math.ceil(characters / 4);
}
