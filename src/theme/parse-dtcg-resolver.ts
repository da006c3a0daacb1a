import type { ThemeProblems } from './theme-problems.js';
import { mergeGroups, tryDecodePointer } from './parse-dtcg.js';
import { createRecord, hasOwn, isPlainObject } from './token-graph.js';

/** The token trees a resolver document selects: `light` always, `dark` when a modifier has a dark context. */
export interface ResolvedTrees {
  light: Record<string, unknown>;
  dark?: Record<string, unknown>;
  /** The dark context's name as written ("dark"), so vendor overrides of that mode can apply. */
  darkContext?: string;
  name?: string;
}

/** Which context each modifier picks: its light default, its dark context, or the context of a given name (where it has one). */
type Mode = 'light' | 'dark' | { context: string };

/**
 * Flattens a DTCG resolver document into token trees by merging its `resolutionOrder` in order
 * (later wins). Modifiers pick a context per mode:
 * - light: the modifier's `default` context, or else its first context that is not named "dark";
 * - dark: the context named "dark" (any case); a modifier without one uses its light choice.
 * There is a dark tree only when at least one modifier has a dark context. With `context` (option
 * `mode`), the light tree takes that context in every modifier that has one. Sources are inline
 * token trees or `$ref`s to `#/sets/…` in this document; file references are refused, since
 * nothing is read from disk.
 */
export function flattenResolverDocument(document: Record<string, unknown>, problems: ThemeProblems, context?: string): ResolvedTrees {
  if (document.version !== '2025.10') {
    problems.warn('version', 'schema-violation', `resolver version ${JSON.stringify(document.version)} is not "2025.10"; read as 2025.10`);
  }
  const order = Array.isArray(document.resolutionOrder)
    ? document.resolutionOrder
    : [...Object.keys(asRecord(document.sets)).map((name) => ({ $ref: `#/sets/${name}` })), ...Object.keys(asRecord(document.modifiers)).map((name) => ({ $ref: `#/modifiers/${name}` }))];
  if (!Array.isArray(document.resolutionOrder)) problems.warn('resolutionOrder', 'schema-violation', 'no resolutionOrder; sets then modifiers are merged in document order');

  const hasDark = order.some((item) => {
    const modifier = findModifier(document, item);
    return modifier !== undefined && findDarkContext(modifier) !== undefined;
  });
  const result: ResolvedTrees = { light: buildTree(document, order, context ? { context } : 'light', problems) };
  if (hasDark) {
    result.dark = buildTree(document, order, 'dark', problems);
    for (const item of order) {
      const modifier = findModifier(document, item);
      result.darkContext ??= modifier ? findDarkContext(modifier) : undefined;
    }
  }
  if (typeof document.name === 'string') result.name = document.name;
  return result;
}

function buildTree(document: Record<string, unknown>, order: unknown[], mode: Mode, problems: ThemeProblems): Record<string, unknown> {
  let tree = createRecord<unknown>();
  order.forEach((item, index) => {
    const where = `resolutionOrder.${index}`;
    for (const source of sourcesOf(document, item, where, mode, problems)) tree = mergeGroups(tree, source, 0);
  });
  return tree;
}

/** The token trees one resolution-order entry contributes for a mode. */
function sourcesOf(document: Record<string, unknown>, item: unknown, where: string, mode: Mode, problems: ThemeProblems): Record<string, unknown>[] {
  if (!isPlainObject(item)) {
    problems.error(where, 'invalid-resolver', 'resolutionOrder entries must be objects');
    return [];
  }
  const modifier = findModifier(document, item);
  if (modifier) {
    const context = pickContext(modifier, mode, where, problems);
    return context ? expandSources(document, context.sources, `${where}.contexts.${context.name}`, problems, 0) : [];
  }
  const set = typeof item.$ref === 'string' ? resolveLocal(document, item.$ref, where, problems) : item;
  if (!set) return [];
  if (!Array.isArray(set.sources)) {
    problems.error(where, 'invalid-resolver', 'a set needs a "sources" array');
    return [];
  }
  return expandSources(document, set.sources, `${where}.sources`, problems, 0);
}

/** The modifier an entry is or points to (`{ type: "modifier" }` inline, or `$ref: "#/modifiers/x"`). */
function findModifier(document: Record<string, unknown>, item: unknown): Record<string, unknown> | undefined {
  if (!isPlainObject(item)) return undefined;
  if (item.type === 'modifier' || (item.type === undefined && isPlainObject(item.contexts))) return item;
  if (typeof item.$ref !== 'string' || !item.$ref.startsWith('#/modifiers/')) return undefined;
  const [, name = ''] = tryDecodePointer(item.$ref) ?? [];
  const modifiers = asRecord(document.modifiers);
  return hasOwn(modifiers, name) && isPlainObject(modifiers[name]) ? modifiers[name] : undefined;
}

function findDarkContext(modifier: Record<string, unknown>): string | undefined {
  return Object.keys(asRecord(modifier.contexts)).find((name) => name.toLowerCase() === 'dark');
}

function pickContext(modifier: Record<string, unknown>, mode: Mode, where: string, problems: ThemeProblems): { name: string; sources: unknown } | undefined {
  const contexts = asRecord(modifier.contexts);
  const names = Object.keys(contexts);
  if (names.length === 0) {
    problems.error(where, 'invalid-resolver', 'a modifier needs a non-empty "contexts" object');
    return undefined;
  }
  const dark = findDarkContext(modifier);
  const wanted = typeof mode === 'object' ? names.find((candidate) => candidate.toLowerCase() === mode.context.toLowerCase()) : undefined;
  let name: string | undefined;
  if (wanted) name = wanted;
  else if (mode === 'dark' && dark) name = dark;
  else if (typeof modifier.default === 'string' && hasOwn(contexts, modifier.default)) name = modifier.default;
  else name = names.find((candidate) => candidate !== dark) ?? names[0];
  if (typeof modifier.default === 'string' && !hasOwn(contexts, modifier.default)) {
    problems.warn(where, 'schema-violation', `modifier default ${JSON.stringify(modifier.default)} is not one of its contexts`);
  }
  return name === undefined ? undefined : { name, sources: contexts[name] };
}

/** Sources → token trees; `$ref`s to local sets are expanded (recursively, with a depth guard against loops). */
function expandSources(document: Record<string, unknown>, sources: unknown, where: string, problems: ThemeProblems, depth: number): Record<string, unknown>[] {
  if (!Array.isArray(sources)) {
    problems.error(where, 'invalid-resolver', 'sources must be an array');
    return [];
  }
  if (depth > 16) {
    problems.error(where, 'circular-reference', 'set references loop or nest too deeply');
    return [];
  }
  const trees: Record<string, unknown>[] = [];
  sources.forEach((source, index) => {
    const at = `${where}.${index}`;
    if (!isPlainObject(source)) {
      problems.error(at, 'invalid-resolver', 'a source must be a token object or { "$ref": … }');
      return;
    }
    if (typeof source.$ref !== 'string') {
      trees.push(source);
      return;
    }
    const target = resolveLocal(document, source.$ref, at, problems);
    if (!target) return;
    if (source.$ref.startsWith('#/sets/') && Array.isArray(target.sources)) trees.push(...expandSources(document, target.sources, at, problems, depth + 1));
    else trees.push(target);
  });
  return trees;
}

function resolveLocal(document: Record<string, unknown>, reference: string, where: string, problems: ThemeProblems): Record<string, unknown> | undefined {
  if (!reference.startsWith('#/')) {
    problems.error(where, 'file-reference', `"$ref": ${JSON.stringify(reference)} points to another file; dspec reads no files here — inline those tokens in the resolver document`);
    return undefined;
  }
  let node: unknown = document;
  for (const segment of tryDecodePointer(reference) ?? ['\u0000bad-encoding']) {
    if (!isPlainObject(node) && !Array.isArray(node)) break;
    node = hasOwn(node, segment) ? (node as Record<string, unknown>)[segment] : undefined;
  }
  if (!isPlainObject(node)) {
    problems.error(where, 'broken-reference', `"$ref": ${JSON.stringify(reference)} does not point to an object in this document`);
    return undefined;
  }
  return node;
}

function asRecord(value: unknown): Record<string, unknown> {
  return isPlainObject(value) ? value : createRecord<unknown>();
}
