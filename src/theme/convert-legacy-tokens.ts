import type { ThemeProblems } from './theme-problems.js';
import { MAX_NESTING_DEPTH, createRecord, hasOwn, isPlainObject, isTokenType } from './token-graph.js';
import { PIXEL_TYPES, dtcgTypeOf } from './vendor-types.js';

/**
 * Token files in the pre-DTCG shape that Style Dictionary 3 and Tokens Studio write —
 * `{ "value": …, "type": …, "description": … }`, references `{color.primary.value}` — become a
 * DTCG tree (`$value`, `$type`, `$description`, `{color.primary}`), so they go through the same
 * parser and checks. Types are mapped to their DTCG names where one exists; the rest stay as
 * written and are emitted as literal CSS with a warning.
 */
export function convertLegacyTokens(root: Record<string, unknown>, problems: ThemeProblems, styleDictionary = false): Record<string, unknown> {
  return convertGroup(root, 0, '', { problems, styleDictionary, warned: false });
}

interface ConvertContext {
  problems: ThemeProblems;
  /** Style Dictionary's `css` transform group: a unitless number under the top-level `size` group is rem (its `size/rem`). */
  styleDictionary: boolean;
  /** The legacy-format warning is given once, and only when a `value` token is met. */
  warned: boolean;
}

/**
 * A vendor type name as written into the DTCG tree: its DTCG name where it has one; free-form types
 * (`other`, `textCase`) keep their name, which the DTCG parser reads as literal CSS without a warning.
 */
function dtcgTypeName(type: string): string {
  const mapped = dtcgTypeOf(type);
  return mapped === undefined || mapped === 'css' ? type : mapped;
}

const TYPOGRAPHY_PIXEL_FIELDS = new Set(['fontSize', 'letterSpacing', 'paragraphSpacing', 'paragraphIndent']);
const UNITLESS = /^-?(\d+(\.\d+)?|\.\d+)$/;

function withPixels(value: unknown): unknown {
  if (typeof value === 'number' && value !== 0) return `${value}px`;
  if (typeof value === 'string' && UNITLESS.test(value.trim()) && Number(value) !== 0) return `${value.trim()}px`;
  return value;
}

/** Tokens Studio's value shapes → DTCG's: shadows `{ x, y, blur, spread, color, type }`, unitless sizes. */
function convertStudioValue(type: string | undefined, value: unknown): unknown {
  if (type === undefined) return value;
  if (PIXEL_TYPES.has(type)) return withPixels(value);
  if (type === 'boxShadow') return Array.isArray(value) ? value.map(convertShadow) : convertShadow(value);
  if (type === 'border' && isPlainObject(value)) return { ...value, ...(value.width === undefined ? {} : { width: withPixels(value.width) }) };
  if (type === 'typography' && isPlainObject(value)) {
    const out = createRecord<unknown>();
    for (const key of Object.keys(value)) out[key] = TYPOGRAPHY_PIXEL_FIELDS.has(key) ? withPixels(value[key]) : value[key];
    return out;
  }
  return value;
}

function convertShadow(layer: unknown): unknown {
  if (!isPlainObject(layer) || !('x' in layer || 'y' in layer)) return layer;
  const out = createRecord<unknown>();
  out.offsetX = withPixels(layer.x ?? 0);
  out.offsetY = withPixels(layer.y ?? 0);
  out.blur = withPixels(layer.blur ?? 0);
  out.spread = withPixels(layer.spread ?? 0);
  out.color = layer.color;
  if (layer.type === 'innerShadow') out.inset = true;
  return out;
}

function convertGroup(node: Record<string, unknown>, depth: number, path: string, ctx: ConvertContext, groupType?: string): Record<string, unknown> {
  // Deeper input is left for the DTCG parser, which reports it with its path.
  if (depth > MAX_NESTING_DEPTH) return node;
  const out = createRecord<unknown>();
  const studio = !ctx.styleDictionary;
  const ownType = typeof node.$type === 'string' ? node.$type : groupType;
  for (const key of Object.keys(node)) {
    const child = node[key];
    const childPath = path ? `${path}.${key}` : key;
    const composition = isPlainObject(child) ? compositionOf(child, ownType) : undefined;
    if (composition) out[key] = expandComposition(composition, isLegacyToken(child as Record<string, unknown>));
    else if (isPlainObject(child) && isLegacyToken(child)) {
      if (!ctx.warned) ctx.problems.warn('(theme)', 'legacy-format', 'tokens use the pre-DTCG "value"/"type" shape (Style Dictionary 3, Tokens Studio); read as DTCG');
      ctx.warned = true;
      out[key] = convertToken(child, ctx.styleDictionary && childPath.startsWith('size.'));
    }
    // Tokens Studio's W3C export writes `$value`/`$type` but keeps its own types and value shapes.
    else if (studio && isPlainObject(child) && hasOwn(child, '$value')) out[key] = convertStudioDtcgToken(child, ownType);
    else if (isPlainObject(child)) out[key] = convertGroup(child, depth + 1, childPath, ctx, ownType);
    else if (studio && key === '$type' && typeof child === 'string') out[key] = dtcgTypeName(child);
    else if (key.startsWith('$')) out[key] = child;
    // Style Dictionary ignores a group's plain properties (`"comment": "…"`, `"deprecated": true`): metadata, not tokens.
    else ctx.problems.warn(childPath, 'group-metadata', `"${key}" is a plain ${child === null ? 'null' : typeof child} beside tokens, not a token; ignored as Style Dictionary does`);
  }
  return out;
}

/** Figma properties a Tokens Studio composition token sets → the Tokens Studio type of their value. */
const COMPOSITION_PROPERTY_TYPES: Readonly<Record<string, string>> = {
  fill: 'color',
  ...Object.fromEntries(['width', 'height', 'minWidth', 'maxWidth', 'minHeight', 'maxHeight'].map((property) => [property, 'sizing'])),
  ...Object.fromEntries(
    ['verticalPadding', 'horizontalPadding', 'paddingTop', 'paddingRight', 'paddingBottom', 'paddingLeft', 'itemSpacing', 'counterAxisSpacing'].map((property) => [property, 'spacing']),
  ),
  ...Object.fromEntries(['borderRadiusTopLeft', 'borderRadiusTopRight', 'borderRadiusBottomRight', 'borderRadiusBottomLeft'].map((property) => [property, 'borderRadius'])),
  ...Object.fromEntries(['borderWidthTop', 'borderWidthRight', 'borderWidthBottom', 'borderWidthLeft'].map((property) => [property, 'borderWidth'])),
};

/** The property → value object of a composition token (its own type, or its group's), else undefined. */
function compositionOf(token: Record<string, unknown>, groupType: string | undefined): Record<string, unknown> | undefined {
  const legacy = isLegacyToken(token);
  if (!legacy && !hasOwn(token, '$value')) return undefined;
  const written = legacy ? token.type : token.$type;
  const type = typeof written === 'string' ? written : legacy ? undefined : groupType;
  const value = legacy ? token.value : token.$value;
  return type === 'composition' && isPlainObject(value) ? value : undefined;
}

/**
 * A composition token (Figma properties: `{ fill, paddingTop, typography, … }`) has no single CSS
 * value; as Tokens Studio's sd-transforms expands it, it becomes a group with one token per
 * property (`--button-padding-top`), typed by the property where it names a type.
 */
function expandComposition(properties: Record<string, unknown>, legacy: boolean): Record<string, unknown> {
  const group = createRecord<unknown>();
  for (const property of Object.keys(properties)) {
    const type = COMPOSITION_PROPERTY_TYPES[property] ?? (dtcgTypeOf(property) !== undefined || (isTokenType(property) && property !== 'css') ? property : undefined);
    const token = createRecord<unknown>();
    const value = convertStudioValue(type, properties[property]);
    token.$value = legacy ? convertReferences(value) : value;
    if (type) token.$type = dtcgTypeName(type);
    group[property] = token;
  }
  return group;
}

/** A `$value` token in Tokens Studio's types (`sizing`, `boxShadow`, …): type and value shape as DTCG's. */
function convertStudioDtcgToken(token: Record<string, unknown>, groupType: string | undefined): Record<string, unknown> {
  const studioType = typeof token.$type === 'string' ? token.$type : groupType;
  const out = createRecord<unknown>();
  for (const key of Object.keys(token)) out[key] = token[key];
  out.$value = convertStudioValue(studioType, token.$value);
  if (typeof token.$type === 'string') out.$type = dtcgTypeName(token.$type);
  return out;
}

export function isLegacyToken(node: Record<string, unknown>): boolean {
  return hasOwn(node, 'value') && !hasOwn(node, '$value');
}

function convertToken(token: Record<string, unknown>, sizeInRem: boolean): Record<string, unknown> {
  const out = createRecord<unknown>();
  const value = sizeInRem && (typeof token.value === 'number' || (typeof token.value === 'string' && UNITLESS.test(token.value.trim()))) ? `${String(token.value).trim()}rem` : token.value;
  out.$value = convertReferences(convertStudioValue(typeof token.type === 'string' ? token.type : undefined, value));
  if (typeof token.type === 'string') out.$type = dtcgTypeName(token.type);
  if (typeof token.description === 'string') out.$description = token.description;
  else if (typeof token.comment === 'string') out.$description = token.comment;
  // Style Dictionary reads a token nested in a token (`"120": { "value": 1.25, "px": { "value": "20px" } }`).
  for (const key of Object.keys(token)) {
    const child = token[key];
    if (key !== 'value' && isPlainObject(child) && isLegacyToken(child)) out[key] = convertToken(child, sizeInRem);
  }
  return out;
}

/** `{color.primary.value}` → `{color.primary}`, inside strings and composite values alike. */
function convertReferences(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/\{([^{}]+?)\.value\}/g, '{$1}');
  if (Array.isArray(value)) return value.map(convertReferences);
  if (isPlainObject(value)) {
    const out = createRecord<unknown>();
    for (const key of Object.keys(value)) out[key] = convertReferences(value[key]);
    return out;
  }
  return value;
}
