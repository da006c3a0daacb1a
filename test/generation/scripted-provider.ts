import type { Usage } from '../../src/cache/cache-entry.js';
import type { GenerationProvider, ProviderAnswer, ProviderCall } from '../../src/generation/providers/provider.js';

export type ScriptStep = (call: ProviderCall) => ProviderAnswer | Promise<ProviderAnswer>;

/**
 * An in-process provider that plays a script, one step per call: a step may stream (call
 * `call.onStream`), answer, or throw a ProviderCallError with the usage a vendor reported. It
 * keeps every call so a test can see what the generation layer sent.
 */
export class ScriptedProvider implements GenerationProvider {
  readonly calls: ProviderCall[] = [];

  constructor(
    readonly id: string,
    readonly model: string,
    private readonly script: ScriptStep[],
  ) {}

  async generate(call: ProviderCall): Promise<ProviderAnswer> {
    this.calls.push(call);
    const step = this.script.shift();
    if (!step) throw new Error(`${this.id}: the script has no step for call ${this.calls.length}`);
    return step(call);
  }

  health() {
    return { provider: this.id, model: this.model, configured: true, detail: 'scripted' };
  }
}

export function usage(inputTokens: number, outputTokens: number): Usage {
  return { inputTokens, outputTokens, cacheWriteTokens: 0, cacheReadTokens: 0 };
}

/** A forced-tool answer carrying `output`. */
export function toolAnswer(output: unknown, tokens: Usage, requestId = 'req_scripted'): ProviderAnswer {
  return { output, answer: { kind: 'tool', toolCallId: `call_${requestId}`, input: output }, stop: 'complete', usage: tokens, requestId };
}
