import type { TokenType } from './token-graph.js';

/**
 * Token types of Tokens Studio (its `TokenTypes`) that are not DTCG type names. Their presence marks
 * a file as Tokens Studio's, whether it writes `value`/`type` or `$value`/`$type`, with or without
 * `$metadata`; such files get Tokens Studio's value shapes (x/y shadows, unitless pixel sizes).
 */
export const TOKENS_STUDIO_TYPES: ReadonlySet<string> = new Set([
  'other',
  'text',
  'borderRadius',
  'borderWidth',
  'sizing',
  'spacing',
  'opacity',
  'boxShadow',
  'fontFamilies',
  'fontWeights',
  'fontSizes',
  'lineHeights',
  'letterSpacing',
  'paragraphSpacing',
  'paragraphIndent',
  'textCase',
  'textDecoration',
  'composition',
  'asset',
  'boolean',
]);

/**
 * The one mapping of vendor type names (Tokens Studio's, and Style Dictionary 3's categories) to the
 * DTCG type their values are read as. `css` marks free-form types (Tokens Studio's `other`,
 * `textCase`, …): the value is emitted as written, and a reference takes its target's type.
 */
const VENDOR_TYPES: Readonly<Record<string, TokenType>> = {
  // Tokens Studio
  sizing: 'dimension',
  spacing: 'dimension',
  borderRadius: 'dimension',
  borderWidth: 'dimension',
  fontSizes: 'dimension',
  letterSpacing: 'dimension',
  paragraphSpacing: 'dimension',
  paragraphIndent: 'dimension',
  fontFamilies: 'fontFamily',
  fontWeights: 'fontWeight',
  lineHeights: 'number',
  opacity: 'number',
  boxShadow: 'shadow',
  other: 'css',
  text: 'css',
  textCase: 'css',
  textDecoration: 'css',
  asset: 'css',
  boolean: 'css',
  // Style Dictionary 3 categories
  size: 'dimension',
  fontSize: 'dimension',
  lineHeight: 'number',
  time: 'duration',
};

/** The DTCG type a vendor type name (Tokens Studio, Style Dictionary 3) is read as; undefined for any other name. */
export function dtcgTypeOf(name: string): TokenType | undefined {
  return Object.hasOwn(VENDOR_TYPES, name) ? VENDOR_TYPES[name] : undefined;
}

/** Tokens Studio's size types: a unitless number means pixels (as its Style Dictionary transforms read it). */
export const PIXEL_TYPES: ReadonlySet<string> = new Set([
  'dimension',
  'sizing',
  'spacing',
  'borderRadius',
  'borderWidth',
  'fontSizes',
  'fontSize',
  'letterSpacing',
  'paragraphSpacing',
  'paragraphIndent',
]);
