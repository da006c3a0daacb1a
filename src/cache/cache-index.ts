import { readFile } from 'node:fs/promises';
import { forEachLineOf } from '../infra/buffer-lines.js';
import * as z from 'zod';
import { appendLine } from '../infra/append-line.js';
import { writeFileAtomic } from '../infra/atomic-write.js';

/**
 * One line of `<home>/cache/index.jsonl`, appended on every `set`. The entry files are the
 * truth; the index is a cache of their metadata so that stats and listings need not open
 * 100,000 files. Removals are not logged: `clear` and compaction rewrite the index atomically,
 * and every reader reconciles the index with the directory listing (see FileCache).
 */
export const CacheIndexRecordSchema = z.object({
  key: z.string().regex(/^[0-9a-f]{64}$/),
  component: z.string(),
  model: z.string(),
  provider: z.string(),
  bytes: z.number().int().min(0),
  createdAt: z.string(),
  cost: z.number().nullable(),
});
export type CacheIndexRecord = z.infer<typeof CacheIndexRecordSchema>;

export interface IndexSnapshot {
  /** Last record per key, in file order. */
  records: Map<string, CacheIndexRecord>;
  lines: number;
  /** Torn or corrupt lines (e.g. from a writer killed mid-append): skipped, never fatal. */
  corruptLines: number;
}

/** One index line per stored entry; see `appendLine` for why concurrent appends stay whole. */
export async function appendIndexRecord(indexFile: string, record: CacheIndexRecord): Promise<void> {
  await appendLine(indexFile, JSON.stringify(record));
}

export async function readIndex(indexFile: string): Promise<IndexSnapshot | undefined> {
  let raw: Buffer;
  try {
    raw = await readFile(indexFile);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const records = new Map<string, CacheIndexRecord>();
  let lines = 0;
  let corruptLines = 0;
  forEachLineOf(raw, raw.length, (line) => {
    if (line.charCodeAt(0) !== 0x7b && line.trim() === '') return; // a record line starts with "{": no trim for it
    lines++;
    const record = parseIndexLine(line);
    if (record) {
      // Re-inserting moves a key to the end, so iteration order stays "last written last".
      records.delete(record.key);
      records.set(record.key, record);
    } else {
      corruptLines++;
    }
  });
  return { records, lines, corruptLines };
}

/**
 * One index line → record, or undefined when it is torn or not a record. The line our own
 * writer emits (see `readWrittenIndexLine`) is read without JSON.parse; any other goes through
 * JSON.parse and the schema, which decides.
 */
export function parseIndexLine(line: string): CacheIndexRecord | undefined {
  return readWrittenIndexLine(line) ?? parseIndexLineWithSchema(line);
}

export function parseIndexLineWithSchema(line: string): CacheIndexRecord | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return undefined;
  }
  const parsed = CacheIndexRecordSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

/** A string value without escapes or control characters: its text is its value. */
const PLAIN = '([^"\\\\\\x00-\\x1f]*)';
/**
 * Exactly the line `appendIndexRecord` writes (JSON.stringify of a record, keys in schema
 * order) when no string needs an escape. It is a subset of the JSON grammar, so a line it
 * matches is one JSON.parse reads to the same values. One regular expression is several times
 * faster than JSON.parse and the schema over 100,000 lines.
 */
const WRITTEN_LINE = new RegExp(
  `^\\{"key":"([0-9a-f]{64})","component":"${PLAIN}","model":"${PLAIN}","provider":"${PLAIN}","bytes":(0|[1-9]\\d{0,14}),` +
    `"createdAt":"${PLAIN}","cost":(null|-?(?:0|[1-9]\\d*)(?:\\.\\d+)?(?:[eE][+-]?\\d+)?)\\}$`,
);

/** The fast path of `parseIndexLine`: a record when the line is in the writer's own shape, else undefined (not a verdict). */
export function readWrittenIndexLine(line: string): CacheIndexRecord | undefined {
  const match = WRITTEN_LINE.exec(line);
  if (!match) return undefined;
  const cost = match[7] === 'null' ? null : Number(match[7]);
  // 1e999 reads as Infinity, which the schema refuses: let it decide.
  if (cost !== null && !Number.isFinite(cost)) return undefined;
  return { key: match[1]!, component: match[2]!, model: match[3]!, provider: match[4]!, bytes: Number(match[5]), createdAt: match[6]!, cost };
}

/** Replaces the whole index with these records (temp file + fsync + rename). */
export async function rewriteIndex(indexFile: string, records: Iterable<CacheIndexRecord>): Promise<void> {
  const lines: string[] = [];
  for (const record of records) lines.push(JSON.stringify(record));
  await writeFileAtomic(indexFile, lines.length ? `${lines.join('\n')}\n` : '');
}
