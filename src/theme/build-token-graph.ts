import { ThemeError } from '../errors.js';
import { convertLegacyTokens } from './convert-legacy-tokens.js';
import { flattenResolverDocument } from './parse-dtcg-resolver.js';
import { TooManyTokens, mergeGroups, parseDtcgTree, type ParsedTokens } from './parse-dtcg.js';
import { parseTektonTheme } from './parse-tekton.js';
import { flattenTokensStudio } from './parse-tokens-studio.js';
import type { ThemeFormat } from './schemas.js';
import type { ThemeProblems } from './theme-problems.js';
import { TokenRef, TokenTemplate, createRecord, hasOwn, isPlainObject, type TokenGraph, type TokenValue } from './token-graph.js';

/** The options that change which tokens are read (as opposed to how they are written). */
export interface ReadOptions {
  unwrap?: readonly string[];
  mode?: string;
  /** Tokens Studio sets no `$themes` entry selects that are read anyway (`"*"`: all). */
  includeSets?: readonly string[];
  /** Read only the one mode (`mode`, else the base): no dark overrides, so each of option `modes` is read on its own. */
  singleMode?: boolean;
}

/** Parses any supported input into the one TokenGraph; problems are collected, not thrown (except a token count over the cap). */
export function buildTokenGraph(input: Record<string, unknown>, format: ThemeFormat, problems: ThemeProblems, maxTokens: number, read: ReadOptions = {}): TokenGraph {
  if (read.unwrap?.length && format !== 'tekton' && format !== 'dtcg-resolver') input = unwrapGroups(input, read.unwrap, problems);
  try {
    if (format === 'tekton') {
      const themeId = typeof input.id === 'string' ? input.id : 'tekton-theme';
      const parsed = parseTektonTheme(input, problems, maxTokens);
      if (read.singleMode) keepOneMode(parsed, read.mode?.toLowerCase() === 'dark');
      return { format, themeId, ...parsed };
    }
    if (format === 'dtcg') return { format, themeId: 'dtcg-tokens', ...parseDtcgTree(input, problems, maxTokens, read.mode) };
    if (format === 'tokens-studio') {
      const trees = flattenTokensStudio(input, problems, { mode: read.mode, includeSets: read.includeSets });
      const light = parseDtcgTree(convertLegacyTokens(trees.light, problems), problems, maxTokens);
      if (trees.dark && !read.singleMode) applyDarkOverrides(light, parseDtcgTree(convertLegacyTokens(trees.dark, problems), problems, maxTokens), problems);
      return { format, themeId: 'tokens-studio', ...light };
    }
    if (format === 'style-dictionary') return { format, themeId: 'style-dictionary-tokens', ...parseDtcgTree(convertLegacyTokens(input, problems, true), problems, maxTokens) };
    const trees = flattenResolverDocument(input, problems, read.mode);
    // A context named like an override mode (Primer's "dark") applies that mode's overrides on top of its sets.
    const light = parseDtcgTree(trees.light, problems, maxTokens, read.mode);
    if (trees.dark && !read.singleMode) applyDarkOverrides(light, parseDtcgTree(trees.dark, problems, maxTokens, trees.darkContext), problems);
    return { format, themeId: trees.name ?? 'dtcg-resolver', ...light };
  } catch (error) {
    if (!(error instanceof TooManyTokens)) throw error;
    throw new ThemeError(`the theme has more than ${maxTokens} tokens`, [{ path: '(theme)', code: 'too-many-tokens', message: `more than the limit of ${maxTokens} tokens` }], {
      suggestion: 'Split the theme, or raise limits.maxTokens in dspec.config.json.',
    });
  }
}

/**
 * Top-level groups that only wrap tokens (a Tokens Studio set): their children are lifted to the
 * top, in document order, later ones merging over earlier ones, so neither names nor references
 * carry the wrapper.
 */
function unwrapGroups(input: Record<string, unknown>, unwrap: readonly string[], problems: ThemeProblems): Record<string, unknown> {
  const wrappers = new Set(unwrap);
  for (const name of unwrap) {
    if (!hasOwn(input, name) || !isPlainObject(input[name])) problems.warn(name, 'unknown-group', `unwrap names "${name}", which is not a top-level group of this input`);
  }
  let out = createRecord<unknown>();
  for (const key of Object.keys(input)) {
    const child = input[key];
    if (wrappers.has(key) && isPlainObject(child)) out = mergeGroups(out, child, 0);
    else out = mergeGroups(out, { [key]: child }, 0);
  }
  return out;
}

/** Drops a Tekton theme's dark values, or (for mode "dark") makes them the values. */
function keepOneMode(parsed: ParsedTokens, dark: boolean): void {
  for (const token of parsed.tokens.values()) {
    if (dark && token.modes.dark !== undefined) {
      token.value = token.modes.dark;
      if (token.modes.darkAlpha !== undefined) {
        if (token.modes.darkAlpha === null) delete token.alpha;
        else token.alpha = token.modes.darkAlpha;
      }
    }
    token.modes = {};
  }
}

/** A token whose dark-context value differs from its light one gets that value as its dark mode. */
function applyDarkOverrides(light: ParsedTokens, dark: ParsedTokens, problems: ThemeProblems): void {
  for (const [key, darkToken] of dark.tokens) {
    const token = light.tokens.get(key);
    if (!token) {
      problems.warn(key, 'dark-only-token', 'defined only in the dark context; ignored — give it a light value too');
      continue;
    }
    if (!sameValue(token.value, darkToken.value)) token.modes.dark = darkToken.value;
    if (token.alpha !== darkToken.alpha) {
      token.modes.dark = darkToken.value;
      token.modes.darkAlpha = darkToken.alpha ?? null;
    }
  }
}

function sameValue(a: TokenValue, b: TokenValue): boolean {
  if (a instanceof TokenRef || b instanceof TokenRef) {
    return a instanceof TokenRef && b instanceof TokenRef && a.key === b.key && a.subPath.join('/') === b.subPath.join('/');
  }
  if (a instanceof TokenTemplate || b instanceof TokenTemplate) {
    return a instanceof TokenTemplate && b instanceof TokenTemplate && a.written === b.written;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => sameValue(item, b[i]!));
  }
  if (isPlainObject(a) || isPlainObject(b)) {
    if (!isPlainObject(a) || !isPlainObject(b)) return false;
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => hasOwn(b, key) && sameValue(a[key] as TokenValue, b[key] as TokenValue));
  }
  return a === b;
}
