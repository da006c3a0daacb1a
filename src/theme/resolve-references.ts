import type { ThemeProblems } from './theme-problems.js';
import { TokenRef, TokenTemplate, alphaOf, createRecord, hasOwn, isPlainObject, type Token, type TokenGraph, type TokenType, type TokenValue } from './token-graph.js';
import { editDistance } from '../infra/edit-distance.js';

export type ThemeMode = 'light' | 'dark';

/**
 * A token after following every reference: `value` holds no TokenRef outside a `TokenTemplate`
 * (whose embedded references all resolved, and are turned into text when rendering); `type`
 * includes the type inferred from an alias.
 */
export interface ResolvedToken {
  type?: TokenType;
  value: TokenValue;
}

export function rawValueOf(token: Token, mode: ThemeMode): TokenValue {
  return mode === 'dark' && token.modes.dark !== undefined ? token.modes.dark : token.value;
}

/**
 * Resolves every token of one mode. Broken references (with the closest existing name),
 * references to groups and cycles (listed whole, `a → b → a`) are reported once at their source;
 * tokens that depend on a failed token are left out silently, so each fault is reported once.
 * The walk keeps its own stack, so a chain of 100,000 aliases resolves without recursion.
 */
export function resolveReferences(graph: TokenGraph, mode: ThemeMode, problems: ThemeProblems): Map<string, ResolvedToken> {
  const resolved = new Map<string, ResolvedToken>();
  const failed = new Set<string>();
  const onStack = new Map<string, number>();

  // One stack for the whole walk (empty again after each start), so no start allocates its own.
  const stack: Array<{ key: string; refs: TokenRef[]; next: number; broken: boolean }> = [];
  const push = (key: string) => {
    onStack.set(key, stack.length);
    stack.push({ key, refs: collectRefs(rawValueOf(graph.tokens.get(key)!, mode)), next: 0, broken: false });
  };
  for (const start of graph.tokens.keys()) {
    if (resolved.has(start) || failed.has(start)) continue;
    push(start);
    while (stack.length) {
      const frame = stack[stack.length - 1]!;
      if (frame.next < frame.refs.length) {
        const ref = frame.refs[frame.next++]!;
        const target = ref.key;
        const cycleStart = onStack.get(target) ?? -1;
        if (!graph.tokens.has(target)) {
          reportMissing(graph, frame.key, ref, problems);
          frame.broken = true;
        } else if (failed.has(target)) {
          frame.broken = true;
        } else if (cycleStart >= 0) {
          const cycle = stack.slice(cycleStart);
          reportCycle(
            cycle.map((f) => f.key),
            problems,
          );
          for (const member of cycle) member.broken = true;
        } else if (!resolved.has(target)) {
          push(target);
        }
        continue;
      }
      stack.pop();
      // Marked off rather than deleted: the map then never shrinks and regrows.
      onStack.set(frame.key, -1);
      const result = frame.broken ? undefined : resolveToken(graph.tokens.get(frame.key)!, mode, resolved, problems);
      if (result) resolved.set(frame.key, result);
      else failed.add(frame.key);
      const parent = stack[stack.length - 1];
      if (parent && !result) parent.broken = true;
    }
  }
  return resolved;
}

function resolveToken(token: Token, mode: ThemeMode, resolved: Map<string, ResolvedToken>, problems: ThemeProblems): ResolvedToken | undefined {
  const raw = rawValueOf(token, mode);
  let type = token.type;
  if (raw instanceof TokenRef && raw.subPath.length === 0) {
    const targetType = resolved.get(raw.key)!.type;
    if (type && targetType && type !== targetType && targetType !== 'css' && type !== 'css') {
      problems.error(token.key, 'type-mismatch', `token of type ${type} refers to ${raw.written}, which is of type ${targetType}`);
      return undefined;
    }
    // A literal-CSS token (a vendor type such as Tokens Studio's "other") that is only an alias takes its target's type and value.
    if (type === 'css' && targetType) type = targetType;
    type ??= targetType;
  }
  try {
    let value = substitute(raw, resolved);
    // Primer's token-level alpha belongs to the colour: a token that refers to this one gets it too.
    const alpha = alphaOf(token, mode);
    if (alpha !== undefined && type === 'color' && isPlainObject(value)) value = withAlpha(value, alpha);
    return type ? { type, value } : { value };
  } catch (error) {
    if (!(error instanceof MissingSubPath)) throw error;
    problems.error(token.key, 'broken-reference', error.message);
    return undefined;
  }
}

class MissingSubPath extends Error {}

function withAlpha(value: Record<string, TokenValue>, alpha: number): Record<string, TokenValue> {
  const copy = createRecord<TokenValue>();
  for (const key of Object.keys(value)) copy[key] = value[key]!;
  copy.alpha = alpha;
  return copy;
}

/** The value with each reference replaced by its target's resolved value (or the part a JSON pointer names). */
export function substitute(value: TokenValue, resolved: Map<string, ResolvedToken>): TokenValue {
  if (value instanceof TokenRef) return valueAt(value, resolved.get(value.key)!.value);
  if (value instanceof TokenTemplate) return value;
  // Values are never changed in place, so a part without references is shared, not copied.
  if (Array.isArray(value)) {
    const items = value.map((item) => substitute(item, resolved));
    return items.every((item, i) => item === value[i]) ? value : items;
  }
  if (isPlainObject(value)) {
    let copy: Record<string, TokenValue> | undefined;
    const keys = Object.keys(value);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const item = value[key] as TokenValue;
      const next = substitute(item, resolved);
      if (next === item && copy === undefined) continue;
      if (copy === undefined) {
        copy = createRecord<TokenValue>();
        for (let j = 0; j < i; j++) copy[keys[j]!] = value[keys[j]!] as TokenValue;
      }
      copy[key] = next;
    }
    return copy ?? value;
  }
  return value;
}

function valueAt(ref: TokenRef, value: TokenValue): TokenValue {
  let node: TokenValue = value;
  for (const segment of ref.subPath) {
    if ((!isPlainObject(node) && !Array.isArray(node)) || !hasOwn(node, segment)) {
      throw new MissingSubPath(`${ref.written} points to "${segment}", which the value of ${ref.key} does not have`);
    }
    node = (node as Record<string, TokenValue>)[segment]!;
  }
  return node;
}

/** Every reference in a value, embedded ones included: each is a dependency that must resolve first. */
export function collectRefs(value: TokenValue, into: TokenRef[] = []): TokenRef[] {
  if (typeof value !== 'object') return into;
  if (value instanceof TokenRef) into.push(value);
  else if (value instanceof TokenTemplate) into.push(...value.refs);
  else if (Array.isArray(value)) for (const item of value) collectRefs(item, into);
  else for (const key of Object.keys(value)) collectRefs(value[key] as TokenValue, into);
  return into;
}

function reportMissing(graph: TokenGraph, from: string, ref: TokenRef, problems: ThemeProblems): void {
  if (graph.groups.has(ref.key)) {
    const root = `${ref.key}.$root`;
    problems.error(
      from,
      'group-reference',
      `refers to ${ref.written}, which is a group, not a token`,
      graph.tokens.has(root) ? `refer to its root token {${root}}` : 'refer to one of the tokens inside the group',
    );
    return;
  }
  // The token holding the reference is never its own answer (`a.b` refers to `{a.c}`, both close).
  const closest = findClosestName(
    ref.key,
    [...graph.tokens.keys()].filter((key) => key !== from),
  );
  problems.error(from, 'broken-reference', `refers to ${ref.written}, which does not exist`, closest ? `did you mean ${closest}?` : undefined);
}

function reportCycle(cycle: string[], problems: ThemeProblems): void {
  // Start the cycle at its smallest key, so the light and dark passes report it identically.
  const start = cycle.indexOf([...cycle].sort()[0]!);
  const ordered = [...cycle.slice(start), ...cycle.slice(0, start)];
  problems.error(ordered[0]!, 'circular-reference', `circular reference: ${[...ordered, ordered[0]].join(' → ')}`);
}

/**
 * The existing name with the smallest edit distance, if close enough to be a plausible typo;
 * otherwise a name in the same top-level section ending in the same segment, which catches a
 * missing group level (`atomic.color.white` for `atomic.color.neutral.white`).
 */
export function findClosestName(wanted: string, names: Iterable<string>): string | undefined {
  const candidates = [...names];
  const [section] = wanted.split('.');
  const last = wanted.slice(wanted.lastIndexOf('.') + 1);
  return findByEditDistance(wanted, candidates) ?? candidates.find((name) => name.startsWith(`${section}.`) && name.endsWith(`.${last}`));
}

function findByEditDistance(wanted: string, names: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(3, Math.floor(wanted.length / 3)) + 1;
  for (const name of names) {
    if (Math.abs(name.length - wanted.length) >= bestDistance) continue;
    const distance = editDistance(wanted, name, bestDistance);
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  return best;
}
