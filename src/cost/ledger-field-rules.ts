import * as z from 'zod';
import { LedgerRecordSchema, type LedgerRecord } from '../shapes/ledger-record.js';

export type LedgerField = keyof LedgerRecord;

/**
 * What one ledger field may hold, read off LedgerRecordSchema, so that the fast line reader
 * (`ledger-line-reader.ts`) checks exactly what the schema checks and cannot drift from it.
 */
export interface LedgerFieldRule {
  field: LedgerField;
  kind: 'string' | 'number' | 'boolean' | 'enum';
  nullable: boolean;
  optional: boolean;
  /** Numbers: integers only. */
  integer: boolean;
  /** Numbers: the least value allowed (-Infinity when unbounded). */
  min: number;
  /** Strings: the least length allowed. */
  minLength: number;
  /** Enums: the values allowed. */
  options: ReadonlySet<string> | undefined;
}

/** The schema's fields, in the order the writer emits them. */
export const LEDGER_FIELDS = Object.keys(LedgerRecordSchema.shape) as LedgerField[];

export const LEDGER_FIELD_RULES = Object.fromEntries(LEDGER_FIELDS.map((field) => [field, ruleOf(field, LedgerRecordSchema.shape[field])])) as Record<LedgerField, LedgerFieldRule>;

function ruleOf(field: LedgerField, fieldSchema: z.ZodType): LedgerFieldRule {
  let schema = fieldSchema;
  let optional = false;
  let nullable = false;
  for (;;) {
    if (schema instanceof z.ZodOptional) optional = true;
    else if (schema instanceof z.ZodNullable) nullable = true;
    else break;
    schema = schema.unwrap() as z.ZodType;
  }
  const rule: LedgerFieldRule = {
    field,
    kind: 'string',
    nullable,
    optional,
    integer: false,
    min: -Infinity,
    minLength: 0,
    options: undefined,
  };
  // A constraint this table does not carry would be one the fast reader skips: refuse it here,
  // at load, rather than let the two readers disagree.
  const unsupported = (what: string) =>
    new Error(`ledger field "${field}": ${what} is a constraint the fast ledger reader does not check; teach src/cost/ledger-field-rules.ts and ledger-line-reader.ts about it`);
  if (schema instanceof z.ZodString) {
    if (schema.maxLength !== null || schema.format !== null) throw unsupported('a maximum length or a format');
    rule.minLength = schema.minLength ?? 0;
  } else if (schema instanceof z.ZodNumber) {
    if (schema.maxValue !== null && schema.maxValue !== Number.MAX_SAFE_INTEGER && schema.maxValue !== Infinity) throw unsupported('a maximum');
    rule.kind = 'number';
    rule.integer = schema.isInt === true;
    rule.min = schema.minValue ?? -Infinity;
  } else if (schema instanceof z.ZodBoolean) {
    rule.kind = 'boolean';
  } else if (schema instanceof z.ZodEnum) {
    rule.kind = 'enum';
    rule.options = new Set(schema.options.map(String));
  } else {
    throw unsupported(`the type "${schema.def.type}"`);
  }
  return rule;
}
