import type { VariableNaming } from './variable-name.js';
import type { ThemeFormat } from './schemas.js';

/** The value types of the DTCG 2025.10 format, plus `css`: a Tekton literal emitted as written (after safety checks). */
export const TOKEN_TYPES = [
  'color',
  'dimension',
  'fontFamily',
  'fontWeight',
  'duration',
  'cubicBezier',
  'number',
  'strokeStyle',
  'border',
  'transition',
  'shadow',
  'gradient',
  'typography',
  'css',
] as const;
export type TokenType = (typeof TOKEN_TYPES)[number];

export function isTokenType(value: unknown): value is TokenType {
  return typeof value === 'string' && (TOKEN_TYPES as readonly string[]).includes(value);
}

/**
 * Groups and values nested deeper than this are refused: real themes stay under ten levels, and
 * the cap keeps every walk well away from the stack limit whatever the input.
 */
export const MAX_NESTING_DEPTH = 64;

/** Default cap on the number of tokens when the caller gives none. */
export const DEFAULT_MAX_TOKENS = 100_000;

/**
 * A reference to another token, left unresolved in the graph. `subPath` is set for a JSON-pointer
 * reference into part of a value (`#/colors/blue/$value/components/0`).
 */
export class TokenRef {
  readonly key: string;
  constructor(
    readonly path: readonly string[],
    /** The reference as the author wrote it, for messages. */
    readonly written: string,
    readonly subPath: readonly string[] = [],
  ) {
    this.key = tokenKey(path);
  }
}

/**
 * A string with references embedded in it (`'inset 0 0 0 {borderWidth.thin}'`), as Style Dictionary
 * resolves them: literal text and `TokenRef`s in order. Each reference becomes `var(--target)` or,
 * when values are resolved, the target's final CSS text; the joined text is safety-checked whole.
 */
export class TokenTemplate {
  readonly refs: readonly TokenRef[];
  constructor(
    readonly parts: ReadonlyArray<string | TokenRef>,
    /** The string as the author wrote it, for messages. */
    readonly written: string,
  ) {
    this.refs = parts.filter((part): part is TokenRef => part instanceof TokenRef);
  }
}

/**
 * A token value with references kept as `TokenRef` (whole value) or `TokenTemplate` (embedded in a
 * string); objects have no prototype so keys like `__proto__` stay plain data.
 */
export type TokenValue = string | number | boolean | TokenRef | TokenTemplate | TokenValue[] | { [key: string]: TokenValue };

export interface Token {
  path: string[];
  key: string;
  /** Declared (or inherited from a group) type; undefined when it must be inferred from a referenced token. */
  type?: TokenType;
  value: TokenValue;
  description?: string;
  deprecated?: boolean | string;
  /** Primer's non-standard token-level `alpha` on colour tokens, applied when emitting. */
  alpha?: number;
  /** Dark-mode value, and dark-mode alpha when it differs from `alpha` (null: none in dark). */
  modes: { dark?: TokenValue; darkAlpha?: number | null };
  /** A token nested inside another token: not a token by DTCG, so not emitted; references to it resolve to its value. */
  referenceOnly?: boolean;
}

/** The normalised form every input format is parsed into: tokens in document order, references unresolved. */
export interface TokenGraph {
  format: ThemeFormat;
  themeId: string;
  tokens: Map<string, Token>;
  /** Keys of groups, so a reference to a group can be told apart from a broken one. */
  groups: Set<string>;
  /** How token paths become variable names; kebab-case without a prefix when absent. */
  naming?: VariableNaming;
}

export function tokenKey(path: readonly string[]): string {
  return path.join('.');
}

/** An object holding data: not null, an array, or a reference (`TokenRef`, `TokenTemplate`). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof TokenRef) && !(value instanceof TokenTemplate);
}

export function hasOwn(object: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}

/** A fresh prototype-less object, so merged input can never reach `Object.prototype`. */
export function createRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** A token's alpha in a mode: the dark override's when one was given (null there: no alpha). */
export function alphaOf(token: Token, mode: 'light' | 'dark'): number | undefined {
  if (mode === 'dark' && token.modes.darkAlpha !== undefined) return token.modes.darkAlpha ?? undefined;
  return token.alpha;
}
