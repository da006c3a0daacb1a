import type { Pool } from 'pg';
import { ABANDONED_CATEGORY } from '../abandoned-hold.js';
import { streakKeyOf, type BreakerStreaks } from '../breaker-streaks.js';
import { BUCKET_FIELDS, dimensionKeyOf, emptySummary, type Bucket, type LedgerSummary } from '../ledger-summary.js';

/**
 * The ledger table folded into the same day buckets the file ledger's summary holds, by SQL:
 * one row per UTC day × component × model × provider × operation with the sums of
 * BUCKET_FIELDS, counted by the rules of `fold` in ledger-summary.ts (a cache hit adds only
 * to records, cacheHits and saved; an attempt to cost or unpriced, tokens, requests, repairs
 * or retries, and failures). The reports then run on it unchanged.
 */
const BUCKET_SQL: Record<(typeof BUCKET_FIELDS)[number], string> = {
  records: 'count(*)',
  cost: 'sum(total_cost) FILTER (WHERE NOT cache_hit)',
  saved: 'sum(cost_saved) FILTER (WHERE cache_hit)',
  unpriced: 'count(*) FILTER (WHERE NOT cache_hit AND total_cost IS NULL)',
  inputTokens: 'sum(input_tokens) FILTER (WHERE NOT cache_hit)',
  outputTokens: 'sum(output_tokens) FILTER (WHERE NOT cache_hit)',
  cacheWriteTokens: 'sum(cache_write_tokens) FILTER (WHERE NOT cache_hit)',
  cacheReadTokens: 'sum(cache_read_tokens) FILTER (WHERE NOT cache_hit)',
  cacheHits: 'count(*) FILTER (WHERE cache_hit)',
  requests: 'count(*) FILTER (WHERE NOT cache_hit AND retry = 0 AND attempt = 1)',
  repairs: 'count(*) FILTER (WHERE NOT cache_hit AND retry = 0 AND attempt > 1)',
  retries: 'count(*) FILTER (WHERE NOT cache_hit AND retry > 0)',
  failures: "count(*) FILTER (WHERE NOT cache_hit AND outcome <> 'success')",
  abandoned: `count(*) FILTER (WHERE NOT cache_hit AND outcome = 'error' AND record ->> 'errorCategory' = '${ABANDONED_CATEGORY}')`,
};

// float8 so the driver hands back numbers (bigint and numeric arrive as strings).
const BUCKETS_QUERY = `SELECT to_char(day, 'YYYY-MM-DD') AS day, component, model, provider, operation,
  ARRAY[${BUCKET_FIELDS.map((field) => `coalesce(${BUCKET_SQL[field]}, 0)::float8`).join(', ')}] AS sums
FROM dspec_ledger`;
const GROUPING = 'GROUP BY day, component, model, provider, operation';

interface BucketRow {
  day: string;
  component: string;
  model: string;
  provider: string;
  operation: string;
  sums: Bucket;
}

/** The whole ledger, with the breaker streaks from their table. */
export async function summariseLedgerTable(pool: Pool): Promise<LedgerSummary> {
  const [buckets, lines, streaks] = await Promise.all([pool.query<BucketRow>(`${BUCKETS_QUERY} ${GROUPING}`), countLines(pool), readStreaks(pool)]);
  return { ...summaryOf(buckets.rows, lines), streaks };
}

/** Records whose timestamps fall inside [sinceMs, untilMs] (either bound may be open); `lines` counts the whole ledger, as the file scan does. */
export async function summariseLedgerTableRange(pool: Pool, sinceMs: number | null, untilMs: number | null): Promise<LedgerSummary> {
  const since = sinceMs === null ? null : new Date(sinceMs).toISOString();
  const until = untilMs === null ? null : new Date(untilMs).toISOString();
  const [buckets, lines] = await Promise.all([
    pool.query<BucketRow>(`${BUCKETS_QUERY} WHERE ($1::timestamptz IS NULL OR recorded_at >= $1) AND ($2::timestamptz IS NULL OR recorded_at <= $2) ${GROUPING}`, [since, until]),
    countLines(pool),
  ]);
  return summaryOf(buckets.rows, lines);
}

async function countLines(pool: Pool): Promise<number> {
  return (await pool.query<{ lines: number }>('SELECT count(*)::float8 AS lines FROM dspec_ledger')).rows[0]?.lines ?? 0;
}

function summaryOf(rows: BucketRow[], lines: number): LedgerSummary {
  const summary = emptySummary();
  for (const row of rows) {
    let byDimensions = summary.days.get(row.day);
    if (!byDimensions) summary.days.set(row.day, (byDimensions = new Map<string, Bucket>()));
    byDimensions.set(dimensionKeyOf(row.component, row.model, row.provider, row.operation), row.sums);
  }
  summary.lines = lines;
  return summary;
}

async function readStreaks(pool: Pool): Promise<BreakerStreaks> {
  const rows = (await pool.query<{ provider: string; model: string; current: number; ended: Record<string, number> }>('SELECT provider, model, current, ended FROM dspec_breaker_streaks')).rows;
  const streaks: BreakerStreaks = new Map();
  for (const row of rows) {
    streaks.set(streakKeyOf(row.provider, row.model), { current: row.current, ended: new Map(Object.entries(row.ended).map(([length, runs]) => [Number(length), runs])) });
  }
  return streaks;
}
