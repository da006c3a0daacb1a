import { findUnsafeCss } from './css-safety.js';
import {
  InvalidTokenValue,
  formatColorWithAlpha,
  formatTokenValue,
  formatTypographyParts,
  type FormatContext,
  type TypographyPart,
} from './css-values.js';
import { rawValueOf, type ResolvedToken, type ThemeMode } from './resolve-references.js';
import type { ThemeProblems } from './theme-problems.js';
import { TokenRef, createRecord, hasOwn, isPlainObject, type Token, type TokenGraph, type TokenType, type TokenValue } from './token-graph.js';
import { toVariableName } from './variable-name.js';

/** `var`: references stay `var(--target)` so overrides cascade; `resolve`: every value is final. */
export type ReferenceStyle = 'var' | 'resolve';

/** A token's CSS: the main value, plus the typography sub-variables (suffix and value). */
export interface RenderedToken {
  main: string;
  parts: TypographyPart[];
}

export interface RenderEnvironment {
  graph: TokenGraph;
  resolved: Record<ThemeMode, Map<string, ResolvedToken> | undefined>;
  problems: ThemeProblems;
}

/**
 * The CSS of one token in one mode and reference style, or undefined when it cannot be emitted
 * (the reason is reported, naming the token). Every emitted text passes the break-out check.
 */
export function renderToken(token: Token, mode: ThemeMode, style: ReferenceStyle, env: RenderEnvironment): RenderedToken | undefined {
  const resolvedMode = env.resolved[mode];
  const resolved = resolvedMode?.get(token.key);
  if (!resolvedMode || !resolved) return undefined;
  const warn = (code: string, message: string) => {
    if (env.graph.format !== 'tekton' || code !== 'legacy-value') env.problems.warn(token.key, code, message);
  };
  const type = resolved.type ?? inferType(resolved.value, warn);
  if (!type) {
    env.problems.error(token.key, 'unknown-type', 'has no $type (on the token or a parent group) and none can be inferred from its value');
    return undefined;
  }
  const ctx: FormatContext = {
    warn,
    formatRef: (ref, expected) => {
      const targetType = resolvedMode.get(ref.key)?.type;
      if (targetType && targetType !== expected && targetType !== 'css' && expected !== 'css') {
        throw new InvalidTokenValue(`${ref.written} is a ${targetType} token where a ${expected} is expected`);
      }
      return `var(${variableNameOf(ref.key, env.graph)})`;
    },
  };
  try {
    const rendered = style === 'resolve' ? renderValue(type, resolved.value, token.alpha, ctx) : renderWithVars(token, type, mode, resolvedMode, ctx, env.graph);
    for (const text of [rendered.main, ...rendered.parts.map((part) => part.css)]) {
      const unsafe = findUnsafeCss(text);
      if (unsafe) {
        env.problems.error(token.key, 'unsafe-value', `value ${unsafe}; it could break out of its CSS declaration`);
        return undefined;
      }
    }
    return rendered;
  } catch (error) {
    if (!(error instanceof InvalidTokenValue)) throw error;
    env.problems.error(token.key, 'invalid-value', `not a valid ${type}: ${error.message}`);
    return undefined;
  }
}

function renderValue(type: TokenType, value: TokenValue, alpha: number | undefined, ctx: FormatContext): RenderedToken {
  const main = alpha !== undefined && type === 'color' ? formatColorWithAlpha(value, alpha, ctx) : formatTokenValue(type, value, ctx);
  return { main, parts: type === 'typography' ? formatTypographyParts(value, ctx) : [] };
}

/** A whole-token alias becomes `var(--target)` (and `var(--target-font-size)`… for typography). */
function renderWithVars(token: Token, type: TokenType, mode: ThemeMode, resolved: Map<string, ResolvedToken>, ctx: FormatContext, graph: TokenGraph): RenderedToken {
  const raw = rawValueOf(token, mode);
  if (raw instanceof TokenRef && raw.subPath.length === 0) {
    const target = variableNameOf(raw.key, graph);
    const main = token.alpha !== undefined && type === 'color' ? formatColorWithAlpha(raw, token.alpha, ctx) : `var(${target})`;
    const parts = type === 'typography' ? formatTypographyParts(resolved.get(raw.key)!.value, ctx).map(({ suffix }) => ({ suffix, css: `var(${target}${suffix})` })) : [];
    return { main, parts };
  }
  return renderValue(type, inlinePointerRefs(raw, resolved), token.alpha, ctx);
}

/** JSON-pointer references into part of a value cannot be a `var()`; they are replaced by the part they name. */
function inlinePointerRefs(value: TokenValue, resolved: Map<string, ResolvedToken>): TokenValue {
  if (value instanceof TokenRef) {
    if (value.subPath.length === 0) return value;
    let node: TokenValue = resolved.get(value.key)!.value;
    for (const segment of value.subPath) node = (node as Record<string, TokenValue>)[segment]!;
    return node;
  }
  if (Array.isArray(value)) return value.map((item) => inlinePointerRefs(item, resolved));
  if (isPlainObject(value)) {
    const copy = createRecord<TokenValue>();
    for (const key of Object.keys(value)) if (hasOwn(value, key)) copy[key] = inlinePointerRefs(value[key] as TokenValue, resolved);
    return copy;
  }
  return value;
}

export function variableNameOf(key: string, graph: TokenGraph): string {
  const token = graph.tokens.get(key);
  return toVariableName(token ? token.path : key.split('.'));
}

/** DTCG requires a type; when one is missing, the obvious shapes are still recognised (with a warning). */
function inferType(value: TokenValue, warn: (code: string, message: string) => void): TokenType | undefined {
  let type: TokenType | undefined;
  if (typeof value === 'number') type = 'number';
  else if (typeof value === 'string') type = 'css';
  else if (Array.isArray(value) && value.length === 4 && value.every((n) => typeof n === 'number')) type = 'cubicBezier';
  else if (isPlainObject(value) && hasOwn(value, 'colorSpace')) type = 'color';
  else if (isPlainObject(value) && hasOwn(value, 'unit')) type = value.unit === 'ms' || value.unit === 's' ? 'duration' : 'dimension';
  if (type) warn('missing-type', `no $type; read as ${type === 'css' ? 'a literal CSS value' : type} from the value's shape`);
  return type;
}
