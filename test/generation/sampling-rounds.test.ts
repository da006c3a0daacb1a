import { describe, expect, it } from 'vitest';
import { generateTier2Component } from '../../src/generation/pipeline/generate-component.js';
import type { SamplingRequest, SamplingResult } from '../../src/generation/providers/mcp-sampling-provider.js';
import { replayingSampler, SamplingAnswerNeeded, SamplingReplayMismatch, samplingRequestDigest, type SampledRound } from '../../src/generation/providers/sampling-rounds.js';
import { createProviderRegistry } from '../../src/generation/providers/select-providers.js';
import { INVALID_STAT_CARD_OUTPUT, VALID_STAT_CARD_OUTPUT } from './fixtures/stat-card.mjs';
import { generationConfig, harness, STAT_CARD_REQUEST } from './support.js';

/**
 * Stateless sampling (MCP 2026-07-28): the server cannot hold a request open while the client's
 * model answers, so each round runs generation from the start, replays the answered rounds and
 * stops at the first new question. These tests drive the real pipeline round by round, the way
 * the tool layer does with `input_required`, and check the rounds add up to one generation.
 */
const fenced = (value: unknown): SamplingResult => ({ model: 'client-model', stopReason: 'endTurn', content: { type: 'text', text: `\`\`\`json\n${JSON.stringify(value)}\n\`\`\`` } });

/** Runs the pipeline round by round until it finishes, answering each new question with the next script entry. */
async function runRounds(script: SamplingResult[], h: ReturnType<typeof harness>) {
  let recorded: SampledRound[] = [];
  let fresh: SampledRound | undefined;
  const questions: SamplingRequest[] = [];
  for (let round = 1; round <= 10; round++) {
    const sampler = replayingSampler(recorded, fresh);
    const providers = createProviderRegistry(generationConfig({ providers: ['mcp-sampling'] }), {}).forRequest({ sample: sampler.sample });
    try {
      const result = await generateTier2Component(STAT_CARD_REQUEST, { ...h.deps, providers });
      return { result, questions, rounds: round };
    } catch (error) {
      if (!(error instanceof SamplingAnswerNeeded)) throw error;
      expect(sampler.replayedRounds()).toBe(recorded.length + (fresh ? 1 : 0));
      questions.push(error.request);
      const answer = script.shift();
      if (!answer) throw new Error('the script ran out of answers');
      // What the tool layer does: the rounds so far go into the signed requestState, the answer comes back fresh.
      recorded = [...error.answered];
      fresh = { requestDigest: samplingRequestDigest(error.request), result: answer };
    }
  }
  throw new Error('generation did not finish in 10 rounds');
}

describe('sampling in rounds (stateless MCP)', () => {
  it('replays answered rounds, asks only the next question, and records each attempt once', async () => {
    const h = harness([], { validate: 'real' });
    const { result, questions, rounds } = await runRounds([fenced(INVALID_STAT_CARD_OUTPUT), fenced(VALID_STAT_CARD_OUTPUT)], h);
    expect(rounds).toBe(3);
    expect(result.attempts).toBe(2);
    expect(result.provenance.provider).toBe('mcp-sampling');
    // The second question is the repair turn: it carries the first answer and the findings.
    expect(questions).toHaveLength(2);
    expect(questions[1]!.messages).toHaveLength(3);
    expect(questions[1]!.messages[1]!.role).toBe('assistant');
    // One ledger line per answered attempt, never one per replay, and no reservation left held.
    expect(h.costs.records.map((record) => record.outcome)).toEqual(['invalid', 'success']);
    expect(h.costs.openReservations).toBe(0);
    expect(await h.cache.get(result.provenance.cacheKey)).toBeDefined();
  });

  it('refuses to replay an answer into a question that changed', async () => {
    const h = harness([], { validate: 'real' });
    const stale: SampledRound[] = [{ requestDigest: 'not-the-digest-of-this-question', result: fenced(VALID_STAT_CARD_OUTPUT) }];
    const providers = createProviderRegistry(generationConfig({ providers: ['mcp-sampling'] }), {}).forRequest({ sample: replayingSampler(stale).sample });
    // A stale fresh answer is refused the same way.
    const freshProviders = createProviderRegistry(generationConfig({ providers: ['mcp-sampling'] }), {}).forRequest({ sample: replayingSampler([], stale[0]).sample });
    await expect(generateTier2Component(STAT_CARD_REQUEST, { ...h.deps, providers: freshProviders })).rejects.toBeInstanceOf(SamplingReplayMismatch);
    await expect(generateTier2Component(STAT_CARD_REQUEST, { ...h.deps, providers })).rejects.toBeInstanceOf(SamplingReplayMismatch);
    expect(h.costs.records).toHaveLength(0);
    expect(h.costs.openReservations).toBe(0);
  });

  it('a first round asks one question and spends nothing', async () => {
    const h = harness([], { validate: 'real' });
    const providers = createProviderRegistry(generationConfig({ providers: ['mcp-sampling'] }), {}).forRequest({ sample: replayingSampler([]).sample });
    const error = await generateTier2Component(STAT_CARD_REQUEST, { ...h.deps, providers }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SamplingAnswerNeeded);
    expect((error as SamplingAnswerNeeded).request.messages[0]!.content.text).toContain('StatCard');
    expect(h.costs.records).toHaveLength(0);
    expect(h.costs.openReservations).toBe(0);
    expect(h.telemetry.snapshot().failures).toBe(0);
  });
});
