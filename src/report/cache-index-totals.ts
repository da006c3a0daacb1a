import { isAscii } from 'node:buffer';
import { readFile } from 'node:fs/promises';

export interface CacheIndexTotals {
  entries: number;
  bytes: number;
  byModel: Map<string, number>;
}

/**
 * Entries, bytes and entries per model from `<home>/cache/index.jsonl` (last line per key
 * wins, as in `readIndex`). The page needs three fields, so lines written by our own writer
 * (flat JSON, keys in schema order, no backslash) are read with `indexOf` and a slice; any other
 * line gets `JSON.parse` and the same type checks. A torn or corrupt line is skipped, as
 * `readIndex` skips it.
 */
export async function readCacheIndexTotals(file: string): Promise<CacheIndexTotals | null> {
  let raw: Buffer;
  try {
    raw = await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  // Node 20's UTF-8 decoder is several times slower than a byte copy; for ASCII latin1 is the same text.
  const text = raw.toString(isAscii(raw) ? 'latin1' : 'utf8');
  const records = new Map<string, { model: string; bytes: number }>();
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    if (end - start >= 2) {
      const line = text.slice(start, end);
      const record = readFast(line) ?? readSlow(line);
      if (record) records.set(record.key, { model: record.model, bytes: record.bytes });
    }
    start = end + 1;
  }
  const byModel = new Map<string, number>();
  let bytes = 0;
  for (const record of records.values()) {
    bytes += record.bytes;
    byModel.set(record.model, (byModel.get(record.model) ?? 0) + 1);
  }
  return { entries: records.size, bytes, byModel };
}

interface Fields {
  key: string;
  model: string;
  bytes: number;
}

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * A strict reader for the flat objects our writer emits: `{"name":value,…}` with no
 * whitespace, string values without escapes, and numbers, booleans or null. It follows the
 * JSON grammar for that subset (a later duplicate name wins, as with JSON.parse), so a line it
 * accepts is one JSON.parse would accept with the same three fields. Anything else (nesting,
 * escapes, whitespace, a torn line) returns undefined and goes to `readSlow`.
 */
export function readFast(line: string): Fields | undefined {
  const length = line.length;
  if (line.charCodeAt(0) !== 0x7b) return undefined;
  let key: string | undefined;
  let model: string | undefined;
  let bytes: number | undefined;
  let i = 1;
  // `{}` and other shapes without the three fields are left to readSlow.
  for (;;) {
    // "name"
    if (line.charCodeAt(i) !== 0x22) return undefined;
    const nameEnd = stringEnd(line, i + 1);
    if (nameEnd === -1 || line.charCodeAt(nameEnd + 1) !== 0x3a) return undefined;
    const name = line.slice(i + 1, nameEnd);
    i = nameEnd + 2;
    // value
    const first = line.charCodeAt(i);
    let valueEnd: number;
    let stringValue: string | undefined;
    let numberValue: number | undefined;
    if (first === 0x22) {
      const end = stringEnd(line, i + 1);
      if (end === -1) return undefined;
      stringValue = line.slice(i + 1, end);
      valueEnd = end + 1;
    } else {
      valueEnd = i;
      while (valueEnd < length && line.charCodeAt(valueEnd) !== 0x2c && line.charCodeAt(valueEnd) !== 0x7d) valueEnd++;
      const token = line.slice(i, valueEnd);
      if (NUMBER.test(token)) numberValue = Number(token);
      else if (token !== 'true' && token !== 'false' && token !== 'null') return undefined;
    }
    if (name === 'key') key = stringValue;
    else if (name === 'model') model = stringValue;
    else if (name === 'bytes') bytes = numberValue;
    const next = line.charCodeAt(valueEnd);
    if (next === 0x7d) {
      if (valueEnd + 1 !== length) return undefined;
      break;
    }
    if (next !== 0x2c) return undefined;
    i = valueEnd + 1;
  }
  return key === undefined || model === undefined || bytes === undefined ? undefined : { key, model, bytes };
}

/** Index of the closing quote of a string starting at `from`, or -1 for an escape, a control character or no end. */
function stringEnd(line: string, from: number): number {
  for (let i = from; i < line.length; i++) {
    const code = line.charCodeAt(i);
    if (code === 0x22) return i;
    if (code === 0x5c || code < 0x20) return -1;
  }
  return -1;
}

export function readSlow(line: string): Fields | undefined {
  let raw: { key?: unknown; model?: unknown; bytes?: unknown };
  try {
    raw = JSON.parse(line) as typeof raw;
  } catch {
    return undefined;
  }
  if (raw === null || typeof raw !== 'object' || typeof raw.key !== 'string' || typeof raw.model !== 'string' || typeof raw.bytes !== 'number') return undefined;
  return { key: raw.key, model: raw.model, bytes: raw.bytes };
}
