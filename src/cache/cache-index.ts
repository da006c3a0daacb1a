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
    if (line.trim() === '') return;
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
