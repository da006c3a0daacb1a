import { findUnsafeValue } from './css-safety.js';
import { InvalidTokenValue, formatColorWithAlpha, formatTokenValue, formatTypographyParts, type FormatContext, type TypographyPart } from './css-values.js';
import { rawValueOf, type ResolvedToken, type ThemeMode } from './resolve-references.js';
import type { ThemeProblems } from './theme-problems.js';
import { TokenRef, TokenTemplate, alphaOf, createRecord, hasOwn, isPlainObject, type Token, type TokenGraph, type TokenType, type TokenValue } from './token-graph.js';
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
  /**
   * Resolve-style renderings already made, per mode (undefined: the token could not be emitted), so
   * a reference embedded in a string can use its target's final text. Filled on demand.
   */
  finals?: Record<ThemeMode, Map<string, RenderedToken | undefined>>;
  /** Tokens whose rendering warned: their text is not reused for an alias, whose own warnings would differ. */
  warned?: Set<string>;
}

/** An embedded reference's target could not be emitted; that fault is reported at the target, so the template fails silently. */
class EmbeddedTargetFailed extends Error {}

/**
 * The CSS of one token in one mode and reference style, or undefined when it cannot be emitted
 * (the reason is reported, naming the token). Every emitted text passes the break-out check.
 */
export function renderToken(token: Token, mode: ThemeMode, style: ReferenceStyle, env: RenderEnvironment): RenderedToken | undefined {
  const raw = rawValueOf(token, mode);
  // Without references (and without an alpha, which the resolved value already carries) both styles
  // render the very same value: the final text is the emitted one.
  if (style === 'var' && (alphaOf(token, mode) !== undefined || hasReference(raw))) return renderUncached(token, mode, style, env);
  const finals = finalsOf(env, mode);
  if (!finals.has(token.key)) {
    const shared = aliasFinal(token, raw, mode, env, finals);
    if (shared) {
      finals.set(token.key, shared);
    } else {
      renderEmbeddedTargets(token.key, mode, env);
      finals.set(token.key, renderUncached(token, mode, 'resolve', env));
    }
  }
  return finals.get(token.key);
}

/**
 * An alias (`{a.b}`, no alpha on either side, one type) resolves to its target's very value, so
 * its final text is the target's, when that is already made and rendered without a warning.
 */
function aliasFinal(token: Token, raw: TokenValue, mode: ThemeMode, env: RenderEnvironment, finals: Map<string, RenderedToken | undefined>): RenderedToken | undefined {
  if (!(raw instanceof TokenRef) || raw.subPath.length !== 0 || alphaOf(token, mode) !== undefined) return undefined;
  const targetFinal = finals.get(raw.key);
  if (!targetFinal || env.warned?.has(raw.key)) return undefined;
  const target = env.graph.tokens.get(raw.key);
  const resolvedMode = env.resolved[mode];
  if (!target || !resolvedMode || alphaOf(target, mode) !== undefined) return undefined;
  const own = resolvedMode.get(token.key);
  const theirs = resolvedMode.get(raw.key);
  return own && theirs && own.type !== undefined && own.type === theirs.type && own.value === theirs.value ? targetFinal : undefined;
}

/** Whether a value holds a reference anywhere (whole, embedded in a string, or inside a composite). */
function hasReference(value: TokenValue): boolean {
  if (typeof value !== 'object') return false;
  if (value instanceof TokenRef || value instanceof TokenTemplate) return true;
  if (Array.isArray(value)) return value.some(hasReference);
  for (const key of Object.keys(value)) if (hasReference(value[key] as TokenValue)) return true;
  return false;
}

function finalsOf(env: RenderEnvironment, mode: ThemeMode): Map<string, RenderedToken | undefined> {
  env.finals ??= { light: new Map(), dark: new Map() };
  return env.finals[mode];
}

/**
 * Renders (resolve style) every token whose final text a token's embedded references need, and
 * theirs in turn, dependencies first. It keeps its own stack, so a long chain of strings embedding
 * each other does not recurse; references are already resolved, so there is no cycle.
 */
function renderEmbeddedTargets(key: string, mode: ThemeMode, env: RenderEnvironment): void {
  const resolvedMode = env.resolved[mode];
  if (!resolvedMode) return;
  const finals = finalsOf(env, mode);
  const targetsOf = (of: string) => {
    const resolved = resolvedMode.get(of);
    return resolved ? embeddedTargets(resolved.value) : [];
  };
  const first = targetsOf(key);
  if (first.length === 0) return;
  const visiting = new Set([key]);
  const stack = [{ key, targets: first, next: 0 }];
  while (stack.length) {
    const frame = stack[stack.length - 1]!;
    if (frame.next < frame.targets.length) {
      const target = frame.targets[frame.next++]!;
      if (!finals.has(target) && !visiting.has(target) && env.graph.tokens.has(target)) {
        visiting.add(target);
        stack.push({ key: target, targets: targetsOf(target), next: 0 });
      }
      continue;
    }
    stack.pop();
    if (stack.length) finals.set(frame.key, renderUncached(env.graph.tokens.get(frame.key)!, mode, 'resolve', env));
  }
}

/** Keys of the tokens referred to from inside strings anywhere in a (resolved) value. */
function embeddedTargets(value: TokenValue, into: string[] = []): string[] {
  if (typeof value !== 'object' || value instanceof TokenRef) return into;
  if (value instanceof TokenTemplate) for (const ref of value.refs) into.push(ref.key);
  else if (Array.isArray(value)) for (const item of value) embeddedTargets(item, into);
  else if (isPlainObject(value)) for (const key of Object.keys(value)) embeddedTargets(value[key] as TokenValue, into);
  return into;
}

/**
 * The format context of one environment, mode and style, made once: only `warn` depends on the
 * token being rendered, and it reads `current`, which renderUncached sets (and restores, since
 * rendering a string's embedded targets renders other tokens in between).
 */
class RenderContext implements FormatContext {
  current = '';
  constructor(
    private readonly env: RenderEnvironment,
    private readonly mode: ThemeMode,
    private readonly style: ReferenceStyle,
    private readonly resolvedMode: Map<string, ResolvedToken>,
  ) {}

  warn(code: string, message: string): void {
    const { env } = this;
    (env.warned ??= new Set()).add(this.current);
    if (code !== 'legacy-value' || env.graph.format === 'dtcg' || env.graph.format === 'dtcg-resolver') env.problems.warn(this.current, code, message);
  }

  formatRef(ref: TokenRef, expected: TokenType): string {
    const targetType = this.resolvedMode.get(ref.key)?.type;
    if (targetType && targetType !== expected && targetType !== 'css' && expected !== 'css') {
      throw new InvalidTokenValue(`${ref.written} is a ${targetType} token where a ${expected} is expected`);
    }
    return this.referenceOnlyFinal(ref) ?? `var(${variableNameOf(ref.key, this.env.graph)})`;
  }

  /** A token nested in a token has no variable of its own: a reference to it takes its final text. */
  private referenceOnlyFinal(ref: TokenRef): string | undefined {
    const target = this.env.graph.tokens.get(ref.key);
    if (!target?.referenceOnly) return undefined;
    const final = renderToken(target, this.mode, 'resolve', this.env);
    if (!final) throw new EmbeddedTargetFailed();
    return final.main;
  }

  resolvedValue(ref: TokenRef): TokenValue | undefined {
    return this.resolvedMode.get(ref.key)?.value;
  }

  finalEmbeddedRef(ref: TokenRef): string | undefined {
    const target = this.env.graph.tokens.get(ref.key);
    return target ? renderToken(target, this.mode, 'resolve', this.env)?.main : undefined;
  }

  formatEmbeddedRef(ref: TokenRef): string {
    if (this.style === 'var') return this.referenceOnlyFinal(ref) ?? `var(${variableNameOf(ref.key, this.env.graph)})`;
    const target = this.env.graph.tokens.get(ref.key);
    const final = target && renderToken(target, this.mode, 'resolve', this.env);
    if (!final) throw new EmbeddedTargetFailed();
    return final.main;
  }
}

const contexts = new WeakMap<RenderEnvironment, Map<string, RenderContext>>();

function contextOf(env: RenderEnvironment, mode: ThemeMode, style: ReferenceStyle, resolvedMode: Map<string, ResolvedToken>): RenderContext {
  let byMode = contexts.get(env);
  if (!byMode) contexts.set(env, (byMode = new Map<string, RenderContext>()));
  const key = `${mode}/${style}`;
  let ctx = byMode.get(key);
  if (!ctx) byMode.set(key, (ctx = new RenderContext(env, mode, style, resolvedMode)));
  return ctx;
}

function renderUncached(token: Token, mode: ThemeMode, style: ReferenceStyle, env: RenderEnvironment): RenderedToken | undefined {
  const resolvedMode = env.resolved[mode];
  const resolved = resolvedMode?.get(token.key);
  if (!resolvedMode || !resolved) return undefined;
  const ctx = contextOf(env, mode, style, resolvedMode);
  const outer = ctx.current;
  ctx.current = token.key;
  try {
    return renderWith(ctx, token, resolved, mode, style, resolvedMode, env);
  } finally {
    ctx.current = outer;
  }
}

function renderWith(
  ctx: RenderContext,
  token: Token,
  resolved: ResolvedToken,
  mode: ThemeMode,
  style: ReferenceStyle,
  resolvedMode: Map<string, ResolvedToken>,
  env: RenderEnvironment,
): RenderedToken | undefined {
  const type = resolved.type ?? inferType(resolved.value, (code, message) => ctx.warn(code, message));
  if (!type) {
    env.problems.error(token.key, 'unknown-type', 'has no $type (on the token or a parent group) and none can be inferred from its value');
    return undefined;
  }
  if (type !== 'css' && typeof resolved.value === 'string' && resolved.value.trim() === '') {
    // `--x: ;` is valid CSS (CSS Variables 1), but no colour, size or other typed value is empty.
    env.problems.error(token.key, 'empty-value', `value is empty; a ${type} token needs a value (only a token without $type, or of a string type, is emitted empty as "--x: ;")`);
    return undefined;
  }
  try {
    const rendered = style === 'resolve' ? renderValue(type, resolved.value, alphaOf(token, mode), ctx) : renderWithVars(token, type, mode, resolvedMode, ctx, env.graph);
    const unsafe = findUnsafeValue(rendered.main) ?? rendered.parts.reduce<string | undefined>((found, part) => found ?? findUnsafeValue(part.css), undefined);
    if (unsafe) {
      env.problems.error(token.key, 'unsafe-value', `value ${unsafe}; it could break out of its CSS declaration`);
      return undefined;
    }
    return rendered;
  } catch (error) {
    if (error instanceof EmbeddedTargetFailed) return undefined;
    if (!(error instanceof InvalidTokenValue)) throw error;
    env.problems.error(token.key, 'invalid-value', `not a valid ${type}: ${error.message}`);
    return undefined;
  }
}

function renderValue(type: TokenType, value: TokenValue, alpha: number | undefined, ctx: FormatContext): RenderedToken {
  const main = alpha !== undefined && type === 'color' ? formatColorWithAlpha(value, alpha, ctx) : formatTokenValue(type, value, ctx);
  // A typography token written as `font` shorthand text has no fields to split into sub-variables.
  return { main, parts: type === 'typography' && isPlainObject(value) ? formatTypographyParts(value, ctx) : [] };
}

/** A whole-token alias becomes `var(--target)` (and `var(--target-font-size)`… for typography). */
function renderWithVars(token: Token, type: TokenType, mode: ThemeMode, resolved: Map<string, ResolvedToken>, ctx: FormatContext, graph: TokenGraph): RenderedToken {
  const raw = rawValueOf(token, mode);
  if (raw instanceof TokenRef && raw.subPath.length === 0 && !graph.tokens.get(raw.key)?.referenceOnly) {
    const target = variableNameOf(raw.key, graph);
    const alpha = alphaOf(token, mode);
    const main = alpha !== undefined && type === 'color' ? formatColorWithAlpha(raw, alpha, ctx) : `var(${target})`;
    const targetValue = resolved.get(raw.key)!.value;
    const parts = type === 'typography' && isPlainObject(targetValue) ? formatTypographyParts(targetValue, ctx).map(({ suffix }) => ({ suffix, css: `var(${target}${suffix})` })) : [];
    return { main, parts };
  }
  return renderValue(type, inlinePointerRefs(raw, resolved), alphaOf(token, mode), ctx);
}

/** JSON-pointer references into part of a value cannot be a `var()`; they are replaced by the part they name. */
function inlinePointerRefs(value: TokenValue, resolved: Map<string, ResolvedToken>): TokenValue {
  if (value instanceof TokenRef) {
    if (value.subPath.length === 0) return value;
    let node: TokenValue = resolved.get(value.key)!.value;
    for (const segment of value.subPath) node = (node as Record<string, TokenValue>)[segment]!;
    return node;
  }
  // Only a value holding a pointer reference needs a copy; any other is used as it is.
  if (!hasPointerRef(value)) return value;
  if (Array.isArray(value)) return value.map((item) => inlinePointerRefs(item, resolved));
  if (isPlainObject(value)) {
    const copy = createRecord<TokenValue>();
    for (const key of Object.keys(value)) if (hasOwn(value, key)) copy[key] = inlinePointerRefs(value[key] as TokenValue, resolved);
    return copy;
  }
  return value;
}

function hasPointerRef(value: TokenValue): boolean {
  if (typeof value !== 'object' || value instanceof TokenTemplate) return false;
  if (value instanceof TokenRef) return value.subPath.length !== 0;
  if (Array.isArray(value)) return value.some(hasPointerRef);
  for (const key of Object.keys(value)) if (hasPointerRef(value[key] as TokenValue)) return true;
  return false;
}

/** Variable names by token key, per graph: a token is named once however often it is referred to. */
const namesByGraph = new WeakMap<TokenGraph, Map<string, string>>();

export function variableNameOf(key: string, graph: TokenGraph): string {
  let names = namesByGraph.get(graph);
  if (!names) {
    names = new Map();
    namesByGraph.set(graph, names);
  }
  let name = names.get(key);
  if (name === undefined) {
    const token = graph.tokens.get(key);
    name = toVariableName(token ? token.path : key.split('.'), graph.naming);
    names.set(key, name);
  }
  return name;
}

/** DTCG requires a type; when one is missing, the obvious shapes are still recognised (with a warning). */
function inferType(value: TokenValue, warn: (code: string, message: string) => void): TokenType | undefined {
  let type: TokenType | undefined;
  if (typeof value === 'number') type = 'number';
  else if (typeof value === 'string' || value instanceof TokenTemplate) type = 'css';
  else if (Array.isArray(value) && value.length === 4 && value.every((n) => typeof n === 'number')) type = 'cubicBezier';
  else if (isPlainObject(value) && hasOwn(value, 'colorSpace')) type = 'color';
  else if (isPlainObject(value) && hasOwn(value, 'unit')) type = value.unit === 'ms' || value.unit === 's' ? 'duration' : 'dimension';
  if (type) warn('missing-type', `no $type; read as ${type === 'css' ? 'a literal CSS value' : type} from the value's shape`);
  return type;
}
