import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as z from 'zod';
import { writeFileAtomic } from '../infra/atomic-write.js';
import { ABANDONED_CATEGORY } from './abandoned-hold.js';
import { streakKeyOf, StreaksFileSchema, streaksFromJson, streaksToJson, visitStreak, type BreakerStreaks } from './breaker-streaks.js';
import { Ledger, parseLedgerLine, type LedgerScanResult } from './ledger.js';
import { LedgerLineReader, type LedgerLineFields } from './ledger-line-reader.js';
import type { LedgerRecord } from '../shapes/ledger-record.js';

/**
 * Per-bucket sums, in this order. A bucket is one UTC day × component × model × provider ×
 * operation. "Requests" are first tries of first attempts (one per generation that reached a
 * provider), "repairs" first tries of later attempts, "retries" transport retries, "abandoned"
 * holds charged at their worst case because their call never settled (abandoned-hold.ts). An
 * index written with fewer fields fails the length check on load and is rebuilt from the ledger.
 */
export const BUCKET_FIELDS = [
  'records',
  'cost',
  'saved',
  'unpriced',
  'inputTokens',
  'outputTokens',
  'cacheWriteTokens',
  'cacheReadTokens',
  'cacheHits',
  'requests',
  'repairs',
  'retries',
  'failures',
  'abandoned',
] as const;
export type BucketField = (typeof BUCKET_FIELDS)[number];
const F = Object.fromEntries(BUCKET_FIELDS.map((field, i) => [field, i])) as Record<BucketField, number>;
export const BUCKET_SIZE = BUCKET_FIELDS.length;
export type Bucket = number[];

/** day (YYYY-MM-DD, UTC) → `component␟model␟provider␟operation` → sums. */
export type DayBuckets = Map<string, Map<string, Bucket>>;

export const DIMENSION_SEPARATOR = '\u001f';

export interface LedgerSummary {
  days: DayBuckets;
  /** Records folded in, and corrupt or torn lines skipped, over the ledger read so far. */
  lines: number;
  corruptLines: number;
  /** Bytes of the ledger covered (a line boundary) and the ledger's inode when they were read. */
  offset: number;
  ino: number;
  /** A line being written, or torn by a crash, at the end of the file: not yet counted. */
  pendingTailBytes: number;
  /** Runs of availability failures per provider and model, for replaying circuit-breaker openings. */
  streaks: BreakerStreaks;
  /** Hash of the bytes just before `offset`: a ledger rewritten in place no longer matches it. */
  tailHash: string;
}

const SummaryFileSchema = z.object({
  version: z.literal(2),
  ino: z.number(),
  tailHash: z.string(),
  offset: z.number().int().min(0),
  lines: z.number().int().min(0),
  corruptLines: z.number().int().min(0),
  days: z.record(z.string(), z.record(z.string(), z.array(z.number()).length(BUCKET_SIZE))),
  streaks: StreaksFileSchema,
});

export function emptySummary(): LedgerSummary {
  return { days: new Map(), lines: 0, corruptLines: 0, offset: 0, ino: 0, pendingTailBytes: 0, streaks: new Map(), tailHash: '' };
}

export function dimensionKeyOf(component: string, model: string, provider: string, operation: string): string {
  return component + DIMENSION_SEPARATOR + model + DIMENSION_SEPARATOR + provider + DIMENSION_SEPARATOR + operation;
}

/** Consecutive lines are usually from the same day: one pass remembers the last day's map. */
interface LastDay {
  day: string;
  byDimensions: Map<string, Bucket> | undefined;
}

function bucketFor(days: DayBuckets, day: string, key: string, last: LastDay): Bucket {
  let byDimensions: Map<string, Bucket> | undefined;
  if (day === last.day && last.byDimensions) {
    byDimensions = last.byDimensions;
  } else {
    byDimensions = days.get(day);
    if (!byDimensions) {
      byDimensions = new Map();
      days.set(day, byDimensions);
    }
    last.day = day;
    last.byDimensions = byDimensions;
  }
  let bucket = byDimensions.get(key);
  if (!bucket) {
    bucket = new Array<number>(BUCKET_SIZE).fill(0);
    byDimensions.set(key, bucket);
  }
  return bucket;
}

type LineFields = LedgerLineFields;

function fold(days: DayBuckets, fields: LineFields, day: string, last: LastDay): void {
  const bucket = bucketFor(days, day, fields.dimensionKey ?? dimensionKeyOf(fields.component, fields.model, fields.provider, fields.operation), last);
  bucket[F.records]! += 1;
  if (fields.cacheHit || fields.outcome === 'cache_hit') {
    bucket[F.cacheHits]! += 1;
    bucket[F.saved]! += fields.costSaved;
    return;
  }
  if (fields.totalCost === null) bucket[F.unpriced]! += 1;
  else bucket[F.cost]! += fields.totalCost;
  bucket[F.inputTokens]! += fields.inputTokens;
  bucket[F.outputTokens]! += fields.outputTokens;
  bucket[F.cacheWriteTokens]! += fields.cacheWriteTokens;
  bucket[F.cacheReadTokens]! += fields.cacheReadTokens;
  if (fields.retry > 0) bucket[F.retries]! += 1;
  else if (fields.attempt > 1) bucket[F.repairs]! += 1;
  else bucket[F.requests]! += 1;
  if (fields.outcome !== 'success') bucket[F.failures]! += 1;
  if (fields.outcome === 'error' && fields.errorCategory === ABANDONED_CATEGORY) bucket[F.abandoned]! += 1;
}

/** UTC day of an ISO timestamp; the common `…Z` form is sliced, anything else goes through Date. */
export function utcDayOf(timestamp: string): string | undefined {
  if (timestamp.length >= 20 && timestamp.charCodeAt(10) === 0x54 && timestamp.charCodeAt(timestamp.length - 1) === 0x5a) return timestamp.slice(0, 10);
  const time = Date.parse(timestamp);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString().slice(0, 10);
}

type FoldRange = { sinceMs: number | null; untilMs: number | null };
type FoldVerdict = 'folded' | 'corrupt' | 'outside';

/**
 * One pass over ledger lines into `days` (and, for a whole-ledger summary, the breaker
 * `streaks`). Its scanner state (the fast reader's dimension cache and scratch object, the
 * last day's map) belongs to the pass, so no two summaries share anything.
 */
export class LineFolder {
  private readonly reader = new LedgerLineReader((operation, component, provider, model) => ({
    key: dimensionKeyOf(component, model, provider, operation),
    streakKey: streakKeyOf(provider, model),
  }));
  private readonly last: LastDay = { day: '', byDimensions: undefined };

  constructor(
    private readonly days: DayBuckets,
    private readonly range?: FoldRange,
    private readonly streaks?: BreakerStreaks,
  ) {}

  /** 'corrupt' when the line is not a record, 'outside' when it falls outside [sinceMs, untilMs]. */
  fold(line: string): FoldVerdict {
    const fields: LineFields | undefined = this.reader.read(line) ?? fromRecord(parseLedgerLine(line));
    if (!fields) return 'corrupt';
    const day = utcDayOf(fields.timestamp);
    if (day === undefined) return 'corrupt';
    const range = this.range;
    if (range) {
      const time = Date.parse(fields.timestamp);
      if ((range.sinceMs !== null && time < range.sinceMs) || (range.untilMs !== null && time > range.untilMs)) return 'outside';
    }
    fold(this.days, fields, day, this.last);
    if (this.streaks) visitStreak(this.streaks, fields.streakKey ?? streakKeyOf(fields.provider, fields.model), fields.outcome, fields.errorCategory);
    return 'folded';
  }
}

/** Folds one line, as a pass of its own (see LineFolder). */
export function foldLine(days: DayBuckets, line: string, range?: FoldRange, streaks?: BreakerStreaks): FoldVerdict {
  return new LineFolder(days, range, streaks).fold(line);
}

function fromRecord(record: LedgerRecord | undefined): LineFields | undefined {
  if (!record) return undefined;
  const category: unknown = record.errorCategory;
  // The keys are computed here: a line's own "dimensionKey" or "streakKey" field must not stand in for them.
  return { ...record, errorCategory: typeof category === 'string' ? category : undefined, dimensionKey: undefined, streakKey: undefined };
}

/** Reads the ledger from `summary.offset` and folds every new line into `summary` (in place). */
export async function foldLedgerInto(summary: LedgerSummary, ledger: Ledger): Promise<LedgerScanResult> {
  let corrupt = 0;
  const folder = new LineFolder(summary.days, undefined, summary.streaks);
  const result = await ledger.scanLines((line) => {
    if (folder.fold(line) === 'corrupt') corrupt++;
  }, summary.offset);
  summary.lines += result.lines;
  summary.corruptLines += corrupt;
  summary.offset = result.endOffset;
  summary.pendingTailBytes = result.pendingTailBytes;
  summary.tailHash = await tailHashOf(ledger, summary.offset);
  return { ...result, corruptLines: corrupt };
}

/** One pass over the whole ledger keeping only lines whose timestamp is inside the range (for bounds that are not whole days). */
export async function summariseRange(ledger: Ledger, sinceMs: number | null, untilMs: number | null): Promise<LedgerSummary> {
  const summary = emptySummary();
  let corrupt = 0;
  const folder = new LineFolder(summary.days, { sinceMs, untilMs });
  const result = await ledger.scanLines((line) => {
    if (folder.fold(line) === 'corrupt') corrupt++;
  });
  summary.lines = result.lines;
  summary.corruptLines = corrupt;
  summary.offset = result.endOffset;
  summary.pendingTailBytes = result.pendingTailBytes;
  return summary;
}

export function summaryFileOf(home: string): string {
  return path.join(home, 'costs.summary.json');
}

/**
 * The ledger folded into day buckets, kept in memory and persisted to `costs.summary.json`
 * (a cache: written atomically, thrown away and rebuilt when it does not match the ledger),
 * so that reports and budget checks read only the lines appended since. Several processes
 * may persist it; each file they write is a consistent prefix of the same append-only ledger.
 */
export class LedgerSummaryStore {
  private current: LedgerSummary | undefined;
  private readonly file: string;

  constructor(
    private readonly ledger: Ledger,
    home: string,
    private readonly persistEveryLines = 500,
  ) {
    this.file = summaryFileOf(home);
  }

  private queue: Promise<unknown> = Promise.resolve();

  /** Brings the summary up to date. Calls are serialised: two folds from one offset would count lines twice. */
  refresh(): Promise<LedgerSummary> {
    const next = this.queue.then(() => this.refreshNow());
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async refreshNow(): Promise<LedgerSummary> {
    const identity = await this.ledger.identity();
    let summary = this.current;
    let persistedLines = summary?.lines ?? 0;
    if (!summary) {
      summary = await this.load();
      persistedLines = summary?.lines ?? -1;
    }
    if (!summary || !(await this.matches(summary, identity))) {
      summary = emptySummary();
      persistedLines = -1;
    }
    summary.ino = identity.ino;
    if (identity.size > summary.offset) await foldLedgerInto(summary, this.ledger);
    this.current = summary;
    if (summary.lines - persistedLines >= this.persistEveryLines || (persistedLines === -1 && summary.lines > 0)) {
      await this.persist(summary).catch(() => undefined); // only a cache: the ledger stays the truth
    }
    return summary;
  }

  /** Same file, not shorter, and the same bytes before the stored offset (a rewrite in place shows there). */
  private async matches(summary: LedgerSummary, identity: { size: number; ino: number }): Promise<boolean> {
    if (summary.offset === 0) return true;
    if (summary.ino !== identity.ino || summary.offset > identity.size) return false;
    return (await tailHashOf(this.ledger, summary.offset)) === summary.tailHash;
  }

  private async load(): Promise<LedgerSummary | undefined> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch {
      return undefined;
    }
    try {
      const parsed = SummaryFileSchema.parse(JSON.parse(text));
      const days: DayBuckets = new Map();
      for (const [day, byDimensions] of Object.entries(parsed.days)) days.set(day, new Map(Object.entries(byDimensions)));
      return {
        days,
        lines: parsed.lines,
        corruptLines: parsed.corruptLines,
        offset: parsed.offset,
        ino: parsed.ino,
        pendingTailBytes: 0,
        streaks: streaksFromJson(parsed.streaks),
        tailHash: parsed.tailHash,
      };
    } catch {
      return undefined;
    }
  }

  private async persist(summary: LedgerSummary): Promise<void> {
    const days: Record<string, Record<string, Bucket>> = {};
    for (const [day, byDimensions] of summary.days) days[day] = Object.fromEntries(byDimensions);
    const file = {
      version: 2,
      ino: summary.ino,
      tailHash: summary.tailHash,
      offset: summary.offset,
      lines: summary.lines,
      corruptLines: summary.corruptLines,
      days,
      streaks: streaksToJson(summary.streaks),
    };
    await writeFileAtomic(this.file, JSON.stringify(file));
  }
}

const TAIL_BYTES = 256;

/** sha256 of the (up to) 256 bytes before `offset`, which end with the newline of the last line read. */
async function tailHashOf(ledger: Ledger, offset: number): Promise<string> {
  const bytes = await ledger.bytesBefore(offset, TAIL_BYTES);
  return bytes === undefined ? '' : createHash('sha256').update(bytes).digest('hex');
}

export function bucketValue(bucket: Bucket, field: BucketField): number {
  return bucket[F[field]]!;
}
