import * as z from 'zod';
import { COMPONENT_NAME_PATTERN } from '../catalog/component-meta.js';

/**
 * The two input forms of a screen, each one Zod schema, and the one normalised `Screen` tree
 * both become. A Tekton screen definition has `shell`, `page` and `sections[]` (each with a
 * `pattern`); a blueprint has a `layout` and one list of components, each placed by its `slot`.
 */

/** Guards against hostile documents; every limit can be changed through the export options. */
export const ScreenLimitsSchema = z.object({
  /** Deepest nesting of component nodes (a section's direct components are depth 1). */
  maxDepth: z.number().int().positive().default(32),
  /** Most component nodes in one screen. */
  maxNodes: z.number().int().positive().default(2000),
  /** Longest single string (text child or prop value), in characters. */
  maxTextLength: z.number().int().positive().default(10_000),
  /** All strings of the document together, in UTF-8 bytes. */
  maxTotalTextBytes: z.number().int().positive().default(1_000_000),
  /** Deepest JSON nesting of any kind (props objects included), so no validator recursion can overflow. */
  maxJsonDepth: z.number().int().positive().default(96),
});
export type ScreenLimits = z.infer<typeof ScreenLimitsSchema>;
export type ScreenLimitsInput = z.input<typeof ScreenLimitsSchema>;

const ComponentType = z.string().regex(COMPONENT_NAME_PATTERN, 'must be a component name such as "Button" (a letter, then letters, digits or hyphens)');
/** Slot and area names end up as CSS identifiers and data attributes: keep them plain. */
const SlotName = z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, 'must be lower-case letters, digits and hyphens, starting with a letter');
const PropsRecord = z.record(z.string(), z.unknown());

export interface RawNode {
  type: string;
  props?: Record<string, unknown>;
  children?: Array<RawNode | string>;
  slot?: string;
  area?: string;
  id?: string;
}

const NodeSchema: z.ZodType<RawNode> = z.lazy(() =>
  z.strictObject({
    type: ComponentType,
    props: PropsRecord.optional(),
    children: z.array(z.union([z.string(), NodeSchema])).optional(),
    slot: SlotName.optional(),
    area: SlotName.optional(),
    id: z.string().max(200).optional(),
  }),
);

const BreakpointSchema = z.strictObject({
  gridColumns: z.number().int().min(1).max(12).optional(),
  gap: z.enum(['none', 'sm', 'md', 'lg']).optional(),
});

export const TektonScreenSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be kebab-case (lower-case letters, digits, hyphens)')
    .max(100),
  name: z.string().min(1).max(200),
  description: z.string().max(2000).optional(),
  shell: z.string().regex(/^shell\.[a-z]+\.[a-z-]+$/, 'must look like shell.{platform}.{name}, e.g. shell.web.dashboard'),
  page: z.string().regex(/^page\.[a-z-]+$/, 'must look like page.{name}, e.g. page.dashboard'),
  themeId: z.string().min(1).max(200).optional(),
  sections: z
    .array(
      z.strictObject({
        id: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, 'must be an identifier such as "metrics-section"'),
        pattern: z.string().regex(/^section\.[a-z]+(-[0-9]+)?$/, 'must look like section.{name} or section.{name}-{number}'),
        components: z.array(NodeSchema).min(1, 'a section needs at least one component'),
        responsive: z
          .strictObject({ sm: BreakpointSchema.optional(), md: BreakpointSchema.optional(), lg: BreakpointSchema.optional(), xl: BreakpointSchema.optional(), '2xl': BreakpointSchema.optional() })
          .optional(),
      }),
    )
    .min(1, 'a screen needs at least one section'),
  meta: z.record(z.string(), z.unknown()).optional(),
});
export type TektonScreen = z.infer<typeof TektonScreenSchema>;

export const BLUEPRINT_LAYOUTS = ['single-column', 'two-column', 'sidebar-left', 'sidebar-right', 'dashboard', 'landing'] as const;
export type BlueprintLayout = (typeof BLUEPRINT_LAYOUTS)[number];

/**
 * The slots of each blueprint layout, in document order, as Tekton's `LAYOUTS` names them (see
 * shared/fixtures/tekton-blueprints/README.md). `main` is where a component without a `slot`
 * goes: the layout's content region. A required slot left empty is a warning, not an error.
 */
export interface LayoutSlots {
  slots: readonly string[];
  required: readonly string[];
  main: string;
}

export const LAYOUT_SLOTS: Record<BlueprintLayout, LayoutSlots> = {
  'single-column': { slots: ['header', 'main', 'footer'], required: ['main'], main: 'main' },
  'two-column': { slots: ['header', 'left', 'right', 'footer'], required: ['left', 'right'], main: 'left' },
  'sidebar-left': { slots: ['header', 'sidebar', 'main', 'footer'], required: ['sidebar', 'main'], main: 'main' },
  'sidebar-right': { slots: ['header', 'main', 'sidebar', 'footer'], required: ['sidebar', 'main'], main: 'main' },
  dashboard: { slots: ['header', 'sidebar', 'main', 'footer'], required: ['header', 'sidebar', 'main'], main: 'main' },
  // A landing page's body is its features; the hero is what a page must open with.
  landing: { slots: ['hero', 'features', 'cta', 'footer'], required: ['hero'], main: 'features' },
};

export const BlueprintSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[A-Za-z0-9]+([-_][A-Za-z0-9]+)*$/, 'must be letters and digits, optionally joined by "-" or "_"')
    .max(100),
  name: z.string().min(1).max(200),
  description: z.string().max(2000).optional(),
  themeId: z.string().min(1).max(200).optional(),
  layout: z.enum(BLUEPRINT_LAYOUTS),
  components: z.array(NodeSchema).min(1, 'a blueprint needs at least one component'),
});
export type Blueprint = z.infer<typeof BlueprintSchema>;

/** A string child, kept verbatim (it is emitted as an escaped literal, never as markup). */
export interface ScreenText {
  kind: 'text';
  text: string;
  /** Where it came from in the input, e.g. `sections[0].components[1].children[0]`. */
  path: string;
}

export interface ScreenElement {
  kind: 'element';
  /** The type as written (`Dialog`). */
  type: string;
  /** Props as given, minus the handler names (see `droppedHandlers`). */
  props: Record<string, unknown>;
  /** `on*` props given as handler names: JSON cannot carry code, so they are not emitted. */
  droppedHandlers: Array<{ prop: string; handler: string }>;
  children: ScreenChild[];
  /** Layout slot of a region's direct component (a section's slot, or the blueprint slot it was placed in). */
  slot?: string;
  path: string;
}

export type ScreenChild = ScreenElement | ScreenText;

export interface ScreenRegion {
  /** Section id (Tekton) or slot name (blueprint). */
  id: string;
  /** `grid-4`, `split`, `stack`… for sections; the slot name for blueprints. */
  pattern: string;
  /** Columns per breakpoint, from a section's `responsive` overrides. */
  responsive: Partial<Record<'sm' | 'md' | 'lg' | 'xl' | '2xl', { gridColumns?: number; gap?: 'none' | 'sm' | 'md' | 'lg' }>>;
  children: ScreenElement[];
  path: string;
}

/** The normalised screen both input forms become: what the router and the assembler read. */
export interface Screen {
  id: string;
  name: string;
  /** PascalCase name of the screen component and its files. */
  componentName: string;
  description?: string;
  source: 'tekton' | 'blueprint';
  /** `shell.web.dashboard` / `page.dashboard` for Tekton; the layout for blueprints. */
  shell?: string;
  page?: string;
  layout?: BlueprintLayout;
  regions: ScreenRegion[];
  /** Problems that do not stop the export (a required slot left empty), each `path: message`. */
  warnings: string[];
}

/** Formats a JSON path the way the error messages show it: `sections[0].components[2].props.variant`. */
export function formatPath(segments: ReadonlyArray<PropertyKey>): string {
  let text = '';
  for (const segment of segments) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (typeof segment === 'string' && /^[A-Za-z_$][\w$-]*$/.test(segment)) text += text ? `.${segment}` : segment;
    else text += `[${JSON.stringify(String(segment))}]`;
  }
  return text || '(root)';
}

export function joinPath(base: string, ...segments: PropertyKey[]): string {
  const rest = formatPath(segments);
  if (base === '(root)' || base === '') return rest;
  if (rest === '(root)') return base;
  return rest.startsWith('[') ? base + rest : `${base}.${rest}`;
}
