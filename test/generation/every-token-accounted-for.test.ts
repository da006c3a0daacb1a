import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/errors.js';
import { generateTier2Component, type GenerationProgress } from '../../src/generation/pipeline/generate-component.js';
import Anthropic from '@anthropic-ai/sdk';
import { classifySdkError, ProviderCallError } from '../../src/generation/providers/provider.js';
import { loadConfig } from '../../src/infra/config.js';
import { INVALID_STAT_CARD_OUTPUT, VALID_STAT_CARD_OUTPUT } from './fixtures/stat-card.mjs';
import { ScriptedProvider, toolAnswer, usage } from './scripted-provider.js';
import { generationConfig, harness, STAT_CARD_REQUEST } from './support.js';

// Fake prices (RecordingCostTracker): claude-test $3 / $15 per million tokens; local-model free.
const price = (input: number, output: number) => (input * 3 + output * 15) / 1e6;

describe('every token accounted for', () => {
  it('a timed-out attempt is recorded with the usage the vendor reported, and counts in the result', async () => {
    const provider = new ScriptedProvider('anthropic', 'claude-test', [
      () => {
        throw new ProviderCallError('No bytes for 60000 ms.', { category: 'timeout', retryable: true, usage: usage(2000, 700) });
      },
      () => toolAnswer(VALID_STAT_CARD_OUTPUT, usage(2000, 900)),
    ]);
    const h = harness([provider]);
    const result = await generateTier2Component(STAT_CARD_REQUEST, h.deps);
    expect(h.costs.records.map((r) => [r.outcome, r.errorCategory ?? null, r.outputTokens])).toEqual([
      ['error', 'timeout', 700],
      ['success', null, 900],
    ]);
    expect(h.costs.records[0]!.totalCost).toBeCloseTo(price(2000, 700), 12);
    expect(result.usage).toMatchObject({ inputTokens: 4000, outputTokens: 1600 });
    expect(result.cost).toBeCloseTo(price(4000, 1600), 6);
    expect(result.attempts).toBe(1); // one attempt, one transport retry inside it
  });

  it('a cancelled attempt is billed in the ledger and in the error the caller gets', async () => {
    const provider = new ScriptedProvider('anthropic', 'claude-test', [
      () => {
        throw new ProviderCallError('The request was cancelled.', { category: 'aborted', retryable: false, usage: usage(1500, 321), requestId: 'req_cancelled' });
      },
    ]);
    const h = harness([provider]);
    const error = await generateTier2Component(STAT_CARD_REQUEST, h.deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(h.costs.records).toHaveLength(1);
    expect(h.costs.records[0]).toMatchObject({ outcome: 'error', errorCategory: 'aborted', inputTokens: 1500, outputTokens: 321, requestId: 'req_cancelled' });
    expect((error as ProviderError).context).toMatchObject({ attempts: 1, usage: { inputTokens: 1500, outputTokens: 321 } });
    expect((error as ProviderError).context?.costUsd).toBeCloseTo(price(1500, 321), 9);
  });

  it('a provider failing mid-repair hands the repair over: the next one continues from the findings, the first one’s invalid answer is kept, and totals cover both', async () => {
    const first = new ScriptedProvider('anthropic', 'claude-test', [
      () => toolAnswer(INVALID_STAT_CARD_OUTPUT, usage(3000, 1000), 'req_a1'),
      () => {
        throw new ProviderCallError('The provider answered HTTP 500 (server).', { category: 'server', retryable: false, status: 500, usage: usage(3500, 200), requestId: 'req_a2' });
      },
    ]);
    const second = new ScriptedProvider('openai-compatible', 'local-model', [() => toolAnswer(VALID_STAT_CARD_OUTPUT, usage(4000, 1100), 'req_b1')]);
    const h = harness([first, second]);
    const result = await generateTier2Component(STAT_CARD_REQUEST, h.deps);

    // The second provider was asked to repair, not to start over: the previous answer (as text,
    // since a tool-call id means nothing to another vendor) and the gate's findings.
    const handedOver = second.calls[0]!.repair;
    expect(handedOver?.previous).toEqual({ kind: 'text', text: JSON.stringify(INVALID_STAT_CARD_OUTPUT) });
    expect(handedOver?.feedback).toMatch(/#123456|colour/i);
    expect(first.calls[1]!.repair?.previous).toMatchObject({ kind: 'tool' });

    // The first provider's invalid answer is on disk.
    const kept = readdirSync(h.failedDir);
    expect(kept).toHaveLength(1);
    const dump = JSON.parse(readFileSync(path.join(h.failedDir, kept[0]!), 'utf8'));
    expect(dump).toMatchObject({ provider: 'anthropic', model: 'claude-test' });
    expect(dump.attempts).toHaveLength(1);
    expect(dump.attempts[0].output.styles).toContain('#123456');

    // Attempts, usage and cost cover every provider called.
    expect(h.costs.records.map((r) => [r.provider, r.attempt, r.outcome])).toEqual([
      ['anthropic', 1, 'invalid'],
      ['anthropic', 2, 'error'],
      ['openai-compatible', 2, 'success'],
    ]);
    expect(result.attempts).toBe(3);
    expect(result.provenance.attempts).toBe(3);
    expect(result.usage).toMatchObject({ inputTokens: 10_500, outputTokens: 2300 });
    expect(result.cost).toBeCloseTo(price(6500, 1200), 6); // the local model is free
    expect(result.notices.join()).toMatch(/anthropic \(claude-test\) failed \(server\); falling back to openai-compatible/);
  });

  it('with the attempts used up across providers, the failure reports every provider’s spend', async () => {
    const first = new ScriptedProvider('anthropic', 'claude-test', [
      () => toolAnswer(INVALID_STAT_CARD_OUTPUT, usage(1000, 100)),
      () => {
        throw new ProviderCallError('The provider answered HTTP 401 (auth).', { category: 'auth', retryable: false, status: 401 });
      },
    ]);
    const second = new ScriptedProvider('openai-compatible', 'local-model', [() => toolAnswer(INVALID_STAT_CARD_OUTPUT, usage(1000, 100))]);
    const h = harness([first, second], { config: generationConfig({ maxAttempts: 2 }) });
    const error = await generateTier2Component(STAT_CARD_REQUEST, h.deps).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/failed validation after 2 attempts/);
    expect((error as ProviderError).context).toMatchObject({ attempts: 3, usage: { inputTokens: 2000, outputTokens: 200 } });
    expect(
      readdirSync(h.failedDir)
        .sort()
        .map((name) => name.replace(/^.*StatCard-/, '')),
    ).toEqual(['anthropic.json', 'openai-compatible.json']);
  });

  it("a provider error quotes the vendor's own message and request id, then our hint for its category", async () => {
    const vendorMessage = "tools.0.custom.input_schema: For 'string' type, property 'maxLength' is not supported";
    const provider = new ScriptedProvider('anthropic', 'claude-test', [
      () => {
        throw new ProviderCallError('The provider answered HTTP 400 (bad_request).', { category: 'bad_request', retryable: false, status: 400, requestId: 'req_011CXY', vendorMessage });
      },
    ]);
    const h = harness([provider]);
    const error = (await generateTier2Component(STAT_CARD_REQUEST, h.deps).catch((e: unknown) => e)) as ProviderError;
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.message).toContain(`"${vendorMessage}"`);
    expect(error.message).toContain('request id req_011CXY');
    expect(error.message.indexOf(vendorMessage)).toBeLessThan(error.message.indexOf('req_011CXY'));
    expect(error.suggestion).toMatch(/names what it objected to/);
    expect(error.context).toMatchObject({ status: 400, requestId: 'req_011CXY', vendorMessage });
  });

  it('quotes the vendor message and request id once when the call error, as the SDK path builds it, already quotes them', async () => {
    const vendorMessage = 'max_tokens: 64000 > 32000, which is the maximum allowed number of output tokens for claude-test';
    // What the SDK throws for an HTTP 400, turned into a call error by the providers' own classifier.
    const sdkError = Anthropic.APIError.generate(400, { type: 'error', error: { type: 'invalid_request_error', message: vendorMessage } }, undefined, new Headers({ 'request-id': 'req_011CXZ' }));
    const provider = new ScriptedProvider('anthropic', 'claude-test', [
      () => {
        throw classifySdkError(sdkError, Anthropic);
      },
    ]);
    const error = (await generateTier2Component(STAT_CARD_REQUEST, harness([provider]).deps).catch((e: unknown) => e)) as ProviderError;
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.message.split(vendorMessage).length - 1).toBe(1);
    expect(error.message.split('req_011CXZ').length - 1).toBe(1);
  });
});

describe('streaming hooks', () => {
  it('passes the configured idle timeout to every call and reports tokens while the answer streams', async () => {
    const provider = new ScriptedProvider('anthropic', 'claude-test', [
      (call) => {
        for (const outputTokens of [12, 40, 140, 150, 900]) call.onStream?.({ outputTokens });
        return toolAnswer(VALID_STAT_CARD_OUTPUT, usage(1000, 900));
      },
    ]);
    const h = harness([provider], { config: generationConfig({ idleTimeoutMs: 1234 }) });
    const events: GenerationProgress[] = [];
    await generateTier2Component({ ...STAT_CARD_REQUEST, onProgress: (event) => events.push(event) }, h.deps);
    expect(provider.calls[0]!.idleTimeoutMs).toBe(1234);
    const streaming = events.filter((event) => event.stage === 'streaming');
    // Every 64 tokens at most, so a fast stream does not flood the client.
    expect(streaming.map((event) => event.outputTokens)).toEqual([12, 140, 900]);
    expect(streaming[0]).toMatchObject({ attempt: 1, provider: 'anthropic', model: 'claude-test' });
    expect(streaming[2]!.message).toMatch(/900 tokens received/);
    expect(events.map((event) => event.stage)).toEqual(['calling', 'streaming', 'streaming', 'streaming', 'validating', 'done']);
  });

  it('a stream that stalls past the idle timeout is retried, and the stalled try is recorded with what it streamed', async () => {
    const provider = new ScriptedProvider('anthropic', 'claude-test', [
      (call) => {
        call.onStream?.({ outputTokens: 300 });
        throw new ProviderCallError(`No bytes for ${call.idleTimeoutMs} ms.`, { category: 'timeout', retryable: true, usage: usage(1000, 300) });
      },
      () => toolAnswer(VALID_STAT_CARD_OUTPUT, usage(1000, 800)),
    ]);
    const h = harness([provider], { config: generationConfig({ idleTimeoutMs: 50 }) });
    const result = await generateTier2Component(STAT_CARD_REQUEST, h.deps);
    expect(h.costs.records.map((r) => [r.outcome, r.retry, r.outputTokens])).toEqual([
      ['error', 0, 300],
      ['success', 1, 800],
    ]);
    expect(result.usage.outputTokens).toBe(1100);
  });

  it('reads the idle timeout from DSPEC_IDLE_TIMEOUT_MS', () => {
    expect(loadConfig({ cwd: h0(), env: { DSPEC_IDLE_TIMEOUT_MS: '2500' } }).generation.idleTimeoutMs).toBe(2500);
    expect(loadConfig({ cwd: h0(), env: {} }).generation.idleTimeoutMs).toBe(60_000);
  });
});

function h0(): string {
  return harness([]).failedDir;
}
