import { createHash } from 'node:crypto';
import { checkContrast, findContrastPairs } from './contrast.js';
import { buildTokenGraph, type ReadOptions } from './build-token-graph.js';
import { convertModes, type ModeRun } from './theme-modes.js';
import { bindDefaults, type DefaultBinding } from './default-bindings.js';
import { detectThemeFormat } from './detect-format.js';
import { emitCss, validateDarkSelector, type Declaration } from './emit-css.js';
import { renderToken, variableNameOf, type RenderEnvironment, type RenderedToken } from './render-token.js';
import { resolveReferences, type ThemeMode } from './resolve-references.js';
import type { ThemeCss, ThemeCssOptions } from './schemas.js';
import { ThemeProblems } from './theme-problems.js';
import { DEFAULT_MAX_TOKENS, type Token } from './token-graph.js';

export interface ThemeLimits {
  maxTokens?: number;
  defaultBindings?: readonly DefaultBinding[];
}

/**
 * A Tekton theme, DTCG token tree or DTCG resolver document → one CSS file of custom properties,
 * all or nothing: every problem is collected and thrown as one ThemeError (each issue names its
 * token path). For the screens and components that need a clean theme.
 *
 * @example
 * const { css } = generateThemeCss(theme, ThemeCssOptionsSchema.parse({ darkMedia: true }));
 */
export function generateThemeCss(input: unknown, options: ThemeCssOptions, limits: ThemeLimits = {}): ThemeCss {
  return convertTheme(input, { ...options, strict: true }, limits);
}

/**
 * Like generateThemeCss, but (unless `options.strict`) partial: only the refused tokens are left
 * out, and the result lists them in `errors` beside the CSS of every usable token. Usable oddities
 * (CSS text where DTCG expects a shape, a trailing `;`) and low text contrast come back as warnings.
 * Input that cannot be read at all (not a theme, too many tokens, a bad dark selector) still throws.
 */
export function convertTheme(input: unknown, options: ThemeCssOptions, limits: ThemeLimits = {}): ThemeCss {
  validateDarkSelector(options.darkSelector);
  if (options.modes?.length) return convertModes(options, (read) => convertOnce(input, options, limits, read));
  return convertOnce(input, options, limits, { unwrap: options.unwrap, mode: options.mode }).result;
}

/** One reading of the input (one mode, or light plus dark): the result and the declarations behind its CSS. */
function convertOnce(input: unknown, options: ThemeCssOptions, limits: ThemeLimits, read: ReadOptions): ModeRun {
  const format = detectThemeFormat(input);
  const problems = new ThemeProblems();
  const graph = buildTokenGraph(input as Record<string, unknown>, format, problems, limits.maxTokens ?? DEFAULT_MAX_TOKENS, { ...read, unwrap: options.unwrap, includeSets: options.includeSets });
  graph.naming = options.prefix ? { style: options.naming, prefix: options.prefix } : { style: options.naming };
  const hasDark = [...graph.tokens.values()].some((token) => token.modes.dark !== undefined);
  const env: RenderEnvironment = {
    graph,
    problems,
    resolved: { light: resolveReferences(graph, 'light', problems), dark: hasDark ? resolveReferences(graph, 'dark', problems) : undefined },
  };

  const lightDeclarations: Declaration[] = [];
  const darkDeclarations: Declaration[] = [];
  const resolved = { light: new Map<string, string>(), dark: new Map<string, string>() };
  const finalByKey: Record<ThemeMode, Map<string, string>> = { light: new Map(), dark: new Map() };
  const owners = new Map<string, NameOwner>();

  for (const token of graph.tokens.values()) {
    // A token nested in a token is read for references only (DTCG 2025.10: not a token).
    if (token.referenceOnly) continue;
    const name = variableNameOf(token.key, graph);
    const final = renderModes(token, 'resolve', env, hasDark);
    const emitted = options.references === 'resolve' ? final : renderModes(token, 'var', env, hasDark);
    if (!final.light || !emitted.light) continue;
    const declarations = toDeclarations(name, emitted.light, token);
    const claim = claimNames(declarations, token.key, final, owners, problems);
    if (claim === 'refused') continue;
    if (claim !== 'new') {
      // The same value under a second path (an alias and its target): emitted once. If the kept
      // declaration is the alias, it now reads `var(--itself)`; it takes this token's text instead.
      replaceSelfReference(lightDeclarations, claim.light, declarations[0]!.value);
      if (emitted.dark) replaceSelfReference(darkDeclarations, claim.dark, emitted.dark.main);
      continue;
    }
    const owner = owners.get(name)!;
    owner.light = lightDeclarations.length;
    lightDeclarations.push(...declarations);
    addValues(resolved.light, name, final.light);
    finalByKey.light.set(token.key, final.light.main);
    if (!hasDark || !final.dark || !emitted.dark) continue;
    addValues(resolved.dark, name, final.dark);
    finalByKey.dark.set(token.key, final.dark.main);
    const lightByName = new Map(declarations.map((d) => [d.name, d.value]));
    for (const declaration of toDeclarations(name, emitted.dark)) {
      if (lightByName.get(declaration.name) === declaration.value) continue;
      if (declaration.name === name) owner.dark = darkDeclarations.length;
      darkDeclarations.push(declaration);
    }
  }
  // Strict asks for all or nothing; with no usable token at all there is nothing partial to return.
  if (options.strict || owners.size === 0) problems.throwIfErrors(graph.themeId);

  const pairs = findContrastPairs([...graph.tokens.keys()], format);
  const contrastWarnings = [...checkContrast(pairs, finalByKey.light, read.singleMode && read.mode ? read.mode : 'light'), ...(hasDark ? checkContrast(pairs, finalByKey.dark, 'dark') : [])];
  if (limits.defaultBindings?.length && options.componentDefaults) {
    const emitted = new Set(lightDeclarations.map((declaration) => declaration.name));
    const bound = bindDefaults(limits.defaultBindings, emitted, { light: resolved.light, dark: hasDark ? resolved.dark : resolved.light }, options.references);
    lightDeclarations.push(...bound.light);
    darkDeclarations.push(...bound.dark);
    for (const [name, value] of bound.resolvedLight) resolved.light.set(name, value);
    if (hasDark) for (const [name, value] of bound.resolvedDark) resolved.dark.set(name, value);
  }
  // A mode of `modes` is emitted by convertModes, with the others; its own stylesheet is not needed.
  const css = read.singleMode ? '' : emitCss(lightDeclarations, darkDeclarations, options);
  const warnings = [...problems.finalWarnings(), ...contrastWarnings];
  const result: ThemeCss = {
    css,
    errors: problems.errors,
    errorCount: problems.totalErrors,
    warningSummary: problems.summary(warnings),
    tokenCount: graph.tokens.size,
    variables: new Map(lightDeclarations.map((d) => [d.name, d.value])),
    darkVariables: new Map(darkDeclarations.map((d) => [d.name, d.value])),
    resolved,
    warnings,
    themeId: graph.themeId,
    format,
    hash: createHash('sha256').update(css).digest('hex'),
  };
  return { result, light: lightDeclarations };
}

function renderModes(token: Token, style: 'var' | 'resolve', env: RenderEnvironment, hasDark: boolean) {
  return {
    light: renderToken(token, 'light', style, env),
    dark: hasDark ? renderToken(token, 'dark', style, env) : undefined,
  };
}

function toDeclarations(name: string, rendered: RenderedToken, token?: Token): Declaration[] {
  const main: Declaration = { name, value: rendered.main };
  if (token?.description) main.description = token.description;
  if (token?.deprecated) main.deprecated = token.deprecated;
  return [main, ...rendered.parts.map((part) => ({ name: `${name}${part.suffix}`, value: part.css }))];
}

function addValues(target: Map<string, string>, name: string, rendered: RenderedToken): void {
  target.set(name, rendered.main);
  for (const part of rendered.parts) target.set(`${name}${part.suffix}`, part.css);
}

/** The token that claimed a variable name: its key, final values, and where its declarations sit. */
interface NameOwner {
  key: string;
  final: FinalRendering;
  light: number;
  dark: number;
}

type FinalRendering = { light?: RenderedToken; dark?: RenderedToken };

/** Both modes' final text, to tell a harmless duplicate (same value) from a real collision; built only on a collision. */
function finalText(final: FinalRendering): string {
  const text = (rendered?: RenderedToken) => (rendered ? [rendered.main, ...rendered.parts.map((part) => part.css)].join('\u0000') : '');
  return `${text(final.light)}\u0001${text(final.dark)}`;
}

/**
 * Two token paths that map to one variable name: when both resolve to the same value (an alias and
 * its target, a deprecated key and its replacement) the name is emitted once with a warning naming
 * both; when they differ, the second is an error naming both.
 */
function claimNames(declarations: Declaration[], key: string, final: FinalRendering, owners: Map<string, NameOwner>, problems: ThemeProblems): 'new' | 'refused' | NameOwner {
  for (const { name } of declarations) {
    const owner = owners.get(name);
    if (owner === undefined || owner.key === key) continue;
    if (name === declarations[0]!.name && finalText(owner.final) === finalText(final)) {
      problems.warn(key, 'duplicate-name', `${key} and ${owner.key} both become the CSS variable ${name} and have the same value; emitted once`);
      return owner;
    }
    problems.error(
      key,
      'name-collision',
      `${key} and ${owner.key} both become the CSS variable ${name} with different values`,
      'rename one of the two tokens, or set naming: "preserve" to keep each path segment as written',
    );
    return 'refused';
  }
  const owner: NameOwner = { key, final, light: -1, dark: -1 };
  for (const { name } of declarations) owners.set(name, owner);
  return 'new';
}

function replaceSelfReference(declarations: Declaration[], index: number, value: string): void {
  const kept = declarations[index];
  if (kept && kept.value === `var(${kept.name})`) kept.value = value;
}
