import type { ThemeProblems } from './theme-problems.js';
import { MAX_NESTING_DEPTH, createRecord, hasOwn, isPlainObject } from './token-graph.js';

/**
 * Token files in the pre-DTCG shape that Style Dictionary 3 and Tokens Studio write —
 * `{ "value": …, "type": …, "description": … }`, references `{color.primary.value}` — become a
 * DTCG tree (`$value`, `$type`, `$description`, `{color.primary}`), so they go through the same
 * parser and checks. Types are mapped to their DTCG names where one exists; the rest stay as
 * written and are emitted as literal CSS with a warning.
 */
export function convertLegacyTokens(root: Record<string, unknown>, problems: ThemeProblems): Record<string, unknown> {
  problems.warn('(theme)', 'legacy-format', 'tokens use the pre-DTCG "value"/"type" shape (Style Dictionary 3, Tokens Studio); read as DTCG');
  return convertGroup(root, 0, '');
}

const TYPE_NAMES: Record<string, string> = {
  color: 'color',
  dimension: 'dimension',
  size: 'dimension',
  sizing: 'dimension',
  spacing: 'dimension',
  borderRadius: 'dimension',
  borderWidth: 'dimension',
  fontSizes: 'dimension',
  fontSize: 'dimension',
  letterSpacing: 'dimension',
  fontFamily: 'fontFamily',
  fontFamilies: 'fontFamily',
  fontWeight: 'fontWeight',
  fontWeights: 'fontWeight',
  duration: 'duration',
  time: 'duration',
  cubicBezier: 'cubicBezier',
  number: 'number',
  opacity: 'number',
  lineHeights: 'number',
  lineHeight: 'number',
};

function convertGroup(node: Record<string, unknown>, depth: number, path: string): Record<string, unknown> {
  // Deeper input is left for the DTCG parser, which reports it with its path.
  if (depth > MAX_NESTING_DEPTH) return node;
  const out = createRecord<unknown>();
  for (const key of Object.keys(node)) {
    const child = node[key];
    const childPath = path ? `${path}.${key}` : key;
    if (isPlainObject(child) && isLegacyToken(child)) out[key] = convertToken(child);
    else if (isPlainObject(child)) out[key] = convertGroup(child, depth + 1, childPath);
    else out[key] = child;
  }
  return out;
}

export function isLegacyToken(node: Record<string, unknown>): boolean {
  return hasOwn(node, 'value') && !hasOwn(node, '$value');
}

function convertToken(token: Record<string, unknown>): Record<string, unknown> {
  const out = createRecord<unknown>();
  out.$value = convertReferences(token.value);
  if (typeof token.type === 'string') out.$type = TYPE_NAMES[token.type] ?? token.type;
  if (typeof token.description === 'string') out.$description = token.description;
  else if (typeof token.comment === 'string') out.$description = token.comment;
  return out;
}

/** `{color.primary.value}` → `{color.primary}`, inside strings and composite values alike. */
function convertReferences(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/\{([^{}]+?)\.value\}/g, '{$1}');
  if (Array.isArray(value)) return value.map(convertReferences);
  if (isPlainObject(value)) {
    const out = createRecord<unknown>();
    for (const key of Object.keys(value)) out[key] = convertReferences(value[key]);
    return out;
  }
  return value;
}
