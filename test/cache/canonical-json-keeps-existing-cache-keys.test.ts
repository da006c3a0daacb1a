import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cacheKeyOf, canonicalJson, hashBundle, sha256Hex } from '../../src/cache/canonical-json.js';
import { loadCatalog, readComponentFiles } from '../../src/catalog/catalog.js';
import { gateFingerprintDetails } from '../../src/generation/pipeline/gate-fingerprint.js';

/**
 * The canonical JSON dspec wrote before it used `canonicalize` (RFC 8785), frozen here. Cache keys
 * and generation hashes are SHA-256 of this text, so a user's cache stays reachable only while the
 * library writes exactly the same text for every input the cache hashes.
 */
function canonicalJsonBeforeTheLibrary(value: unknown): string {
  const text = serialise(value, new Set());
  if (text === undefined) throw new TypeError('no JSON form');
  return text;
}

function serialise(value: unknown, seen: Set<object>): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${value} has no JSON form`);
      return JSON.stringify(value);
    case 'bigint':
      throw new TypeError('a bigint has no JSON form');
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    default:
      break;
  }
  const object = value as { toJSON?: () => unknown };
  if (typeof object.toJSON === 'function') return serialise(object.toJSON(), seen);
  if (seen.has(object)) throw new TypeError('circular');
  seen.add(object);
  try {
    if (Array.isArray(object)) return `[${object.map((item) => serialise(item, seen) ?? 'null').join(',')}]`;
    const parts: string[] = [];
    for (const key of Object.keys(object).sort()) {
      const text = serialise((object as Record<string, unknown>)[key], seen);
      if (text !== undefined) parts.push(`${JSON.stringify(key)}:${text}`);
    }
    return `{${parts.join(',')}}`;
  } finally {
    seen.delete(object);
  }
}

function expectSameText(value: unknown): void {
  expect(canonicalJson(value)).toBe(canonicalJsonBeforeTheLibrary(value));
}

function jsonFilesUnder(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return jsonFilesUnder(file);
    return name.endsWith('.json') ? [file] : [];
  });
}

describe('canonical JSON through canonicalize (RFC 8785) keeps every existing cache key', () => {
  it('pins a cache key computed before the library: the same key material still gives the same key', () => {
    const keyMaterial = {
      kind: 'dspec/tier2-component',
      spec: { name: 'PriceTag', description: 'Prix réduit — 20 % 🎉', props: { amount: 1.5, big: 1e21, tiny: 1e-7, whole: 1.0, negativeZero: -0 } },
      prompt: { id: 'component', version: 'v3', hash: 'abc' },
      provider: 'anthropic',
      model: 'claude-sonnet-4-6',
      parameters: { maxTokens: 8000, maxTokensCeiling: 16000, maxAttempts: 3, tool: 'emit_component' },
      gateFingerprint: 'f'.repeat(64),
      themeHash: null,
      é: 1,
      'e\u0301': 2,
      日本: 3,
      '😀': 4,
      '\uffff': 5,
      Z: 6,
    };
    expect(canonicalJson(keyMaterial)).toBe(canonicalJsonBeforeTheLibrary(keyMaterial));
    expect(cacheKeyOf(keyMaterial)).toBe('2473e0f1085951c35ac7b12f14e9146c02cd450c927fc43d08cf34a606e07942');
  });

  it('writes the same text for the numbers and strings JSON can hold', () => {
    for (const number of [0, -0, 1.0, 1.5, 0.1 + 0.2, 1e21, 1e-7, 123456789012345680000, 2 ** 53, -(2 ** 53), 5e-324, 1.7976931348623157e308, 100, 1e6]) {
      expectSameText({ number });
    }
    for (const text of ['', 'plain', '"quoted"\\', '\u0000\u0001\u001f\u007f', '\b\f\n\r\t', '\u2028\u2029', 'é e\u0301', '😀 👩‍👩‍👧', '\ud83d\ude00', '<script>&amp;']) {
      expectSameText({ [text]: text, list: [text] });
    }
  });

  it('writes the same text for the real gate fingerprint, the catalog and every catalog component as a bundle', async () => {
    const { parts } = await gateFingerprintDetails();
    expectSameText({ kind: 'dspec/gate-fingerprint', ...parts });
    const catalog = await loadCatalog();
    expect(catalog.components.size).toBeGreaterThan(0);
    for (const entry of catalog.components.values()) {
      const files = await readComponentFiles(catalog, entry);
      const bundle = { name: entry.meta.name, files: files.map((file) => ({ path: file.path, contents: file.contents })), dependencies: {} };
      expect(hashBundle(bundle)).toBe(sha256Hex(canonicalJsonBeforeTheLibrary(bundle)));
      expectSameText({ meta: entry.meta });
    }
  });

  it('writes the same text for every eval spec, theme and screen the project and its shared fixtures hold', () => {
    const files = [...jsonFilesUnder('evals'), ...jsonFilesUnder('test/fixtures'), ...jsonFilesUnder('examples'), ...jsonFilesUnder('../shared/fixtures')];
    let compared = 0;
    for (const file of files) {
      let value: unknown;
      try {
        value = JSON.parse(readFileSync(file, 'utf8'));
      } catch {
        continue; // a deliberately malformed fixture
      }
      expectSameText(value);
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(5);
  });

  it('writes the same text for any JSON value, unicode keys and strings included', () => {
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: 'grapheme', maxDepth: 4 }), (value) => {
        expect(canonicalJson(value)).toBe(canonicalJsonBeforeTheLibrary(value));
      }),
      { numRuns: 500 },
    );
  });

  it('refuses, naming the reason, what the old function refused, and now a lone surrogate (RFC 8785 cannot carry it)', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(/NaN is not allowed/);
    expect(() => canonicalJson({ n: Number.POSITIVE_INFINITY })).toThrow(/Infinity is not allowed/);
    expect(() => canonicalJson({ n: 1n })).toThrow(/BigInt/);
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => canonicalJson(circular)).toThrow(/Circular/);
    expect(() => canonicalJson({ text: 'half \ud800 a pair' })).toThrow(/canonicalJson: Lone surrogate is not allowed/);
    expect(() => canonicalJson(undefined)).toThrow(/no JSON form/);
  });
});
