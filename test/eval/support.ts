import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/infra/config.js';
import type { AnthropicStep } from '../fakes/fake-anthropic-server.js';
import { designSystemFailure, schemaFailure, validAnswer } from './fixtures/answers.mjs';

/** The three scripted behaviours of a spec's trial, and the fake answers each one takes. */
export type Behaviour = 'passes' | 'one-repair' | 'never';

/** Tokens the fake reports per answer: with claude-sonnet-4-6 at $3 / $15 per million, one call costs $0.0105. */
export const USAGE = { input_tokens: 1000, output_tokens: 500, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
export const COST_PER_CALL = 0.0105;

export function stepsFor(name: string, behaviour: Behaviour): AnthropicStep[] {
  const step = (input: unknown): AnthropicStep => ({ kind: 'tool', input, usage: USAGE });
  if (behaviour === 'passes') return [step(validAnswer(name))];
  if (behaviour === 'one-repair') return [step(designSystemFailure(name)), step(validAnswer(name))];
  return [step(schemaFailure(name)), step(designSystemFailure(name)), step(designSystemFailure(name))];
}

export const CALLS: Record<Behaviour, number> = { passes: 1, 'one-repair': 2, never: 3 };

export function fakeEnv(baseURL: string): NodeJS.ProcessEnv {
  return { ANTHROPIC_API_KEY: 'sk-ant-test-eval', ANTHROPIC_BASE_URL: baseURL, DSPEC_PROVIDER: 'anthropic', DSPEC_MODEL: 'claude-sonnet-4-6', DSPEC_LOG_LEVEL: 'silent' };
}

export function scratch(prefix = 'dspec-eval-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export function writeSuite(dir: string, specs: Array<{ name: string; tags?: string[] }>): string {
  const file = path.join(dir, 'suite.json');
  writeFileSync(file, JSON.stringify(specs.map((spec) => ({ name: spec.name, description: `A ${spec.name} for the eval tests.`, tags: spec.tags ?? ['test'] }))));
  return file;
}

export function testConfig(cwd: string, baseURL: string) {
  return loadConfig({ cwd, env: fakeEnv(baseURL), flags: { generation: { retry: { baseDelayMs: 1, maxDelayMs: 5 } } } });
}
