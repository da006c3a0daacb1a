/**
 * Custom-property name for a token path: each segment turned from camelCase into kebab-case and
 * joined with `-` (`typography.fontFamily.sans` → `--typography-font-family-sans`). A DTCG `$root`
 * segment is dropped, so `color.accent.$root` becomes `--color-accent`. Characters that are not
 * letters, digits, `-` or `_` (and not non-ASCII, which CSS idents allow) become `-`, so a name can
 * never carry CSS syntax; two paths that end up with one name are reported as a collision.
 */
export function toVariableName(path: readonly string[]): string {
  let name = '-';
  for (const segment of path) if (segment !== '$root') name += `-${toKebabSegment(segment)}`;
  return name;
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
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9_\-\u0080-\uffff]/g, '-');
}
