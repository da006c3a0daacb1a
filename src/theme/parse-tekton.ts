import { InvalidTokenValue } from './css-values.js';
import { TooManyTokens, type ParsedTokens } from './parse-dtcg.js';
import type { ThemeProblems } from './theme-problems.js';
import { MAX_NESTING_DEPTH, TokenRef, createRecord, hasOwn, isPlainObject, tokenKey, type Token, type TokenType, type TokenValue } from './token-graph.js';

/** Top-level keys of a Tekton theme that describe it rather than hold values. */
const METADATA_KEYS = new Set(['id', 'name', 'schemaVersion', 'brandTone', 'designDNA', 'description', 'version', '$schema', 'author', 'license', 'tags', 'metadata', 'createdAt', 'updatedAt']);
const TYPOGRAPHY_KEYS = new Set(['fontFamily', 'fontSize', 'fontWeight', 'lineHeight', 'letterSpacing', 'fontStyle']);
const SHADOW_KEYS = new Set(['offsetX', 'offsetY', 'x', 'y', 'blur', 'spread', 'color', 'inset', 'alpha']);
const DOT_PATH = /^[A-Za-z_][\w-]*(\.[\w-]+)+$/;

interface Leaf {
  path: string[];
  value: unknown;
}

/**
 * A Tekton theme into tokens. Paths drop the `tokens` wrapper but keep the layer
 * (`atomic.color.brand.500`); extra top-level sections (`elevation`, `motion`…) keep their name.
 * `darkMode.tokens` (and any extra section under `darkMode`) overrides light tokens by path.
 */
export function parseTektonTheme(theme: Record<string, unknown>, problems: ThemeProblems, maxTokens: number): ParsedTokens {
  const sections = collectSections(theme, problems);
  // The three standard layers count as sections even when a theme lacks one, so that
  // `atomic.color.x` in a theme without an atomic layer is a broken reference, not a literal.
  const sectionNames = new Set([...STANDARD_LAYERS, ...sections.map(([name]) => name)]);
  const tokens = new Map<string, Token>();
  const groups = new Set<string>();

  for (const [name, content] of sections) {
    for (const leaf of collectLeaves(content, [name], groups, problems)) {
      const key = tokenKey(leaf.path);
      const parsed = toTokenValue(leaf, sectionNames, problems);
      if (!parsed) continue;
      if (tokens.has(key)) problems.error(key, 'duplicate-token', 'token is defined twice (a layer and a top-level section share a name)');
      const token: Token = { path: leaf.path, key, value: parsed.value, modes: {} };
      if (parsed.type) token.type = parsed.type;
      tokens.set(key, token);
      if (tokens.size > maxTokens) throw new TooManyTokens();
    }
  }

  for (const [name, content] of collectDarkSections(theme)) {
    for (const leaf of collectLeaves(content, [name], new Set(), problems)) {
      const key = tokenKey(leaf.path);
      const token = tokens.get(key);
      if (!token) {
        problems.warn(`darkMode.${key}`, 'dark-only-token', 'dark override for a token the light theme does not define; ignored');
        continue;
      }
      const parsed = toTokenValue(leaf, sectionNames, problems);
      if (parsed) token.modes.dark = parsed.value;
    }
  }
  return { tokens, groups };
}

const STANDARD_LAYERS = ['atomic', 'semantic', 'component'] as const;

function collectSections(theme: Record<string, unknown>, problems: ThemeProblems): Array<[string, unknown]> {
  const sections: Array<[string, unknown]> = [];
  const layers = theme.tokens;
  if (isPlainObject(layers)) for (const name of Object.keys(layers)) sections.push([name, layers[name]]);
  for (const name of Object.keys(theme)) {
    if (name === 'tokens' || name === 'darkMode' || METADATA_KEYS.has(name)) continue;
    if (isPlainObject(theme[name])) sections.push([name, theme[name]]);
    else problems.warn(name, 'ignored-property', 'top-level property is neither metadata nor a section of tokens; ignored');
  }
  return sections;
}

function collectDarkSections(theme: Record<string, unknown>): Array<[string, unknown]> {
  const dark = theme.darkMode;
  if (!isPlainObject(dark)) return [];
  const sections: Array<[string, unknown]> = [];
  if (isPlainObject(dark.tokens)) for (const name of Object.keys(dark.tokens)) sections.push([name, dark.tokens[name]]);
  for (const name of Object.keys(dark)) if (name !== 'tokens' && isPlainObject(dark[name])) sections.push([name, dark[name]]);
  return sections;
}

/** Depth-first, document-order walk to the leaves (values and recognised value objects), without recursion. */
function collectLeaves(root: unknown, rootPath: string[], groups: Set<string>, problems: ThemeProblems): Leaf[] {
  const leaves: Leaf[] = [];
  const stack: Leaf[] = [{ path: rootPath, value: root }];
  while (stack.length) {
    const { path, value } = stack.pop()!;
    if (!isPlainObject(value) || isValueObject(value)) {
      leaves.push({ path, value });
      continue;
    }
    if (path.length > MAX_NESTING_DEPTH) {
      problems.error(tokenKey(path), 'too-deep', `groups are nested deeper than ${MAX_NESTING_DEPTH} levels`);
      continue;
    }
    groups.add(tokenKey(path));
    const keys = Object.keys(value);
    for (let i = keys.length - 1; i >= 0; i--) stack.push({ path: [...path, keys[i]!], value: value[keys[i]!] });
  }
  return leaves;
}

function isValueObject(value: Record<string, unknown>): boolean {
  return isOklch(value) || isTypography(value) || isShadow(value);
}

function isOklch(value: Record<string, unknown>): boolean {
  const keys = Object.keys(value);
  return hasOwn(value, 'l') && hasOwn(value, 'c') && hasOwn(value, 'h') && keys.every((key) => ['l', 'c', 'h', 'alpha'].includes(key));
}

function isTypography(value: Record<string, unknown>): boolean {
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => TYPOGRAPHY_KEYS.has(key) && !isPlainObject(value[key]));
}

function isShadow(value: Record<string, unknown>): boolean {
  const keys = Object.keys(value);
  const hasOffsets = (hasOwn(value, 'offsetX') || hasOwn(value, 'x')) && (hasOwn(value, 'offsetY') || hasOwn(value, 'y'));
  return hasOffsets && keys.every((key) => SHADOW_KEYS.has(key));
}

/**
 * A Tekton leaf as a typed token value. A string is a reference only when it is a dot path whose
 * first segment names a section of this theme; anything else is a literal CSS value.
 */
function toTokenValue(leaf: Leaf, sections: Set<string>, problems: ThemeProblems): { type?: TokenType; value: TokenValue } | undefined {
  try {
    return convert(leaf.value, sections, 0);
  } catch (error) {
    if (!(error instanceof InvalidTokenValue)) throw error;
    problems.error(tokenKey(leaf.path), 'invalid-value', error.message);
    return undefined;
  }
}

function convert(value: unknown, sections: Set<string>, depth: number): { type?: TokenType; value: TokenValue } {
  if (depth > MAX_NESTING_DEPTH) throw new InvalidTokenValue(`value is nested deeper than ${MAX_NESTING_DEPTH} levels`);
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (DOT_PATH.test(trimmed) && sections.has(trimmed.split('.')[0]!)) return { value: new TokenRef(trimmed.split('.'), trimmed) };
    return { type: 'css', value };
  }
  if (typeof value === 'number') return { type: 'number', value };
  if (Array.isArray(value)) {
    if (value.every((item) => typeof item === 'string')) return { type: 'fontFamily', value };
    if (value.every((item) => isPlainObject(item) && isShadow(item))) {
      return { type: 'shadow', value: value.map((item) => convertShadow(item as Record<string, unknown>, sections, depth + 1)) };
    }
    throw new InvalidTokenValue('arrays must hold only font names (strings) or shadow objects');
  }
  if (isPlainObject(value)) {
    if (isOklch(value)) return { type: 'color', value: convertOklch(value) };
    if (isTypography(value)) return { type: 'typography', value: convertFields(value, sections, depth) };
    if (isShadow(value)) return { type: 'shadow', value: convertShadow(value, sections, depth) };
  }
  throw new InvalidTokenValue(`value must be a string, a number, an OKLCH { l, c, h } object, typography or shadow, got ${value === null ? 'null' : typeof value}`);
}

/** `{ l, c, h, alpha? }` as a DTCG colour object, so one formatter emits `oklch(L C H)`. */
function convertOklch(value: Record<string, unknown>): TokenValue {
  const color = createRecord<TokenValue>();
  color.colorSpace = 'oklch';
  color.components = [value.l, value.c, value.h].map((n, i) => {
    if (typeof n !== 'number') throw new InvalidTokenValue(`OKLCH ${'lch'[i]} must be a number, got ${n === null ? 'null' : typeof n}`);
    return n;
  });
  if (value.alpha !== undefined) {
    if (typeof value.alpha !== 'number') throw new InvalidTokenValue('OKLCH alpha must be a number');
    color.alpha = value.alpha;
  }
  return color;
}

function convertShadow(value: Record<string, unknown>, sections: Set<string>, depth: number): TokenValue {
  const renamed = createRecord<unknown>();
  for (const key of Object.keys(value)) renamed[key === 'x' ? 'offsetX' : key === 'y' ? 'offsetY' : key] = value[key];
  return convertFields(renamed, sections, depth);
}

function convertFields(value: Record<string, unknown>, sections: Set<string>, depth: number): TokenValue {
  const fields = createRecord<TokenValue>();
  for (const key of Object.keys(value)) {
    const field = value[key];
    fields[key] = typeof field === 'boolean' ? field : convert(field, sections, depth + 1).value;
  }
  return fields;
}
