import { InvalidTokenValue } from './css-values.js';
import type { ThemeProblems } from './theme-problems.js';
import { dtcgTypeOf } from './vendor-types.js';
import { MAX_NESTING_DEPTH, TokenRef, TokenTemplate, createRecord, hasOwn, isPlainObject, isTokenType, tokenKey, type Token, type TokenType, type TokenValue } from './token-graph.js';

export interface ParsedTokens {
  tokens: Map<string, Token>;
  groups: Set<string>;
}

const TOKEN_PROPERTIES = new Set(['$value', '$ref', '$type', '$description', '$extensions', '$deprecated']);
const GROUP_PROPERTIES = new Set(['$type', '$description', '$extensions', '$extends', '$deprecated', '$root', '$schema']);
const CURLY_REFERENCE = /^\{([^{}]+)\}$/;
/** A `{a.b}` inside a longer string; only well-formed ones (no empty segment, no outer spaces) count as references. */
const EMBEDDED_REFERENCE = /\{([^{}]+)\}/g;

/** Stops a walk early once the token cap is passed; the caller reports it. */
export class TooManyTokens extends Error {}

interface PendingNode {
  node: Record<string, unknown>;
  path: string[];
  /** `path` joined with "." (kept beside it, so no node joins its path again). */
  key: string;
  type?: TokenType;
  deprecated?: boolean | string;
  depth: number;
  /** The outermost token this one is nested in: it is read for references only, never emitted. */
  nestedIn?: string;
}

/**
 * Walks a DTCG token tree into tokens and group keys, in document order. Iterative, so depth is
 * bounded by MAX_NESTING_DEPTH rather than by the stack. `$extends` groups are merged first.
 */
export function parseDtcgTree(root: Record<string, unknown>, problems: ThemeProblems, maxTokens: number, overrideMode?: string): ParsedTokens {
  const tokens = new Map<string, Token>();
  const groups = new Set<string>();
  const stack: PendingNode[] = [{ node: root, path: [], key: '', depth: 0 }];
  const chain = overrideMode ? overrideChain(overrideMode) : undefined;
  const nestedByParent = new Map<string, string[]>();
  while (stack.length) {
    const { node, path, key: nodeKey, type, deprecated, depth, nestedIn } = stack.pop()!;
    const where = nodeKey || '(root)';
    const keyPrefix = nodeKey ? `${nodeKey}.` : '';
    if (depth > MAX_NESTING_DEPTH) {
      problems.error(where, 'too-deep', `groups are nested deeper than ${MAX_NESTING_DEPTH} levels`);
      continue;
    }
    if (isTokenNode(node)) {
      const token = parseToken(chain ? applyVendorOverride(node, chain) : node, path, nodeKey, type, deprecated, problems);
      if (!token) continue;
      if (nestedIn !== undefined) {
        token.referenceOnly = true;
        nestedByParent.get(nestedIn)!.push(token.key);
      }
      if (tokens.has(token.key)) problems.error(token.key, 'duplicate-token', 'token is defined twice');
      tokens.set(token.key, token);
      if (tokens.size > maxTokens) throw new TooManyTokens();
      // DTCG 2025.10: an object with $value is a token, never also a group, so a token inside it is
      // not a token of its own. It is not emitted, but references to it still resolve, as Style
      // Dictionary 3 resolved them (Auro's `{size.font.scale.base.60.px}`); one warning per parent.
      const nested = Object.keys(node).some((key) => !key.startsWith('$') && isPlainObject(node[key])) ? trimmedChildren(node, nodeKey, problems) : [];
      const parent = nestedIn ?? nodeKey;
      // Pushed last first, so they are read (and listed) in document order.
      for (let i = nested.length - 1; i >= 0; i--) {
        const [name, child] = nested[i]!;
        if (name.startsWith('$') || !isPlainObject(child) || !isTokenNode(child)) continue;
        if (!nestedByParent.has(parent)) nestedByParent.set(parent, []);
        stack.push({ node: child, path: [...path, name], key: keyPrefix + name, type, deprecated, depth: depth + 1, nestedIn: parent });
      }
      continue;
    }
    if (path.length) groups.add(nodeKey);
    const group = hasOwn(node, '$extends') ? extendGroup(node, root, where, problems) : node;
    const groupType = readType(group.$type, where, problems) ?? type;
    const groupDeprecated = readDeprecated(group.$deprecated) ?? deprecated;
    const children: PendingNode[] = [];
    for (const [key, child] of trimmedChildren(group, nodeKey, problems)) {
      if (key === '$root') {
        if (isPlainObject(child)) children.push({ node: child, path: [...path, key], key: keyPrefix + key, type: groupType, deprecated: groupDeprecated, depth: depth + 1 });
        else problems.error(`${where}.$root`, 'invalid-token', '$root must be a token object with $value');
      } else if (key.startsWith('$')) {
        if (!GROUP_PROPERTIES.has(key)) problems.warn(where, 'unknown-property', `group property "${key}" is not part of the format and is ignored`);
      } else if (isPlainObject(child)) {
        if (/[{}.]/.test(key)) problems.warn(`${where}.${key}`, 'invalid-name', 'names must not contain "{", "}" or "."; references to it cannot work');
        children.push({ node: child, path: [...path, key], key: keyPrefix + key, type: groupType, deprecated: groupDeprecated, depth: depth + 1 });
      } else {
        problems.error(tokenKey([...path, key]), 'invalid-token', `expected a token ({ "$value": … }) or a group, got ${child === null ? 'null' : typeof child}`);
      }
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  for (const [parent, nested] of nestedByParent) {
    if (nested.length === 0) continue;
    const list = nested.slice(0, 10).join(', ') + (nested.length > 10 ? ` and ${nested.length - 10} more` : '');
    problems.warn(
      parent,
      'nested-token',
      `holds ${nested.length === 1 ? 'a token' : `${nested.length} tokens`} inside it (${list}); DTCG 2025.10 says an object with $value is a token and cannot also hold tokens, so only ${parent} is emitted (references to the nested ${nested.length === 1 ? 'one' : 'ones'} still resolve). Move ${nested.length === 1 ? 'it' : 'them'} beside ${parent} to emit ${nested.length === 1 ? 'it' : 'them'}`,
    );
  }
  return { tokens, groups };
}

/**
 * A group's or token's entries with the whitespace around each name trimmed (`"selected "` →
 * `selected`, as Style Dictionary's names read), so a light and a dark tree pair by the trimmed path.
 * Two siblings that become one name are reported; the later wins (two groups merge, its tokens
 * winning), as the later of two equal CSS declarations would. A name of only whitespace stays as written.
 */
function trimmedChildren(node: Record<string, unknown>, nodeKey: string, problems: ThemeProblems): Array<[string, unknown]> {
  const keys = Object.keys(node);
  // Almost every name is already trimmed: no copy then.
  if (!keys.some(hasOuterWhitespace)) return keys.map((key) => [key, node[key]]);
  const entries = new Map<string, { written: string; child: unknown }>();
  const keyPrefix = nodeKey ? `${nodeKey}.` : '';
  for (const key of keys) {
    const trimmed = key.trim();
    // `$` names are the format's own; a name that would only become one (" $value") is left as written.
    const name = key.startsWith('$') || trimmed === '' || trimmed.startsWith('$') ? key : trimmed;
    const child = node[key];
    if (name !== key) problems.warn(keyPrefix + name, 'trimmed-name', `name ${JSON.stringify(key)} has whitespace around it; read as "${name}"`);
    const earlier = entries.get(name);
    if (earlier) {
      const earlierChild = earlier.child;
      const bothGroups = isPlainObject(earlierChild) && isPlainObject(child) && !isTokenNode(earlierChild) && !isTokenNode(child);
      problems.warn(
        keyPrefix + name,
        'trimmed-name-collision',
        `${JSON.stringify(earlier.written)} and ${JSON.stringify(key)} both name ${keyPrefix + name} once whitespace is trimmed; ${bothGroups ? `the two groups are merged, ${JSON.stringify(key)}'s tokens winning` : `the later, ${JSON.stringify(key)}, is used`}`,
      );
      entries.set(name, { written: key, child: bothGroups ? mergeGroups(earlierChild, child, 0) : child });
      continue;
    }
    entries.set(name, { written: key, child });
  }
  return [...entries].map(([name, entry]) => [name, entry.child]);
}

const OUTER_WHITESPACE = /^\s|\s$/;

function hasOuterWhitespace(key: string): boolean {
  return OUTER_WHITESPACE.test(key);
}

/** Where Primer keeps a token's value per mode (dark, dark-dimmed, light-high-contrast, …). */
const PRIMER_OVERRIDES = 'org.primer.overrides';

/**
 * The override keys tried for a mode, first found wins: the mode itself, then its first word
 * (`dark-dimmed` → `dark`, `light-high-contrast` → `light`), as Primer's build falls back to the
 * base mode's override for a token its variant does not override.
 */
export function overrideChain(mode: string): string[] {
  const base = mode.split('-')[0]!;
  return base && base !== mode ? [mode, base] : [mode];
}

/**
 * The token as it reads in a mode: Primer's `$extensions["org.primer.overrides"][mode]` (or the
 * chain's next key) is spread over the token as Primer's build does: a string replaces `$value`;
 * an object (`{ $value, alpha }`) replaces the keys it has, so an object without `alpha` keeps the
 * token's own. A token without an override for the mode is unchanged.
 */
function applyVendorOverride(node: Record<string, unknown>, chain: readonly string[]): Record<string, unknown> {
  const extensions = node.$extensions;
  if (!isPlainObject(extensions) || !isPlainObject(extensions[PRIMER_OVERRIDES])) return node;
  const overrides = extensions[PRIMER_OVERRIDES];
  const mode = chain.find((candidate) => hasOwn(overrides, candidate) && overrides[candidate] !== undefined && overrides[candidate] !== null && overrides[candidate] !== '');
  if (mode === undefined) return node;
  const override = overrides[mode];
  const merged = createRecord<unknown>();
  for (const key of Object.keys(node)) merged[key] = node[key];
  if (isPlainObject(override)) {
    for (const key of Object.keys(override)) merged[key] = override[key];
  } else {
    merged.$value = override;
  }
  return merged;
}

function isTokenNode(node: Record<string, unknown>): boolean {
  return hasOwn(node, '$value') || typeof node.$ref === 'string';
}

function parseToken(
  node: Record<string, unknown>,
  path: string[],
  key: string,
  inheritedType: TokenType | undefined,
  inheritedDeprecated: boolean | string | undefined,
  problems: ThemeProblems,
): Token | undefined {
  const type = hasOwn(node, '$type') ? readType(node.$type, key, problems) : inheritedType;
  if (hasOwn(node, '$type') && type === undefined) return undefined;
  let value: TokenValue;
  try {
    const written = hasOwn(node, '$value') ? dropTrailingSemicolon(node.$value) : undefined;
    if (written?.dropped) problems.warn(key, 'trailing-semicolon', 'value ends in ";"; dropped (a ";" anywhere else is refused)');
    value = written ? normaliseDtcgValue(written.value, 0) : pointerToRef(node.$ref as string);
  } catch (error) {
    if (!(error instanceof InvalidTokenValue)) throw error;
    problems.error(key, 'invalid-value', error.message);
    return undefined;
  }
  const token: Token = { path, key, value, modes: {} };
  if (type) token.type = type;
  if (typeof node.$description === 'string') token.description = node.$description;
  const deprecated = readDeprecated(node.$deprecated) ?? inheritedDeprecated;
  if (deprecated) {
    token.deprecated = deprecated;
    problems.warn(key, 'deprecated', typeof deprecated === 'string' ? `token is deprecated: ${deprecated}` : 'token is deprecated');
  }
  for (const property of Object.keys(node)) {
    if (TOKEN_PROPERTIES.has(property)) continue;
    if (isPlainObject(node[property]) && isTokenNode(node[property])) continue;
    // Primer puts a non-standard `alpha` beside `$value`; it is applied, as Primer's own build does.
    if (property === 'alpha' && typeof node.alpha === 'number' && Number.isFinite(node.alpha)) token.alpha = node.alpha;
    else problems.warn(key, 'unknown-property', `token property "${property}" is not part of the format and is ignored`);
  }
  return token;
}

/**
 * A CSS-minded author's `"linear-gradient(…);"`: one `;` at the very end of a string is the end of a
 * declaration the author imagined, not syntax in the value, so it is dropped. Any other `;` stays
 * and is refused by the break-out check.
 */
function dropTrailingSemicolon(value: unknown): { value: unknown; dropped: boolean } {
  // Most values have no `;` at all: look before copying anything.
  return hasTrailingSemicolon(value, 0) ? { value: withoutTrailingSemicolon(value, 0), dropped: true } : { value, dropped: false };
}

function isTrailingOnly(text: string): boolean {
  const trimmed = text.trimEnd();
  return trimmed.endsWith(';') && !trimmed.slice(0, -1).includes(';');
}

function hasTrailingSemicolon(value: unknown, depth: number): boolean {
  // Deeper values are refused by normaliseDtcgValue with their path; no need to walk them here.
  if (depth > MAX_NESTING_DEPTH) return false;
  if (typeof value === 'string') return value.includes(';') && isTrailingOnly(value);
  if (Array.isArray(value)) return value.some((item) => hasTrailingSemicolon(item, depth + 1));
  if (isPlainObject(value)) return Object.keys(value).some((key) => hasTrailingSemicolon(value[key], depth + 1));
  return false;
}

function withoutTrailingSemicolon(value: unknown, depth: number): unknown {
  if (depth > MAX_NESTING_DEPTH) return value;
  if (typeof value === 'string') return isTrailingOnly(value) ? value.trimEnd().slice(0, -1) : value;
  if (Array.isArray(value)) return value.map((item) => withoutTrailingSemicolon(item, depth + 1));
  if (!isPlainObject(value)) return value;
  const copy = createRecord<unknown>();
  for (const key of Object.keys(value)) copy[key] = withoutTrailingSemicolon(value[key], depth + 1);
  return copy;
}

function readType(value: unknown, where: string, problems: ThemeProblems): TokenType | undefined {
  if (value === undefined) return undefined;
  if (isTokenType(value) && value !== 'css') return value;
  // Vendor names (Tokens Studio's `boxShadow`, `other`; Style Dictionary's `size`) wherever they appear.
  const vendor = typeof value === 'string' ? dtcgTypeOf(value) : undefined;
  if (vendor) return vendor;
  // Published token sets carry vendor types (Primer's `custom-string`); a plain value under one is
  // still usable, so it is emitted as literal CSS (after the break-out check) with a warning.
  problems.warn(
    where,
    'unknown-type',
    `unknown $type ${JSON.stringify(value).slice(0, 80)}; the value is emitted as literal CSS (known types: color, dimension, fontFamily, fontWeight, duration, cubicBezier, number, strokeStyle, border, transition, shadow, gradient, typography)`,
  );
  return 'css';
}

function readDeprecated(value: unknown): boolean | string | undefined {
  return typeof value === 'boolean' || typeof value === 'string' ? value : undefined;
}

/**
 * Copies a `$value` into the graph's value form: `{a.b}` strings and `{ "$ref": "#/…" }` objects
 * become TokenRefs, objects lose their prototype, and anything JSON cannot carry is refused.
 */
export function normaliseDtcgValue(value: unknown, depth: number): TokenValue {
  if (depth > MAX_NESTING_DEPTH) throw new InvalidTokenValue(`value is nested deeper than ${MAX_NESTING_DEPTH} levels`);
  if (typeof value === 'string') {
    // Most strings hold no reference at all: look for a brace before running either pattern.
    if (!value.includes('{')) return value;
    const curly = CURLY_REFERENCE.exec(value);
    return curly ? new TokenRef(referenceSegments(curly[1]!), value) : (parseTemplate(value) ?? value);
  }
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map((item) => normaliseDtcgValue(item, depth + 1));
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === '$ref' && typeof value.$ref === 'string') return pointerToRef(value.$ref);
    const copy = createRecord<TokenValue>();
    for (const key of keys) copy[key] = normaliseDtcgValue(value[key], depth + 1);
    return copy;
  }
  throw new InvalidTokenValue(`value must be a string, number, boolean, array or object, got ${value === null ? 'null' : typeof value}`);
}

/**
 * `'inset 0 0 0 {borderWidth.thin}'` → literal text and references, or undefined when the string
 * embeds none. Braces that are not a well-formed reference stay literal text (and are refused as
 * unsafe CSS when emitted).
 */
function parseTemplate(value: string): TokenTemplate | undefined {
  const parts: Array<string | TokenRef> = [];
  let last = 0;
  for (const match of value.matchAll(EMBEDDED_REFERENCE)) {
    const inner = match[1]!;
    if (inner.trim() !== inner) continue;
    const segments = referenceSegments(inner);
    if (segments.some((segment) => segment === '')) continue;
    if (match.index > last) parts.push(value.slice(last, match.index));
    parts.push(new TokenRef(segments, match[0]));
    last = match.index + match[0].length;
  }
  if (parts.length === 0) return undefined;
  if (last < value.length) parts.push(value.slice(last));
  return new TokenTemplate(parts, value);
}

/** A `{a.b}` reference's path, each name trimmed as token names are (`{border.selected }` names `border.selected`). */
function referenceSegments(inner: string): string[] {
  return inner.split('.').map((segment) => segment.trim());
}

/** `#/colors/blue/$value/components/0` → a reference to `colors.blue` with sub-path `components.0`. */
export function pointerToRef(pointer: string): TokenRef {
  if (!pointer.startsWith('#/')) {
    throw new InvalidTokenValue(`"$ref": ${JSON.stringify(pointer)} points outside this document; only local "#/…" pointers are supported`);
  }
  // Token names are trimmed when read; a pointer to one names it the same way.
  const segments = decodePointer(pointer).map((segment) => segment.trim());
  const valueAt = segments.indexOf('$value');
  if (valueAt === -1) return new TokenRef(segments, pointer);
  return new TokenRef(segments.slice(0, valueAt), pointer, segments.slice(valueAt + 1));
}

/** A JSON pointer's segments; bad percent-encoding (`#/color/a%`) is an InvalidTokenValue naming the pointer. */
export function decodePointer(pointer: string): string[] {
  return pointer
    .slice(2)
    .split('/')
    .map((segment) => {
      let decoded: string;
      try {
        decoded = decodeURIComponent(segment);
      } catch {
        throw new InvalidTokenValue(`"$ref": ${JSON.stringify(pointer.slice(0, 200))} has bad percent-encoding in "${segment.slice(0, 60)}" (a "%" must be followed by two hex digits)`);
      }
      return decoded.replaceAll('~1', '/').replaceAll('~0', '~');
    });
}

/** decodePointer, or undefined for a pointer with bad percent-encoding (the caller reports it as not found). */
export function tryDecodePointer(pointer: string): string[] | undefined {
  try {
    return decodePointer(pointer);
  } catch (error) {
    if (error instanceof InvalidTokenValue) return undefined;
    throw error;
  }
}

/** Looks a group up by a `{a.b}` or `#/a/b` reference, reading own properties only. */
function findGroup(root: Record<string, unknown>, reference: string): Record<string, unknown> | undefined {
  const curly = CURLY_REFERENCE.exec(reference);
  const segments = curly ? curly[1]!.split('.') : reference.startsWith('#/') ? tryDecodePointer(reference) : undefined;
  if (!segments) return undefined;
  let node: unknown = root;
  for (const segment of segments) {
    if (!isPlainObject(node) || !hasOwn(node, segment)) return undefined;
    node = node[segment];
  }
  return isPlainObject(node) && !isTokenNode(node) ? node : undefined;
}

/**
 * `$extends`: the referenced group's children, deep-merged with this group's own (which win).
 * Chains are followed; a cycle or a missing target is an error and leaves the group as written.
 */
function extendGroup(group: Record<string, unknown>, root: Record<string, unknown>, where: string, problems: ThemeProblems): Record<string, unknown> {
  const chain: Record<string, unknown>[] = [group];
  const seen = new Set<Record<string, unknown>>([group]);
  let current = group;
  while (hasOwn(current, '$extends')) {
    const reference = current.$extends;
    const target = typeof reference === 'string' ? findGroup(root, reference) : undefined;
    if (!target) {
      problems.error(where, 'broken-reference', `$extends ${JSON.stringify(reference)} does not name a group in this document`);
      return group;
    }
    if (seen.has(target)) {
      problems.error(where, 'circular-reference', `$extends chain loops back on itself at ${JSON.stringify(reference)}`);
      return group;
    }
    seen.add(target);
    chain.push(target);
    current = target;
  }
  let merged = createRecord<unknown>();
  for (let i = chain.length - 1; i >= 0; i--) merged = mergeGroups(merged, chain[i]!, 0);
  delete merged.$extends;
  return merged;
}

/** Deep merge of two groups: tokens replace whole, groups merge key by key, `override` wins. */
export function mergeGroups(base: Record<string, unknown>, override: Record<string, unknown>, depth: number): Record<string, unknown> {
  const merged = createRecord<unknown>();
  for (const key of Object.keys(base)) merged[key] = base[key];
  for (const key of Object.keys(override)) {
    const left = merged[key];
    const right = override[key];
    const bothGroups = isPlainObject(left) && isPlainObject(right) && !isTokenNode(left) && !isTokenNode(right) && !key.startsWith('$');
    merged[key] = bothGroups && depth < MAX_NESTING_DEPTH ? mergeGroups(left, right, depth + 1) : right;
  }
  return merged;
}
