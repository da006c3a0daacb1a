import { createRequire } from 'node:module';
import type { TokenType } from './token-graph.js';

/**
 * Which CSS property's grammar a token type's value must satisfy when it is written as plain CSS
 * text instead of the DTCG shape (`border: "0.0625rem solid #7D828B"`, `lineHeight: "155%"`).
 * Several properties are tried for types CSS uses in more than one place (a dimension may be a
 * length, a percentage or a line height).
 */
const PROPERTIES: Partial<Record<TokenType, readonly string[]>> = {
  color: ['color'],
  dimension: ['width', 'margin-left', 'letter-spacing', 'line-height', 'border-radius'],
  fontFamily: ['font-family'],
  fontWeight: ['font-weight'],
  duration: ['transition-duration'],
  cubicBezier: ['transition-timing-function'],
  number: ['line-height', 'opacity', 'z-index'],
  strokeStyle: ['border-style'],
  border: ['border'],
  transition: ['transition'],
  shadow: ['box-shadow', 'text-shadow'],
  gradient: ['background-image'],
  typography: ['font'],
};

interface Lexer {
  matchProperty(property: string, value: string): { matched: unknown };
  matchType(type: string, value: string): { matched: unknown };
}

let lexer: Lexer | undefined;

/**
 * css-tree is loaded on the first value that needs it: most token sets are DTCG-shaped throughout,
 * and the theme engine's start-up stays free of the CSS grammar tables.
 */
function cssLexer(): Lexer {
  lexer ??= (createRequire(import.meta.url)('css-tree') as { lexer: Lexer }).lexer;
  return lexer;
}

/**
 * The CSS property whose grammar accepts `value` for a token of `type`, or undefined when none does.
 * Safety (no `;`, `}`, comments, escapes) is checked separately, on every emitted value.
 */
export function cssPropertyAccepting(type: TokenType, value: string): string | undefined {
  const properties = PROPERTIES[type];
  if (!properties || value.trim() === '') return undefined;
  for (const property of properties) {
    try {
      if (cssLexer().matchProperty(property, value).matched) return property;
    } catch {
      // A value css-tree cannot even parse matches no property.
    }
  }
  return undefined;
}

/**
 * Whether `value` is one CSS gradient (`linear-gradient(…)`, radial, conic, and their repeating
 * forms) by css-tree's `<gradient>` grammar. Tokens Studio lets a colour token hold one.
 */
export function isCssGradient(value: string): boolean {
  if (!/^\s*(repeating-)?(linear|radial|conic)-gradient\(/i.test(value)) return false;
  try {
    return Boolean(cssLexer().matchType('gradient', value).matched);
  } catch {
    return false;
  }
}
