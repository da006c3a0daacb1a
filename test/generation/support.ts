import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { configSchema, type GenerationConfig } from '../../src/infra/config.js';
import { createSilentLogger } from '../../src/infra/logger.js';
import { CircuitBreakerRegistry } from '../../src/generation/providers/circuit-breaker.js';
import type { GenerationDeps, GenerationRequest, ValidateFunction } from '../../src/generation/pipeline/generate-component.js';
import type { GenerationProvider } from '../../src/generation/providers/provider.js';
import { GenerationTelemetry } from '../../src/generation/pipeline/telemetry.js';
import { finding } from '../../src/shapes/finding.js';
import type { ValidationResult } from '../../src/validation/validate-bundle.js';
import { FakeClock } from '../fakes/fake-clock.js';
import { InMemoryContentCache } from '../fakes/in-memory-content-cache.js';
import { RecordingCostTracker } from '../fakes/recording-cost-tracker.js';
import { STAT_CARD_THEME_VARIABLES } from './fixtures/stat-card.mjs';
import { testGate } from '../helpers/test-gate.js';

export const TEST_GATE_FINGERPRINT = 'test-gate-fingerprint';

export const PROMPTS_DIR = path.resolve(import.meta.dirname, '../../prompts');

export function generationConfig(overrides: Record<string, unknown> = {}): GenerationConfig {
  return configSchema().parse({ generation: { retry: { baseDelayMs: 10, maxDelayMs: 80 }, timeoutMs: 5000, ...overrides } }).generation;
}

export const THEME = { variables: STAT_CARD_THEME_VARIABLES, hash: 'theme-hash-stat-card' };

export const STAT_CARD_REQUEST: GenerationRequest = {
  name: 'StatCard',
  description: 'A card showing one key figure with its label and its change against the previous period.',
  props: { label: { type: 'string', required: true }, value: { type: 'string', required: true }, change: { type: 'number' } },
  theme: THEME,
};

/**
 * A gate stand-in for tests whose point is not validation: a bundle is invalid when its
 * stylesheet holds a hex colour, as the real gate would also say.
 */
export const stubValidate: ValidateFunction = async (bundle): Promise<ValidationResult> => {
  const files = (bundle as { files: Array<{ path: string; contents: string }> }).files;
  const css = files.find((f) => f.path.endsWith('.module.css'));
  const hex = css?.contents.match(/#[0-9a-fA-F]{3,8}\b/);
  const errors = hex
    ? [finding({ layer: 'design-system', severity: 'error', code: 'colour-literal', message: `hard-coded colour ${hex[0]}`, file: css!.path, line: 1, column: 1, suggestion: 'Use a theme variable.' })]
    : [];
  return { valid: errors.length === 0, errors, warnings: [], durationMs: 0, layersRun: ['schema'] };
};

export interface TestHarness {
  deps: GenerationDeps;
  cache: InMemoryContentCache;
  costs: RecordingCostTracker;
  clock: FakeClock;
  telemetry: GenerationTelemetry;
  breakers: CircuitBreakerRegistry;
  failedDir: string;
}

export function harness(providers: GenerationProvider[], options: { config?: GenerationConfig; validate?: ValidateFunction | 'real'; budgetUsd?: number } = {}): TestHarness {
  const config = options.config ?? generationConfig();
  const clock = new FakeClock();
  const cache = new InMemoryContentCache();
  const costs = new RecordingCostTracker(options.budgetUsd);
  const telemetry = new GenerationTelemetry();
  const breakers = new CircuitBreakerRegistry(config.breaker, clock);
  const failedDir = path.join(mkdtempSync(path.join(tmpdir(), 'dspec-gen-')), 'failed');
  const deps: GenerationDeps = {
    providers,
    cache,
    costs,
    logger: createSilentLogger(),
    clock,
    failedDir,
    config,
    promptsDir: PROMPTS_DIR,
    // Derived in production (gate-fingerprint.ts, tested on its own); fixed here to spare each file the tool imports.
    gateFingerprint: TEST_GATE_FINGERPRINT,
    breakers,
    telemetry,
    validate: options.validate === 'real' ? testGate().validate : (options.validate ?? stubValidate),
  };
  return { deps, cache, costs, clock, telemetry, breakers, failedDir };
}
