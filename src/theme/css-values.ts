import { parse as parseCssColor, rgb as toRgb } from 'culori';
import { cssPropertyAccepting, isCssGradient } from './css-grammar.js';
import { evaluateMath, parseMath } from './token-math.js';
import { TokenRef, TokenTemplate, isPlainObject, type TokenType, type TokenValue } from './token-graph.js';

/** A value that cannot become CSS for its type; the caller turns it into an issue naming the token. */
export class InvalidTokenValue extends Error {}

export interface FormatContext {
  /** CSS text for a reference still inside the value (`var(--x)` in var mode); checks the target's type. */
  formatRef(ref: TokenRef, expected: TokenType): string;
  /**
   * CSS text for a reference embedded in a string (`{a.b}` in `'inset 0 0 0 {a.b}'`): `var(--a-b)`,
   * or the target's final CSS text when values are resolved. Any target type is accepted.
   */
  formatEmbeddedRef(ref: TokenRef): string;
  /** The resolved value a reference stands for (to apply an alpha to it, as Primer does). */
  resolvedValue?(ref: TokenRef): TokenValue | undefined;
  /** The final CSS text of an embedded reference's target, whatever the reference style (for math). */
  finalEmbeddedRef(ref: TokenRef): string | undefined;
  /** Reports a value that is usable but not what the DTCG format specifies (legacy strings, missing fields). */
  warn(code: string, message: string): void;
}

/** One emitted sub-variable of a typography token: suffix (`-font-size`) and its CSS text. */
export interface TypographyPart {
  suffix: string;
  css: string;
}

const COLOR_FUNCTIONS = new Set(['hsl', 'hwb', 'lab', 'lch', 'oklab', 'oklch']);
const PREDEFINED_SPACES = new Set(['srgb-linear', 'display-p3', 'a98-rgb', 'prophoto-rgb', 'rec2020', 'xyz-d65', 'xyz-d50']);
const PERCENT_COMPONENTS: Record<string, readonly boolean[]> = { hsl: [false, true, true], hwb: [false, true, true] };

/** DTCG 2025.10 named weights → numeric weights (the table in the format's fontWeight section). */
const FONT_WEIGHTS: Record<string, number> = {
  thin: 100,
  hairline: 100,
  'extra-light': 200,
  'ultra-light': 200,
  light: 300,
  normal: 400,
  regular: 400,
  book: 400,
  medium: 500,
  'semi-bold': 600,
  'demi-bold': 600,
  bold: 700,
  'extra-bold': 800,
  'ultra-bold': 800,
  black: 900,
  heavy: 900,
  'extra-black': 950,
  'ultra-black': 950,
};

const NUMERIC_TYPES = new Set<TokenType>(['dimension', 'number', 'duration', 'fontWeight']);

/** Tokens Studio and Figma write weights as style names: "SemiBold", "Semi Bold", "Extra-Light". */
const FONT_WEIGHTS_COMPACT = new Map(Object.entries(FONT_WEIGHTS).map(([name, weight]) => [name.replaceAll('-', ''), weight]));

const GENERIC_FONT_FAMILIES = new Set([
  'serif',
  'sans-serif',
  'monospace',
  'cursive',
  'fantasy',
  'system-ui',
  'ui-serif',
  'ui-sans-serif',
  'ui-monospace',
  'ui-rounded',
  'emoji',
  'math',
  'fangsong',
  'inherit',
  'initial',
  'unset',
]);
const STROKE_STYLES = new Set(['solid', 'dashed', 'dotted', 'double', 'groove', 'ridge', 'outset', 'inset']);
const OTHER_CSS_LENGTH_UNITS = new Set(['em', '%', 'vh', 'vw', 'vmin', 'vmax', 'ch', 'ex', 'pt']);
const CSS_COLOR_KEYWORDS = /^(currentcolor|transparent)$/i;
const LEGACY_LENGTH = /^-?(\d+(\.\d+)?|\.\d+)(px|rem|em|%|vh|vw|vmin|vmax|ch|ex|pt)?$/;
const LEGACY_DURATION = /^-?(\d+(\.\d+)?|\.\d+)(ms|s)$/;
const TIMING_KEYWORDS = /^(ease|ease-in|ease-out|ease-in-out|linear|step-start|step-end|(cubic-bezier|steps|linear)\([^()]*\))$/;

/** Deterministic number text: at most six decimals, no `-0`, no trailing zeros. */
export function formatNumber(value: unknown, what = 'number'): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidTokenValue(`${what} must be a finite number, got ${describe(value)}`);
  }
  const rounded = Math.round(value * 1e6) / 1e6;
  return String(Object.is(rounded, -0) ? 0 : rounded);
}

/** CSS text for one token value of a given type. References left in the value go through `ctx.formatRef`. */
export function formatTokenValue(type: TokenType, value: TokenValue, ctx: FormatContext): string {
  if (value instanceof TokenRef) return ctx.formatRef(value, type);
  // A string with embedded references is the author's CSS text, whatever the type: it is emitted
  // as written, with each reference replaced (the caller safety-checks the result).
  if (value instanceof TokenTemplate) return formatTemplate(value, ctx);
  if (typeof value !== 'string' || type === 'css') return formatShaped(type, value, ctx);
  // Math written without references (`"4 * 2"`), as Tokens Studio allows in numbers and sizes.
  const math = NUMERIC_TYPES.has(type) && /[*/+]|\d\s*-/.test(value) ? parseMath([value]) : undefined;
  const evaluated = math && evaluateMath(math, () => undefined);
  if (evaluated !== undefined) return evaluated;
  try {
    return formatShaped(type, value, ctx);
  } catch (error) {
    // Not DTCG-shaped, but CSS text its property accepts (`"0.0625rem solid #7D828B"` for a border):
    // emitted as written, as the design system's own build does.
    const property = error instanceof InvalidTokenValue ? cssPropertyAccepting(type, value) : undefined;
    if (!property) throw error;
    ctx.warn('css-value', `${type} written as CSS text valid for ${property}; emitted as written (DTCG 2025.10 expects the ${type} shape)`);
    return value.trim();
  }
}

function formatShaped(type: TokenType, value: TokenValue, ctx: FormatContext): string {
  switch (type) {
    case 'color':
      return formatColor(value, ctx);
    case 'dimension':
      return formatMeasure(value, ['px', 'rem'], LEGACY_LENGTH, 'dimension', ctx);
    case 'duration':
      return formatMeasure(value, ['ms', 's'], LEGACY_DURATION, 'duration', ctx);
    case 'fontWeight':
      return formatFontWeight(value, ctx);
    case 'fontFamily':
      return formatFontFamily(value, ctx);
    case 'cubicBezier':
      return formatCubicBezier(value, ctx);
    case 'number':
      return formatNumber(value);
    case 'strokeStyle':
      return formatStrokeStyle(value);
    case 'border':
      return formatBorder(value, ctx);
    case 'transition':
      return formatTransition(value, ctx);
    case 'shadow':
      return formatShadow(value, ctx);
    case 'gradient':
      return formatGradient(value, ctx);
    case 'typography':
      return formatTypography(value, ctx);
    case 'css':
      return formatLiteral(value);
  }
}

/**
 * Sub-variables of a typography token (`-font-family`, `-font-size`, `-font-weight`,
 * `-line-height`, `-letter-spacing`, `-font-style`, and Tokens Studio's `-paragraph-spacing`,
 * `-paragraph-indent`, `-text-case`, `-text-decoration`), one per field present.
 */
export function formatTypographyParts(value: TokenValue, ctx: FormatContext): TypographyPart[] {
  const fields = expectObject(value, 'typography');
  const parts: TypographyPart[] = [];
  for (const [field, suffix, type] of TYPOGRAPHY_FIELDS) {
    const fieldValue = fields[field];
    if (fieldValue === undefined) continue;
    parts.push({ suffix, css: formatField(fieldValue, type, ctx) });
  }
  return parts;
}

const TYPOGRAPHY_FIELDS: ReadonlyArray<[string, string, TokenType]> = [
  ['fontFamily', '-font-family', 'fontFamily'],
  ['fontSize', '-font-size', 'dimension'],
  ['fontWeight', '-font-weight', 'fontWeight'],
  ['lineHeight', '-line-height', 'number'],
  ['letterSpacing', '-letter-spacing', 'dimension'],
  ['fontStyle', '-font-style', 'css'],
  // Tokens Studio's typography also carries these (its Style Dictionary transforms expand them alike).
  ['paragraphSpacing', '-paragraph-spacing', 'dimension'],
  ['paragraphIndent', '-paragraph-indent', 'dimension'],
  ['textCase', '-text-case', 'css'],
  ['textDecoration', '-text-decoration', 'css'],
];

/** Shorthand `font` value: `[style] weight size[/line-height] family`; letter-spacing has no place in it. */
function formatTypography(value: TokenValue, ctx: FormatContext): string {
  const fields = expectObject(value, 'typography');
  for (const key of Object.keys(fields)) {
    if (!TYPOGRAPHY_FIELDS.some(([field]) => field === key)) ctx.warn('unknown-property', `typography property "${key}" is not part of the format and is ignored`);
  }
  if (fields.fontFamily === undefined || fields.fontSize === undefined) {
    throw new InvalidTokenValue('typography needs at least fontFamily and fontSize');
  }
  const style = fields.fontStyle === undefined ? '' : `${formatField(fields.fontStyle, 'css', ctx)} `;
  const weight = fields.fontWeight === undefined ? 'normal' : formatField(fields.fontWeight, 'fontWeight', ctx);
  const size = formatField(fields.fontSize, 'dimension', ctx);
  const lineHeight = fields.lineHeight === undefined ? '' : `/${formatField(fields.lineHeight, 'number', ctx)}`;
  return `${style}${weight} ${size}${lineHeight} ${formatField(fields.fontFamily, 'fontFamily', ctx)}`;
}

function formatField(value: TokenValue, type: TokenType, ctx: FormatContext): string {
  // A gradient stands for a whole colour token (a background), never for the colour of a border, shadow or stop.
  if (type === 'color') refuseGradient(value, 'inside a composite');
  // Tekton and legacy DTCG files write line heights as strings ("1.5", "24px").
  if (type === 'number' && typeof value === 'string' && LEGACY_LENGTH.test(value.trim())) return value.trim();
  return formatTokenValue(type, value, ctx);
}

function refuseGradient(value: TokenValue, where: string): void {
  if (typeof value === 'string' && !parseCssColor(value) && isCssGradient(value)) throw new InvalidTokenValue(`${describe(value)} is a gradient, not a colour; a gradient cannot be used ${where}`);
}

function formatColor(value: TokenValue, ctx: FormatContext, alpha?: number): string {
  if (typeof value === 'string') {
    if (!parseCssColor(value) && !CSS_COLOR_KEYWORDS.test(value.trim())) {
      if (isCssGradient(value)) {
        ctx.warn('gradient-color', 'colour holds a CSS gradient (as Tokens Studio allows); emitted as written, usable as a background-image, not as a color');
        return formatLiteral(value);
      }
      throw new InvalidTokenValue(`${describe(value)} is not a CSS colour`);
    }
    ctx.warn('legacy-value', 'colour given as a CSS string; DTCG 2025.10 expects { colorSpace, components }');
    return formatLiteral(value);
  }
  const color = expectObject(value, 'colour');
  const space = color.colorSpace;
  if (typeof space !== 'string') throw new InvalidTokenValue('colour needs a colorSpace string');
  const components = color.components;
  if (!Array.isArray(components) || components.length !== 3) {
    throw new InvalidTokenValue(`colour components must be an array of 3 numbers, got ${describe(components)}`);
  }
  const numbers = components.map((component, index) => {
    if (component === 'none') return 'none' as const;
    if (typeof component !== 'number' || !Number.isFinite(component)) {
      throw new InvalidTokenValue(`colour component ${index} must be a number or "none", got ${describe(component)}`);
    }
    return component;
  });
  const finalAlpha = alpha ?? color.alpha ?? 1;
  if (typeof finalAlpha !== 'number' || !Number.isFinite(finalAlpha)) {
    throw new InvalidTokenValue(`colour alpha must be a number between 0 and 1, got ${describe(finalAlpha)}`);
  }
  if (finalAlpha < 0 || finalAlpha > 1) ctx.warn('out-of-range', `colour alpha ${finalAlpha} is outside 0–1; CSS clamps it`);
  const alphaText = finalAlpha === 1 ? '' : ` / ${formatNumber(finalAlpha)}`;
  const text = (n: number | 'none', percent = false) => (n === 'none' ? 'none' : `${formatNumber(n)}${percent ? '%' : ''}`);

  if (space === 'srgb') return formatSrgb(numbers, finalAlpha);
  if (COLOR_FUNCTIONS.has(space)) {
    const percents = PERCENT_COMPONENTS[space] ?? [false, false, false];
    return `${space}(${numbers.map((n, i) => text(n, percents[i])).join(' ')}${alphaText})`;
  }
  if (PREDEFINED_SPACES.has(space)) return `color(${space} ${numbers.map((n) => text(n)).join(' ')}${alphaText})`;
  throw new InvalidTokenValue(`unknown colorSpace "${space}"`);
}

/** sRGB in gamut becomes hex (exact 8-bit, opaque) or `rgb()`; out of gamut stays `color(srgb …)`, never clamped. */
function formatSrgb(components: Array<number | 'none'>, alpha: number): string {
  const inGamut = components.every((c) => c !== 'none' && c >= 0 && c <= 1);
  const alphaText = alpha === 1 ? '' : ` / ${formatNumber(alpha)}`;
  if (!inGamut) return `color(srgb ${components.map((c) => (c === 'none' ? 'none' : formatNumber(c))).join(' ')}${alphaText})`;
  const bytes = (components as number[]).map((c) => c * 255);
  const exact = bytes.every((b) => Math.abs(b - Math.round(b)) < 1e-6);
  if (exact && alpha === 1) return `#${bytes.map((b) => Math.round(b).toString(16).padStart(2, '0')).join('')}`;
  return `rgb(${bytes.map((b) => formatNumber(b)).join(' ')}${alphaText})`;
}

/**
 * A colour with an alpha applied on top (Primer's token-level and shadow-level `alpha`): a literal
 * colour object gets the alpha directly, anything else (a `var()`, a CSS string) goes through color-mix.
 */
export function formatColorWithAlpha(value: TokenValue, alpha: number, ctx: FormatContext): string {
  refuseGradient(value, 'with an alpha');
  if (isPlainObject(value) && !(value instanceof TokenRef)) return formatColor(value, ctx, alpha);
  // Primer's alpha replaces the alpha of the colour it is applied to: on a reference to a colour that
  // already has one, `color-mix()` would multiply the two, so the colour is written out instead.
  const target = value instanceof TokenRef && value.subPath.length === 0 ? ctx.resolvedValue?.(value) : undefined;
  if (isPlainObject(target) && target.alpha !== undefined) return formatColor(target, ctx, alpha);
  // A colour written as CSS text that culori reads (`#4493F8`) takes the alpha directly, as Primer's build does.
  const parsed = typeof value === 'string' ? toRgb(parseCssColor(value)) : undefined;
  if (parsed && [parsed.r, parsed.g, parsed.b].every((c) => c >= 0 && c <= 1)) return formatSrgb([parsed.r, parsed.g, parsed.b], alpha);
  const base = formatTokenValue('color', value, ctx);
  return `color-mix(in srgb, ${base} ${formatNumber(alpha * 100)}%, transparent)`;
}

function formatMeasure(value: TokenValue, units: string[], legacy: RegExp, what: string, ctx: FormatContext): string {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (!legacy.test(trimmed)) throw new InvalidTokenValue(`${what} "${truncate(value)}" is not a ${what}`);
    ctx.warn('legacy-value', `${what} given as the string "${trimmed}"; DTCG 2025.10 expects { value, unit }`);
    return trimmed;
  }
  if (typeof value === 'number') {
    if (value === 0) return '0';
    throw new InvalidTokenValue(`${what} ${value} has no unit; use { value, unit } with unit ${units.join(' or ')}`);
  }
  const measure = expectObject(value, what);
  const unit = measure.unit;
  if (measure.value instanceof TokenRef || unit instanceof TokenRef) throw new InvalidTokenValue(`${what} parts cannot be references`);
  if (what === 'dimension' && typeof unit === 'string' && OTHER_CSS_LENGTH_UNITS.has(unit)) {
    // Real files (Primer's `em` letter spacing) use CSS units the format does not list; still valid CSS.
    ctx.warn('schema-violation', `dimension unit "${unit}" is not one of px, rem; emitted as written`);
  } else if (typeof unit !== 'string' || !units.includes(unit)) {
    throw new InvalidTokenValue(`${what} unit must be ${units.map((u) => `"${u}"`).join(' or ')}, got ${describe(unit)}`);
  }
  return `${formatNumber(measure.value, `${what} value`)}${unit}`;
}

function formatFontWeight(value: TokenValue, ctx: FormatContext): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 1 || value > 1000) throw new InvalidTokenValue(`font weight must be 1–1000, got ${describe(value)}`);
    return formatNumber(value);
  }
  if (typeof value === 'string') {
    const named = FONT_WEIGHTS[value.trim().toLowerCase()] ?? FONT_WEIGHTS_COMPACT.get(value.replace(/[\s_-]/g, '').toLowerCase());
    if (named !== undefined) return String(named);
    if (/^\d{1,4}$/.test(value.trim())) {
      ctx.warn('legacy-value', `font weight given as the string "${value}"; use a number`);
      return formatFontWeight(Number(value), ctx);
    }
  }
  throw new InvalidTokenValue(`font weight must be a number 1–1000 or a named weight (thin … black), got ${describe(value)}`);
}

function formatFontFamily(value: TokenValue, ctx: FormatContext): string {
  const names = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : undefined;
  if (!names || names.length === 0) throw new InvalidTokenValue(`font family must be a string or an array of strings, got ${describe(value)}`);
  return names
    .map((name) => {
      if (name instanceof TokenRef) return ctx.formatRef(name, 'fontFamily');
      if (name instanceof TokenTemplate) return formatTemplate(name, ctx);
      if (typeof name !== 'string' || name.trim() === '') throw new InvalidTokenValue(`font family names must be non-empty strings, got ${describe(name)}`);
      return quoteFontName(name.trim());
    })
    .join(', ');
}

/** Generic families and single identifiers stay bare; names with spaces or other characters are quoted. */
function quoteFontName(name: string): string {
  if (GENERIC_FONT_FAMILIES.has(name.toLowerCase()) || /^[A-Za-z_-][\w-]*$/.test(name)) return name;
  if (/^(["']).*\1$/.test(name) && !name.slice(1, -1).includes(name[0] ?? '')) return name;
  if (/["\\]/.test(name)) throw new InvalidTokenValue(`font family name ${JSON.stringify(name)} contains a quote or backslash`);
  return `"${name}"`;
}

function formatCubicBezier(value: TokenValue, ctx: FormatContext): string {
  if (typeof value === 'string' && TIMING_KEYWORDS.test(value.trim())) {
    ctx.warn('legacy-value', `timing function given as the string "${value.trim()}"; DTCG 2025.10 expects [x1, y1, x2, y2]`);
    return value.trim();
  }
  if (!Array.isArray(value) || value.length !== 4) throw new InvalidTokenValue(`cubicBezier must be an array [x1, y1, x2, y2], got ${describe(value)}`);
  const points = value.map((point, index) => {
    if (point instanceof TokenRef) return ctx.formatRef(point, 'number');
    const text = formatNumber(point, `cubicBezier point ${index}`);
    if (index % 2 === 0 && ((point as number) < 0 || (point as number) > 1)) {
      throw new InvalidTokenValue(`cubicBezier x coordinate ${index} must be between 0 and 1, got ${text}`);
    }
    return text;
  });
  return `cubic-bezier(${points.join(', ')})`;
}

/** Object stroke styles (dash arrays) have no CSS border equivalent; they become `dashed`. */
function formatStrokeStyle(value: TokenValue): string {
  if (typeof value === 'string' && STROKE_STYLES.has(value)) return value;
  if (isPlainObject(value) && Array.isArray(value.dashArray)) return 'dashed';
  throw new InvalidTokenValue(`stroke style must be one of ${[...STROKE_STYLES].join(', ')} or { dashArray, lineCap }, got ${describe(value)}`);
}

function formatBorder(value: TokenValue, ctx: FormatContext): string {
  const border = expectObject(value, 'border');
  const width = requireField(border, 'width', 'border');
  const style = requireField(border, 'style', 'border');
  const color = requireField(border, 'color', 'border');
  return `${formatField(width, 'dimension', ctx)} ${formatField(style, 'strokeStyle', ctx)} ${formatField(color, 'color', ctx)}`;
}

/** `duration delay timing-function`: CSS reads the first time as the duration and the second as the delay. */
function formatTransition(value: TokenValue, ctx: FormatContext): string {
  const transition = expectObject(value, 'transition');
  const duration = formatField(requireField(transition, 'duration', 'transition'), 'duration', ctx);
  let delay = '0ms';
  if (transition.delay === undefined) ctx.warn('missing-property', 'transition has no delay; 0ms is used');
  else delay = formatField(transition.delay, 'duration', ctx);
  const timing = formatField(requireField(transition, 'timingFunction', 'transition'), 'cubicBezier', ctx);
  return `${duration} ${delay} ${timing}`;
}

function formatShadow(value: TokenValue, ctx: FormatContext): string {
  const layers = Array.isArray(value) ? value : [value];
  if (layers.length === 0) throw new InvalidTokenValue('shadow array is empty');
  return layers
    .map((layer) => {
      if (layer instanceof TokenRef) return ctx.formatRef(layer, 'shadow');
      if (layer instanceof TokenTemplate) return formatTemplate(layer, ctx);
      if (typeof layer === 'string') return formatLiteral(layer);
      const shadow = expectObject(layer, 'shadow');
      const color = requireField(shadow, 'color', 'shadow');
      const offsetX = formatField(requireField(shadow, 'offsetX', 'shadow'), 'dimension', ctx);
      const offsetY = formatField(requireField(shadow, 'offsetY', 'shadow'), 'dimension', ctx);
      const blur = shadow.blur === undefined ? '0' : formatField(shadow.blur, 'dimension', ctx);
      const spread = shadow.spread === undefined ? '0' : formatField(shadow.spread, 'dimension', ctx);
      const colorText = typeof shadow.alpha === 'number' ? formatColorWithAlpha(color, shadow.alpha, ctx) : formatField(color, 'color', ctx);
      const inset = shadow.inset === true ? 'inset ' : '';
      return `${inset}${offsetX} ${offsetY} ${blur} ${spread} ${colorText}`;
    })
    .join(', ');
}

/** Gradient stops become `linear-gradient(90deg, …)` (left to right): the token has no direction, so one fixed choice. */
function formatGradient(value: TokenValue, ctx: FormatContext): string {
  if (!Array.isArray(value) || value.length === 0) throw new InvalidTokenValue(`gradient must be a non-empty array of { color, position } stops, got ${describe(value)}`);
  const stops = value.map((stop) => {
    const fields = expectObject(stop, 'gradient stop');
    const color = formatField(requireField(fields, 'color', 'gradient stop'), 'color', ctx);
    const position = requireField(fields, 'position', 'gradient stop');
    if (position instanceof TokenRef) return `${color} calc(${ctx.formatRef(position, 'number')} * 100%)`;
    if (typeof position !== 'number' || !Number.isFinite(position)) throw new InvalidTokenValue(`gradient stop position must be a number 0–1, got ${describe(position)}`);
    return `${color} ${formatNumber(Math.min(1, Math.max(0, position)) * 100)}%`;
  });
  return `linear-gradient(90deg, ${stops.join(', ')})`;
}

function formatTemplate(template: TokenTemplate, ctx: FormatContext): string {
  const math = mathOf(template);
  if (math) {
    const value = evaluateMath(math, (ref) => ctx.finalEmbeddedRef(ref));
    if (value !== undefined) return value;
    ctx.warn('math-as-calc', `math ${JSON.stringify(truncate(template.written))} cannot be evaluated (mixed units or non-numeric operands); emitted as calc()`);
    return `calc(${template.parts
      .map((part) => (typeof part === 'string' ? part : ctx.formatEmbeddedRef(part)))
      .join('')
      .trim()})`;
  }
  return template.parts
    .map((part) => (typeof part === 'string' ? part : ctx.formatEmbeddedRef(part)))
    .join('')
    .trim();
}

/** Parsed once per template: the expression tree, or null when the template is not math. */
const mathByTemplate = new WeakMap<TokenTemplate, ReturnType<typeof parseMath> | null>();

function mathOf(template: TokenTemplate): ReturnType<typeof parseMath> {
  let math = mathByTemplate.get(template);
  if (math === undefined) {
    math = parseMath(template.parts) ?? null;
    mathByTemplate.set(template, math);
  }
  return math ?? undefined;
}

function formatLiteral(value: TokenValue): string {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return formatNumber(value);
  throw new InvalidTokenValue(`expected a string or number, got ${describe(value)}`);
}

function expectObject(value: TokenValue, what: string): Record<string, TokenValue> {
  if (!isPlainObject(value) || value instanceof TokenRef) throw new InvalidTokenValue(`${what} must be an object, got ${describe(value)}`);
  return value;
}

function requireField(object: Record<string, TokenValue>, field: string, what: string): TokenValue {
  const value = object[field];
  if (value === undefined) throw new InvalidTokenValue(`${what} is missing "${field}"`);
  return value;
}

function describe(value: unknown): string {
  if (value instanceof TokenRef) return value.written;
  if (value instanceof TokenTemplate) return JSON.stringify(truncate(value.written));
  if (typeof value === 'string') return JSON.stringify(truncate(value));
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : typeof value;
}

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
