import * as z from 'zod';

/**
 * The shape of `ui-reference/<Name>/meta.json`: the one description of a Tier 1 component that
 * the catalog index, the props schemas (props-schema.ts), the default-props transform and the
 * tool descriptions all read. Types are inferred from these schemas, never written twice.
 */

/** Component and alias names: the only shape `findComponent` accepts, so no name can act as a path. */
export const COMPONENT_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9-]{0,63}$/;

const PascalName = z.string().regex(/^[A-Z][A-Za-z0-9]{0,63}$/, 'must be PascalCase letters and digits');
const CssVariableName = z.string().regex(/^--[a-z][a-z0-9-]*$/, 'must be a custom property name like --button-radius');
const PropName = z.string().regex(/^[A-Za-z_$][A-Za-z0-9_$]*$|^aria-[a-z]+$/, 'must be a JS identifier or an aria-* name');

const PropBase = {
  description: z.string().min(1).optional(),
  required: z.boolean().optional(),
};

/** A literal value a JSON screen definition can carry (a table cell, say). */
export const JsonLiteralSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const StringPropSchema = z.strictObject({
  type: z.literal('string'),
  ...PropBase,
  default: z.string().optional(),
  minLength: z.number().int().nonnegative().optional(),
  maxLength: z.number().int().positive().optional(),
});

export const NumberPropSchema = z.strictObject({
  type: z.literal('number'),
  ...PropBase,
  default: z.number().optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  integer: z.boolean().optional(),
});

export const BooleanPropSchema = z.strictObject({
  type: z.literal('boolean'),
  ...PropBase,
  default: z.boolean().optional(),
});

/** A closed set of literal values, e.g. `variant` or a heading `level`. */
export const EnumPropSchema = z.strictObject({
  type: z.literal('enum'),
  ...PropBase,
  values: z.array(z.union([z.string(), z.number()])).min(1),
  default: z.union([z.string(), z.number()]).optional(),
});

/**
 * Renderable content (`children`, a trigger label). JSON cannot carry React elements, so a
 * screen definition passes text; code passes any ReactNode.
 */
export const NodePropSchema = z.strictObject({
  type: z.literal('node'),
  ...PropBase,
  default: z.string().optional(),
});

/**
 * An event handler. JSON cannot carry functions: a screen definition names the handler
 * (`"onSubmit": "handleProfileSubmit"`) and the assembler wires it; code passes the function.
 */
export const FunctionPropSchema = z.strictObject({
  type: z.literal('function'),
  ...PropBase,
  signature: z.string().min(1),
});

/** A field of an item in an array prop (`tabs[].label`): literal types only, so it stays JSON. */
export const FieldSpecSchema = z.strictObject({
  type: z.enum(['string', 'number', 'boolean', 'node', 'function']),
  required: z.boolean().optional(),
  values: z
    .array(z.union([z.string(), z.number()]))
    .min(1)
    .optional(),
  description: z.string().optional(),
});

/**
 * A list prop. `items` is either a literal type (`List.items: string[]`) or an object with named
 * fields (`Tabs.tabs: { id, label }[]`); `record` items are free-form rows whose values are
 * literals (`Table.data`).
 */
export const ArrayPropSchema = z.strictObject({
  type: z.literal('array'),
  ...PropBase,
  items: z.union([
    z.strictObject({ type: z.enum(['string', 'number']) }),
    z.strictObject({ type: z.literal('object'), fields: z.record(PropName, FieldSpecSchema) }),
    z.strictObject({ type: z.literal('record') }),
  ]),
  default: z.array(z.unknown()).optional(),
  minItems: z.number().int().nonnegative().optional(),
});

export const PropSpecSchema = z.discriminatedUnion('type', [StringPropSchema, NumberPropSchema, BooleanPropSchema, EnumPropSchema, NodePropSchema, FunctionPropSchema, ArrayPropSchema]);
export type PropSpec = z.infer<typeof PropSpecSchema>;
export type FieldSpec = z.infer<typeof FieldSpecSchema>;

export const ComponentMetaSchema = z
  .strictObject({
    name: PascalName,
    aliases: z.array(PascalName),
    description: z.string().min(1),
    category: z.enum(['action', 'content', 'form', 'layout', 'navigation', 'overlay', 'data', 'feedback']),
    props: z.record(PropName, PropSpecSchema),
    variants: z.array(z.string()),
    sizes: z.array(z.string()),
    cssVariables: z.array(CssVariableName),
    /** What the component itself imports: npm name → semver range. */
    dependencies: z.record(z.string().min(1), z.string().min(1)),
    /** What its test and stories import (test runner, Testing Library, axe, Storybook types). */
    devDependencies: z.record(z.string().min(1), z.string().min(1)),
    /** The primitive that supplies the ARIA pattern, when one does (`@radix-ui/react-dialog`). */
    primitive: z.string().optional(),
    accessibility: z.string().min(1),
    example: z.string().min(1),
  })
  .superRefine((meta, ctx) => {
    for (const [propName, spec] of Object.entries(meta.props)) {
      if (spec.type === 'enum' && spec.default !== undefined && !spec.values.includes(spec.default)) {
        ctx.addIssue({ code: 'custom', path: ['props', propName, 'default'], message: `default ${JSON.stringify(spec.default)} is not one of its values` });
      }
      if (spec.required && 'default' in spec && spec.default !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['props', propName], message: 'a required prop cannot have a default' });
      }
    }
    const variantProp = meta.props['variant'];
    if (meta.variants.length > 0) {
      if (variantProp?.type !== 'enum') {
        ctx.addIssue({ code: 'custom', path: ['variants'], message: 'variants are listed but there is no enum prop "variant"' });
      } else {
        for (const variant of meta.variants) {
          if (!variantProp.values.includes(variant)) {
            ctx.addIssue({ code: 'custom', path: ['variants'], message: `variant "${variant}" is not a value of the "variant" prop` });
          }
        }
      }
    }
    const sizeProp = meta.props['size'];
    if (meta.sizes.length > 0) {
      if (sizeProp?.type !== 'enum') {
        ctx.addIssue({ code: 'custom', path: ['sizes'], message: 'sizes are listed but there is no enum prop "size"' });
      } else {
        for (const size of meta.sizes) {
          if (!sizeProp.values.includes(size)) {
            ctx.addIssue({ code: 'custom', path: ['sizes'], message: `size "${size}" is not a value of the "size" prop` });
          }
        }
      }
    }
    const lowerNames = new Set<string>();
    for (const alias of [meta.name, ...meta.aliases]) {
      const lower = alias.toLowerCase();
      if (lowerNames.has(lower)) ctx.addIssue({ code: 'custom', path: ['aliases'], message: `"${alias}" is listed twice` });
      lowerNames.add(lower);
    }
  });
export type ComponentMeta = z.infer<typeof ComponentMetaSchema>;
