import { readFile } from 'node:fs/promises';
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
  let text: string;
  try {
    text = await readFile(indexFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const records = new Map<string, CacheIndexRecord>();
  let lines = 0;
  let corruptLines = 0;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const line = text.slice(start, end);
    start = end + 1;
    if (line.trim() === '') continue;
    lines++;
    const record = parseIndexLine(line);
    if (record) {
      // Re-inserting moves a key to the end, so iteration order stays "last written last".
      records.delete(record.key);
      records.set(record.key, record);
    } else {
      corruptLines++;
    }
  }
  return { records, lines, corruptLines };
}

function parseIndexLine(line: string): CacheIndexRecord | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return undefined;
  }
  const parsed = CacheIndexRecordSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

/** Replaces the whole index with these records (temp file + fsync + rename). */
export async function rewriteIndex(indexFile: string, records: Iterable<CacheIndexRecord>): Promise<void> {
  const lines: string[] = [];
  for (const record of records) lines.push(JSON.stringify(record));
  await writeFileAtomic(indexFile, lines.length ? `${lines.join('\n')}\n` : '');
}
