import { canonicalJson, sha256Hex } from '../../cache/canonical-json.js';
import type { SampleFunction, SamplingRequest, SamplingResult } from './mcp-sampling-provider.js';

/**
 * One answered sampling round: the digest of the request the pipeline made and the client's
 * answer. The digest lets a later round prove that the pipeline asked the same question again,
 * so an answer is never replayed into a generation that has changed in between.
 */
export interface SampledRound {
  requestDigest: string;
  result: SamplingResult;
}

/**
 * Thrown by a replaying sampler when the pipeline asks a question no earlier round answered:
 * the caller stops, sends `request` to the client (an MCP `input_required` result on
 * 2026-07-28) and runs the whole generation again once the answer is back.
 */
export class SamplingAnswerNeeded extends Error {
  constructor(
    readonly request: SamplingRequest,
    /** The rounds answered so far (all of them now in the ledger); the new answer is appended to them. */
    readonly answered: readonly SampledRound[],
  ) {
    super(`generation needs the client's model to answer sampling round ${answered.length + 1}`);
    this.name = 'SamplingAnswerNeeded';
  }
}

/** Thrown when a replayed round's request differs from the one its answer was given for. */
export class SamplingReplayMismatch extends Error {
  constructor(readonly round: number) {
    super(`sampling round ${round} asked a different question than the one the client answered; the generation changed between rounds, so it must start again without the earlier answers`);
    this.name = 'SamplingReplayMismatch';
  }
}

export function samplingRequestDigest(request: SamplingRequest): string {
  return sha256Hex(canonicalJson(request));
}

/**
 * A sampler for stateless protocols, where the server cannot wait for the client's answer
 * inside one request: generation runs from the start on every round, the rounds already
 * answered are replayed in order, and the first unanswered question ends the run with
 * `SamplingAnswerNeeded`. Generation is deterministic for the same answers (same prompts,
 * same validation, same repair feedback), so each run reaches the next question.
 *
 * `recorded` are the rounds of earlier runs, whose attempts are in the ledger already (they
 * come back marked `replayed`, so they are not billed twice); `fresh` is the answer that came
 * with this run, recorded as a new attempt when the pipeline reaches it.
 */
export function replayingSampler(recorded: readonly SampledRound[], fresh?: SampledRound): { sample: SampleFunction; replayedRounds: () => number } {
  const rounds = fresh ? [...recorded, fresh] : [...recorded];
  let next = 0;
  const answer = (request: SamplingRequest): SamplingResult => {
    const round = rounds[next];
    if (!round) throw new SamplingAnswerNeeded(request, rounds);
    if (round.requestDigest !== samplingRequestDigest(request)) throw new SamplingReplayMismatch(next + 1);
    const replayed = next < recorded.length;
    next++;
    return replayed ? { ...round.result, replayed: true } : round.result;
  };
  const sample: SampleFunction = (request) => new Promise((resolve) => resolve(answer(request)));
  return { sample, replayedRounds: () => next };
}
