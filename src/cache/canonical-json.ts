import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted (by UTF-16 code unit, as `Array.prototype.sort` does) and no
 * whitespace, so that equal values always give the same text and therefore the same hash.
 * Follows `JSON.stringify` for everything else: `toJSON` is honoured, `undefined` and function
 * properties are left out. Values JSON cannot carry (non-finite numbers, bigints) are refused
 * instead of silently becoming `null`, because a key computed from them would be ambiguous.
 */
export function canonicalJson(value: unknown): string {
  const text = serialise(value, new Set());
  if (text === undefined) throw new TypeError('canonicalJson: the value has no JSON form');
  return text;
}

function serialise(value: unknown, seen: Set<object>): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} has no JSON form`);
      return JSON.stringify(value);
    case 'bigint':
      throw new TypeError('canonicalJson: a bigint has no JSON form');
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    default:
      break;
  }
  const object = value as { toJSON?: () => unknown };
  if (typeof object.toJSON === 'function') return serialise(object.toJSON(), seen);
  if (seen.has(object)) throw new TypeError('canonicalJson: the value is circular');
  seen.add(object);
  try {
    if (Array.isArray(object)) {
      return `[${object.map((item) => serialise(item, seen) ?? 'null').join(',')}]`;
    }
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
