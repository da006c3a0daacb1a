import type { GenerationConfig } from '../../infra/config.js';
import type { Bundle } from '../../shapes/bundle.js';
import type { Finding } from '../../shapes/finding.js';
import { formatFindingsForRepair } from '../../validation/format-findings.js';
import { callWithRetries } from './call-provider.js';
import { checkAnswer, truncationFinding } from './check-answer.js';
import type { KeyedIdentity } from './component-cache-key.js';
import { GENERATED_COMPONENT_TOOL, generatedComponentJsonSchema } from './model-answer.js';
import { ProviderCallError, type ProviderAnswer, type ProviderCall } from '../providers/provider.js';
import type { RunAccount } from './run-account.js';
import { REPAIR_PROMPT_ID, TRUNCATION_PROMPT_ID, type RunContext } from './run-context.js';

/** An answer that did not pass, kept for the failure dump. */
export interface FailedAnswer {
  provider: string;
  model: string;
  attempt: number;
  outcome: 'invalid' | 'truncated';
  output: unknown;
  findings: Finding[];
}

/**
 * The repair conversation of one request. It outlives a provider that fails in the middle of
 * it: the next provider continues from the last answer and its findings, with the attempts
 * that are left, instead of starting over.
 */
export class RepairState {
  /** Answers judged so far, over every provider; at most `maxAttempts`. */
  answers = 0;
  maxTokens: number;
  repair: ProviderCall['repair'];
  readonly failures: FailedAnswer[] = [];

  constructor(readonly config: GenerationConfig) {
    this.maxTokens = config.maxTokens;
  }

  get exhausted(): boolean {
    return this.answers >= this.config.maxAttempts;
  }

  failuresOf(identity: KeyedIdentity): FailedAnswer[] {
    return this.failures.filter((f) => f.provider === identity.provider.id && f.model === identity.provider.model);
  }

  /**
   * Before another provider takes over: a previous tool call carries a vendor-specific call id
   * the next vendor cannot pair, so the previous answer travels as its JSON text instead.
   */
  handOver(): void {
    const previous = this.repair?.previous;
    if (this.repair && previous?.kind === 'tool') this.repair = { ...this.repair, previous: { kind: 'text', text: JSON.stringify(previous.input) } };
  }
}

export type LoopOutcome = { kind: 'valid'; bundle: Bundle; warnings: Finding[]; attempt: number } | { kind: 'exhausted' };

/**
 * Asks one provider for answers until one passes the gate or the attempts run out. Each
 * answer is judged (truncated, refused, schema, gate), written to the ledger, and a failing
 * one becomes the next turn's repair feedback. Transport failures throw ProviderCallError.
 */
export async function repairLoop(run: RunContext, account: RunAccount, state: RepairState, identity: KeyedIdentity): Promise<LoopOutcome> {
  const { provider } = identity;
  const breaker = run.breakers.for(provider.id, provider.model);
  const maxAttempts = run.config.maxAttempts;
  while (!state.exhausted) {
    const attempt = state.answers + 1;
    run.progress({
      stage: attempt === 1 ? 'calling' : 'repairing',
      attempt,
      provider: provider.id,
      model: provider.model,
      message: `attempt ${attempt} of ${maxAttempts} with ${provider.id} (${provider.model})`,
    });
    const call: ProviderCall = {
      prompt: { system: run.prompt.system, user: run.prompt.user },
      tool: { ...GENERATED_COMPONENT_TOOL, inputSchema: generatedComponentJsonSchema() },
      maxTokens: state.maxTokens,
      ...(state.repair ? { repair: state.repair } : {}),
      ...(run.request.signal ? { signal: run.request.signal } : {}),
    };
    const { answer, reservation, retry } = await callWithRetries(run, account, identity, breaker, call, attempt);
    state.answers++;
    let recorded = false;
    const settle = async (outcome: 'success' | 'invalid' | 'truncated' | 'error', errorCategory?: string) => {
      recorded = true;
      // A replayed sampling answer was recorded in the round that received it.
      if (answer.replayed) return run.deps.costs.release(reservation);
      await account.record(identity, reservation, { attempt, retry, requestId: answer.requestId, usage: answer.usage, outcome, ...(errorCategory ? { errorCategory } : {}) });
    };
    try {
      if (answer.stop === 'refused') {
        await settle('error', 'refused');
        run.telemetry.category('refused');
        throw new ProviderCallError('The model declined to write this component.', { category: 'refused', retryable: false, requestId: answer.requestId });
      }
      if (answer.stop === 'truncated') {
        await settle('truncated', 'truncated');
        run.telemetry.category('truncated');
        state.failures.push({
          provider: provider.id,
          model: provider.model,
          attempt,
          outcome: 'truncated',
          output: answer.output ?? answerText(answer),
          findings: [truncationFinding(state.maxTokens)],
        });
        state.repair = { feedback: run.registry.compose(TRUNCATION_PROMPT_ID, { maxTokens: String(state.maxTokens) }).user.join('\n\n') };
        state.maxTokens = Math.min(state.maxTokens * 2, Math.max(run.config.maxTokensCeiling, state.maxTokens));
        continue;
      }
      const { bundle, findings, warnings } = await checkAnswer(run, answer, attempt, provider);
      if (bundle) {
        await settle('success');
        return { kind: 'valid', bundle, warnings, attempt };
      }
      await settle('invalid', 'invalid');
      run.telemetry.category('invalid');
      state.failures.push({ provider: provider.id, model: provider.model, attempt, outcome: 'invalid', output: answer.output ?? answerText(answer), findings });
      state.repair = {
        previous: answer.answer,
        feedback: run.registry.compose(REPAIR_PROMPT_ID, { findings: formatFindingsForRepair(findings), attempt: String(attempt), maxAttempts: String(maxAttempts) }).user.join('\n\n'),
      };
    } catch (error) {
      if (!recorded) await settle('error', 'internal');
      throw error;
    }
  }
  return { kind: 'exhausted' };
}

function answerText(answer: ProviderAnswer): unknown {
  return answer.answer.kind === 'text' ? answer.answer.text : answer.answer.input;
}
