import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/**
 * RFC 8785 (JSON Canonicalization Scheme) text of `value`, through `canonicalize`: object keys
 * sorted by UTF-16 code unit, no whitespace, numbers and strings as `JSON.stringify` writes them,
 * so that equal values always give the same text and therefore the same hash. `toJSON` is
 * honoured and `undefined` and function properties are left out, as `JSON.stringify` does.
 * Values JSON cannot carry (non-finite numbers, bigints, lone UTF-16 surrogates, cycles) are
 * refused instead of silently becoming `null`, because a key computed from them would be ambiguous.
 * For every JSON value the text is the one dspec wrote before it used the library, so existing
 * cache keys still match (test/cache/canonical-json-keeps-existing-cache-keys.test.ts).
 */
export function canonicalJson(value: unknown): string {
  let text: string | undefined;
  try {
    text = canonicalize(value);
  } catch (error) {
    // The library's messages name the value ("Lone surrogate is not allowed", "NaN is not allowed", …).
    const reason = error instanceof Error ? error.message : String(error);
    throw new TypeError(`canonicalJson: ${reason}: the value has no RFC 8785 JSON form`, { cause: error });
  }
  if (text === undefined) throw new TypeError('canonicalJson: the value has no JSON form');
  return text;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The cache key of a generation: SHA-256 hex of the canonical JSON of everything that determines its output. */
export function cacheKeyOf(keyMaterial: Record<string, unknown>): string {
  return sha256Hex(canonicalJson(keyMaterial));
}

/** `provenance.generationHash` of a bundle: SHA-256 hex of its canonical JSON. */
export function hashBundle(bundle: unknown): string {
  return sha256Hex(canonicalJson(bundle));
}
