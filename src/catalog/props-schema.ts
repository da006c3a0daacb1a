import * as z from 'zod';
import { JsonLiteralSchema, type ComponentMeta, type FieldSpec, type PropSpec } from './component-meta.js';

/**
 * Derives the Zod schema of a component's props from its `meta.json`, for values as they arrive
 * in JSON (a screen definition, a `generate_component` call): unknown props are refused
 * (`.strict()`), handlers are handler names, content is text.
 */

/** How a JSON document refers to an event handler: the name of a function in the caller's scope. */
export const HandlerNameSchema = z.string().regex(/^[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z_$][A-Za-z0-9_$]*)*$/, 'must name a handler, e.g. "handleSubmit"');

/** Text content as JSON can carry it: a string or number, or a list of those. */
const NodeValueSchema = z.union([z.string(), z.number(), z.array(z.union([z.string(), z.number()]))]);

/** Names the allowed values, so a wrong one can be fixed from the message alone: `"purple" is not one of primary, secondary`. */
function notOneOf(values: ReadonlyArray<string | number>): (issue: { input?: unknown }) => string {
  const shown = values.length > 12 ? `${values.slice(0, 12).join(', ')}, …` : values.join(', ');
  return (issue) => (issue.input === undefined ? `required: one of ${shown}` : `${JSON.stringify(issue.input)} is not one of ${shown}`);
}

function literalUnion(values: ReadonlyArray<string | number>): z.ZodType<string | number> {
  const error = notOneOf(values);
  const literals = values.map((value) => z.literal(value, { error }));
  const [first, second, ...rest] = literals;
  if (!first) throw new Error('an enum needs at least one value');
  return second ? z.union([first, second, ...rest], { error }) : first;
}

function fieldSchema(field: FieldSpec): z.ZodType {
  if (field.values) return literalUnion(field.values);
  switch (field.type) {
    case 'string':
      return z.string();
    case 'number':
      return z.number();
    case 'boolean':
      return z.boolean();
    case 'node':
      return NodeValueSchema;
    case 'function':
      return HandlerNameSchema;
  }
}

/** The schema of one prop's value (required-ness is applied by the caller). */
export function propValueSchema(spec: PropSpec): z.ZodType {
  switch (spec.type) {
    case 'string': {
      let schema = z.string();
      if (spec.minLength !== undefined) schema = schema.min(spec.minLength);
      if (spec.maxLength !== undefined) schema = schema.max(spec.maxLength);
      return schema;
    }
    case 'number': {
      let schema = z.number();
      if (spec.integer) schema = schema.int();
      if (spec.min !== undefined) schema = schema.min(spec.min);
      if (spec.max !== undefined) schema = schema.max(spec.max);
      return schema;
    }
    case 'boolean':
      return z.boolean();
    case 'enum':
      return literalUnion(spec.values);
    case 'node':
      return NodeValueSchema;
    case 'function':
      return HandlerNameSchema;
    case 'array': {
      const items = spec.items;
      let item: z.ZodType;
      if (items.type === 'object') {
        const shape: Record<string, z.ZodType> = {};
        for (const [name, field] of Object.entries(items.fields)) {
          const value = fieldSchema(field);
          shape[name] = field.required ? value : value.optional();
        }
        item = z.strictObject(shape);
      } else if (items.type === 'record') item = z.record(z.string(), JsonLiteralSchema);
      else item = items.type === 'string' ? z.string() : z.number();
      const schema = z.array(item);
      return spec.minItems !== undefined ? schema.min(spec.minItems) : schema;
    }
  }
}

const cache = new WeakMap<ComponentMeta, z.ZodObject>();

/** The strict props schema of a component; cached per metadata object. */
export function propsSchemaFor(meta: ComponentMeta): z.ZodObject {
  const cached = cache.get(meta);
  if (cached) return cached;
  const shape: Record<string, z.ZodType> = {};
  for (const [name, spec] of Object.entries(meta.props)) {
    const value = propValueSchema(spec);
    shape[name] = spec.required ? value : value.optional();
  }
  const schema = z.strictObject(shape);
  cache.set(meta, schema);
  return schema;
}

/** A schema that checks only the props given (none required), still refusing unknown ones. */
export function partialPropsSchemaFor(meta: ComponentMeta): z.ZodObject {
  return propsSchemaFor(meta).partial();
}
