import { readFile } from 'node:fs/promises';
import { forEachLineOf } from '../infra/buffer-lines.js';

export interface CacheIndexTotals {
  entries: number;
  bytes: number;
  byModel: Map<string, number>;
}

/**
 * Entries, bytes and entries per model from `<home>/cache/index.jsonl` (last line per key
 * wins, as in `readIndex`). The page needs three fields, so lines in our writer's own shape
 * are read with one regular expression; any other line gets `JSON.parse` and the same type
 * checks. A torn or corrupt line is skipped, as `readIndex` skips it.
 */
export async function readCacheIndexTotals(file: string): Promise<CacheIndexTotals | null> {
  let raw: Buffer;
  try {
    raw = await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  // key → slot in the two arrays (no object per entry); a later line for a key overwrites its slot.
  const slots = new Map<string, number>();
  const models: string[] = [];
  const sizes: number[] = [];
  forEachLineOf(raw, raw.length, (line) => {
    if (line.length < 2) return;
    const record = readFast(line) ?? readSlow(line);
    if (!record) return;
    const slot = slots.get(record.key);
    if (slot === undefined) {
      slots.set(record.key, models.length);
      models.push(record.model);
      sizes.push(record.bytes);
    } else {
      models[slot] = record.model;
      sizes[slot] = record.bytes;
    }
  });
  const byModel = new Map<string, number>();
  let bytes = 0;
  for (let slot = 0; slot < models.length; slot++) {
    bytes += sizes[slot]!;
    byModel.set(models[slot]!, (byModel.get(models[slot]!) ?? 0) + 1);
  }
  return { entries: slots.size, bytes, byModel };
}

interface Fields {
  key: string;
  model: string;
  bytes: number;
}

/** A string value without escapes or control characters: its text is its value. */
const PLAIN = '[^"\\\\\\x00-\\x1f]*';
/**
 * Exactly the line `appendIndexRecord` writes (JSON.stringify of CacheIndexRecord, keys in
 * schema order) when no string needs an escape. It is a subset of the JSON grammar, so a line
 * it matches is one JSON.parse reads with the same key, model and bytes. One regular
 * expression is several times faster than JSON.parse or a hand-written tokenizer here.
 */
const WRITTEN_LINE = new RegExp(
  `^\\{"key":"([0-9a-f]{64})","component":"${PLAIN}","model":"(${PLAIN})","provider":"${PLAIN}","bytes":(0|[1-9]\\d{0,14}),` +
    `"createdAt":"${PLAIN}","cost":(?:null|-?(?:0|[1-9]\\d*)(?:\\.\\d+)?(?:[eE][+-]?\\d+)?)\\}$`,
);

/** The three fields of a line in the writer's own shape; undefined sends the line to `readSlow`. */
export function readFast(line: string): Fields | undefined {
  const match = WRITTEN_LINE.exec(line);
  return match ? { key: match[1]!, model: match[2]!, bytes: Number(match[3]) } : undefined;
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
