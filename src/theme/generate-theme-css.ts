import { createHash } from 'node:crypto';
import { checkContrast, findContrastPairs } from './contrast.js';
import { buildTokenGraph } from './build-token-graph.js';
import { bindDefaults, type DefaultBinding } from './default-bindings.js';
import { detectThemeFormat } from './detect-format.js';
import { emitCss, validateDarkSelector, type Declaration } from './emit-css.js';
import { renderToken, variableNameOf, type RenderEnvironment, type RenderedToken } from './render-token.js';
import { resolveReferences, type ThemeMode } from './resolve-references.js';
import type { ThemeCss, ThemeCssOptions } from './schemas.js';
import { ThemeProblems } from './theme-problems.js';
import { DEFAULT_MAX_TOKENS, type Token } from './token-graph.js';

/**
 * A Tekton theme, DTCG token tree or DTCG resolver document → one CSS file of custom properties.
 * Every problem is collected and thrown as one ThemeError (each issue names its token path);
 * usable oddities and low text contrast come back as warnings.
 *
 * @example
 * const { css } = generateThemeCss(theme, ThemeCssOptionsSchema.parse({ darkMedia: true }));
 */
export function generateThemeCss(
  input: unknown,
  options: ThemeCssOptions,
  limits: { maxTokens?: number; defaultBindings?: readonly DefaultBinding[] } = {},
): ThemeCss {
  validateDarkSelector(options.darkSelector);
  const format = detectThemeFormat(input);
  const problems = new ThemeProblems();
  const graph = buildTokenGraph(input as Record<string, unknown>, format, problems, limits.maxTokens ?? DEFAULT_MAX_TOKENS);
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
  const owners = new Map<string, string>();

  for (const token of graph.tokens.values()) {
    const name = variableNameOf(token.key, graph);
    const final = renderModes(token, 'resolve', env, hasDark);
    const emitted = options.references === 'resolve' ? final : renderModes(token, 'var', env, hasDark);
    if (!final.light || !emitted.light) continue;
    const declarations = toDeclarations(name, emitted.light, token);
    if (!claimNames(declarations, token.key, owners, problems)) continue;
    lightDeclarations.push(...declarations);
    addValues(resolved.light, name, final.light);
    finalByKey.light.set(token.key, final.light.main);
    if (!hasDark || !final.dark || !emitted.dark) continue;
    addValues(resolved.dark, name, final.dark);
    finalByKey.dark.set(token.key, final.dark.main);
    const lightByName = new Map(declarations.map((d) => [d.name, d.value]));
    for (const declaration of toDeclarations(name, emitted.dark)) {
      if (lightByName.get(declaration.name) !== declaration.value) darkDeclarations.push(declaration);
    }
  }
  problems.throwIfErrors(graph.themeId);

  const pairs = findContrastPairs([...graph.tokens.keys()], format);
  const contrastWarnings = [
    ...checkContrast(pairs, finalByKey.light, 'light'),
    ...(hasDark ? checkContrast(pairs, finalByKey.dark, 'dark') : []),
  ];
  if (limits.defaultBindings?.length && options.componentDefaults) {
    const emitted = new Set(lightDeclarations.map((declaration) => declaration.name));
    const bound = bindDefaults(limits.defaultBindings, emitted, { light: resolved.light, dark: hasDark ? resolved.dark : resolved.light }, options.references);
    lightDeclarations.push(...bound.light);
    darkDeclarations.push(...bound.dark);
    for (const [name, value] of bound.resolvedLight) resolved.light.set(name, value);
    if (hasDark) for (const [name, value] of bound.resolvedDark) resolved.dark.set(name, value);
  }
  const css = emitCss(lightDeclarations, darkDeclarations, options);
  return {
    css,
    variables: new Map(lightDeclarations.map((d) => [d.name, d.value])),
    darkVariables: new Map(darkDeclarations.map((d) => [d.name, d.value])),
    resolved,
    warnings: [...problems.finalWarnings(), ...contrastWarnings],
    themeId: graph.themeId,
    format,
    hash: createHash('sha256').update(css).digest('hex'),
  };
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

/** Two token paths that map to one variable name cannot both be emitted: the second is an error naming both. */
function claimNames(declarations: Declaration[], key: string, owners: Map<string, string>, problems: ThemeProblems): boolean {
  for (const { name } of declarations) {
    const owner = owners.get(name);
    if (owner !== undefined && owner !== key) {
      problems.error(key, 'name-collision', `${key} and ${owner} both become the CSS variable ${name}`, 'rename one of the two tokens');
      return false;
    }
  }
  for (const { name } of declarations) owners.set(name, key);
  return true;
}
