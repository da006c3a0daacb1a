import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CacheEntry } from '../../src/cache/cache-entry.js';
import { cacheKeyOf, hashBundle } from '../../src/cache/canonical-json.js';
import { BundleSchema } from '../../src/shapes/bundle.js';

export function tempHome(prefix = 'dspec-cache-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** A valid entry whose key and generation hash are computed the way generation must compute them. */
export function makeEntry(options: { component?: string; seed?: number | string; model?: string; provider?: string; createdAt?: string; cost?: number | null } = {}): CacheEntry {
  const component = options.component ?? 'Button';
  const keyMaterial = { component, spec: { variant: 'primary', seed: options.seed ?? 1 }, promptVersion: 'v1', model: options.model ?? 'claude-sonnet-4-6' };
  const key = cacheKeyOf(keyMaterial);
  const value = BundleSchema.parse({
    name: component,
    files: [{ path: `${component}.tsx`, contents: `export function ${component}() { return <button type="button">${String(options.seed ?? 1)}</button>; }\n` }],
    dependencies: {},
  });
  const createdAt = options.createdAt ?? '2026-11-20T10:00:00.000Z';
  return {
    key,
    component,
    keyMaterial,
    value,
    provenance: {
      specHash: 'spec',
      promptId: 'component',
      promptVersion: 'v1',
      promptHash: 'p',
      provider: options.provider ?? 'anthropic',
      model: options.model ?? 'claude-sonnet-4-6',
      generationHash: hashBundle(value),
      cacheKey: key,
      timestamp: createdAt,
      dspecVersion: '0.1.0',
      attempts: 1,
      validatorVersion: '1',
      catalogVersion: '1',
      themeHash: null,
    },
    usage: { inputTokens: 3000, outputTokens: 1200, cacheWriteTokens: 0, cacheReadTokens: 0 },
    cost: options.cost === undefined ? 0.027 : options.cost,
    createdAt,
  };
}

export function recordingLogger() {
  const warnings: Array<{ details: Record<string, unknown>; message: string }> = [];
  return { warnings, warn: (details: Record<string, unknown>, message: string) => void warnings.push({ details, message }) };
}
