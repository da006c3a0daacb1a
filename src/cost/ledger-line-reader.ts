import type { LedgerRecord } from '../shapes/ledger-record.js';
import { LEDGER_FIELD_RULES as RULES, LEDGER_FIELDS, type LedgerField, type LedgerFieldRule } from './ledger-field-rules.js';

/** The fields of a ledger line that the summary folds (outcome and category as the plain strings the fast reader hands over). */
export type LedgerLineFields = Pick<
  LedgerRecord,
  | 'timestamp'
  | 'operation'
  | 'component'
  | 'provider'
  | 'model'
  | 'attempt'
  | 'retry'
  | 'inputTokens'
  | 'outputTokens'
  | 'cacheWriteTokens'
  | 'cacheReadTokens'
  | 'totalCost'
  | 'cacheHit'
  | 'costSaved'
> & {
  outcome: string;
  errorCategory?: string | undefined;
  /** Precomputed `component␟model␟provider␟operation` and `provider␟model`, when the fast path has them. */
  dimensionKey?: string | undefined;
  streakKey?: string | undefined;
};

/** The keys a line's four dimensions fold under, computed once per distinct run of them. */
export type DimensionKeys = (operation: string, component: string, provider: string, model: string) => { key: string; streakKey: string };

interface Dimensions {
  operation: string;
  component: string;
  provider: string;
  model: string;
  key: string;
  streakKey: string;
}

const DIMENSION_FIELDS = ['operation', 'component', 'provider', 'model'] as const satisfies readonly LedgerField[];
const MAX_CACHED_DIMENSIONS = 50_000;

/** Fields the fold reads: each gets a capture group; the others are only matched. */
const FOLDED = new Set<LedgerField>([
  ...DIMENSION_FIELDS,
  'timestamp',
  'attempt',
  'retry',
  'outcome',
  'errorCategory',
  'inputTokens',
  'outputTokens',
  'cacheWriteTokens',
  'cacheReadTokens',
  'totalCost',
  'cacheHit',
  'costSaved',
]);

const escapeForPattern = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The pattern of one value as JSON.stringify writes it: what the field's rule allows, in the JSON grammar, without escapes. */
function valuePattern(rule: LedgerFieldRule): string {
  let pattern: string;
  if (rule.kind === 'string') {
    // No escapes or control characters, so the text between the quotes is the value.
    pattern = `"[^"\\\\\\u0000-\\u001f]${rule.minLength > 0 ? `{${rule.minLength},}` : '*'}"`;
  } else if (rule.kind === 'enum') {
    pattern = `"(?:${[...rule.options!].map(escapeForPattern).join('|')})"`;
  } else if (rule.kind === 'boolean') {
    pattern = '(?:true|false)';
  } else if (rule.integer) {
    if (rule.min > 1) throw new Error(`ledger field "${rule.field}": a minimum above 1 is not expressed by the fast reader's pattern`);
    pattern = `${rule.min >= 0 ? '' : '-?'}(?:${rule.min === 1 ? '' : '0|'}[1-9]\\d{0,14})`;
  } else {
    if (rule.min !== 0 && rule.min !== -Infinity) throw new Error(`ledger field "${rule.field}": a minimum other than 0 is not expressed by the fast reader's pattern`);
    // At most 15 integer digits and a two-digit exponent: always finite (JSON.parse reads 1e999 as Infinity, which the schema refuses).
    pattern = `${rule.min === 0 ? '' : '-?'}(?:0|[1-9]\\d{0,14})(?:\\.\\d+)?(?:[eE][+-]?\\d{1,2})?`;
  }
  return rule.nullable ? `(?:null|${pattern})` : pattern;
}

/** Capture group of each folded field, and of the run of the four dimensions (the cache key). */
const GROUP = {} as Record<LedgerField, number>;
let DIMENSION_RUN = 0;

/**
 * Exactly the line our writer emits (JSON.stringify of a parsed record: the schema's fields in
 * its order, optional ones present or absent), built from the field rules. It is a subset of the
 * JSON grammar, so a line it matches is one JSON.parse and the schema read to the same values.
 */
const WRITTEN_LINE = (() => {
  const first = LEDGER_FIELDS.indexOf(DIMENSION_FIELDS[0]);
  if (DIMENSION_FIELDS.some((field, i) => LEDGER_FIELDS[first + i] !== field || RULES[field].optional)) {
    throw new Error(`the fast ledger reader expects ${DIMENSION_FIELDS.join(', ')} as consecutive required fields of LedgerRecordSchema`);
  }
  let groups = 0;
  let source = '^\\{';
  LEDGER_FIELDS.forEach((field, i) => {
    const rule = RULES[field];
    const separator = i === 0 ? '' : ',';
    let value = valuePattern(rule);
    if (field === DIMENSION_FIELDS[0]) {
      DIMENSION_RUN = ++groups;
      source += `${separator}(`;
    }
    if (FOLDED.has(field)) {
      GROUP[field] = ++groups;
      value = `(${value})`;
    }
    const part = `"${escapeForPattern(field)}":${value}`;
    if (field === DIMENSION_FIELDS[0]) source += part;
    else source += rule.optional ? `(?:${separator}${part})?` : `${separator}${part}`;
    if (field === DIMENSION_FIELDS[DIMENSION_FIELDS.length - 1]) source += ')';
  });
  return new RegExp(`${source}\\}$`);
})();

/**
 * The fast reader of one ledger line, for the summary's passes over millions of them: one
 * regular expression built from LedgerRecordSchema (see `WRITTEN_LINE`), so a field added to
 * the schema is matched and checked here without an edit. A line it does not take
 * (`undefined`: escapes, another key order, extra keys, a value the schema refuses) goes to
 * the JSON.parse path, which decides.
 */
export class LedgerLineReader {
  private readonly dimensionCache = new Map<string, Dimensions>();
  // One result object reused for every line: no allocation on the hot path.
  private readonly scratch: LedgerLineFields = {
    timestamp: '',
    operation: '',
    component: '',
    provider: '',
    model: '',
    attempt: 1,
    retry: 0,
    outcome: 'success',
    inputTokens: 0,
    outputTokens: 0,
    cacheWriteTokens: 0,
    cacheReadTokens: 0,
    totalCost: 0,
    cacheHit: false,
    costSaved: 0,
  };

  constructor(private readonly keysOf: DimensionKeys) {}

  read(line: string): LedgerLineFields | undefined {
    const match = WRITTEN_LINE.exec(line);
    if (!match) return undefined;
    const totalCostText = match[GROUP.totalCost]!;
    const totalCost = totalCostText === 'null' ? null : Number(totalCostText);
    const costSaved = Number(match[GROUP.costSaved]);
    const run = match[DIMENSION_RUN]!;
    let dimensions = this.dimensionCache.get(run);
    if (!dimensions) {
      const operation = match[GROUP.operation]!;
      const component = match[GROUP.component]!;
      const provider = match[GROUP.provider]!;
      const model = match[GROUP.model]!;
      dimensions = { operation: unquote(operation), component: unquote(component), provider: unquote(provider), model: unquote(model), key: '', streakKey: '' };
      Object.assign(dimensions, this.keysOf(dimensions.operation, dimensions.component, dimensions.provider, dimensions.model));
      if (this.dimensionCache.size < MAX_CACHED_DIMENSIONS) this.dimensionCache.set(run, dimensions);
    }
    const fields = this.scratch;
    fields.timestamp = unquote(match[GROUP.timestamp]!);
    fields.operation = dimensions.operation;
    fields.component = dimensions.component;
    fields.provider = dimensions.provider;
    fields.model = dimensions.model;
    fields.dimensionKey = dimensions.key;
    fields.streakKey = dimensions.streakKey;
    fields.attempt = Number(match[GROUP.attempt]!);
    fields.retry = Number(match[GROUP.retry]!);
    fields.outcome = unquote(match[GROUP.outcome]!);
    const category = match[GROUP.errorCategory];
    fields.errorCategory = category === undefined ? undefined : unquote(category);
    fields.inputTokens = Number(match[GROUP.inputTokens]!);
    fields.outputTokens = Number(match[GROUP.outputTokens]!);
    fields.cacheWriteTokens = Number(match[GROUP.cacheWriteTokens]!);
    fields.cacheReadTokens = Number(match[GROUP.cacheReadTokens]!);
    fields.totalCost = totalCost;
    fields.cacheHit = match[GROUP.cacheHit] === 'true';
    fields.costSaved = costSaved;
    return fields;
  }
}

/** A captured string value without its quotes (the pattern allows no escapes, so the text is the value). */
const unquote = (quoted: string): string => quoted.slice(1, -1);
