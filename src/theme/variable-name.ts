/**
 * Custom-property name for a token path: each segment turned from camelCase into kebab-case and
 * joined with `-` (`typography.fontFamily.sans` → `--typography-font-family-sans`). A DTCG `$root`
 * segment is dropped, so `color.accent.$root` becomes `--color-accent`. Characters that are not
 * letters, digits, `-` or `_` (and not non-ASCII, which CSS idents allow) become `-`, so a name can
 * never carry CSS syntax; two paths that end up with one name are reported as a collision. Whitespace
 * around a segment is dropped (`"selected "` → `selected`), as Style Dictionary's names drop it.
 */
export function toVariableName(path: readonly string[], naming: VariableNaming = KEBAB): string {
  let name = naming.prefix ? `--${naming.prefix}` : '-';
  const convert = naming.style === 'preserve' ? toPreservedSegment : toKebabSegment;
  for (const segment of path) if (segment !== '$root') name += `-${convert(segment)}`;
  return name;
}

/**
 * How token paths become names: `kebab` (camelCase → kebab-case, the default) or `preserve` (each
 * segment's text kept, only characters CSS idents cannot hold replaced, as Primer's own CSS does);
 * `prefix` goes first, as Style Dictionary's platform prefix.
 */
export interface VariableNaming {
  style: 'kebab' | 'preserve';
  prefix?: string;
}

const KEBAB: VariableNaming = { style: 'kebab' };

function toPreservedSegment(segment: string): string {
  return segment.trim().replace(/[^A-Za-z0-9_\-\u0080-\uffff]/g, '-');
}

/** Token sets repeat the same few hundred segment names thousands of times: convert each once. */
const kebabSegments = new Map<string, string>();
const MAX_REMEMBERED_SEGMENTS = 50_000;
const ALREADY_KEBAB = /^[a-z0-9_-]*$/;

function toKebabSegment(segment: string): string {
  if (ALREADY_KEBAB.test(segment)) return segment;
  let kebab = kebabSegments.get(segment);
  if (kebab === undefined) {
    kebab = convertSegment(segment);
    if (kebabSegments.size >= MAX_REMEMBERED_SEGMENTS) kebabSegments.clear();
    kebabSegments.set(segment, kebab);
  }
  return kebab;
}

function convertSegment(segment: string): string {
  return segment
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9_\-\u0080-\uffff]/g, '-');
}
