const FORBIDDEN: ReadonlyArray<readonly [string, string]> = [
  [';', 'contains ";" which would end the declaration'],
  ['{', 'contains "{" which would open a block'],
  ['}', 'contains "}" which would close the rule'],
  ['/*', 'contains "/*" which would open a comment'],
  ['*/', 'contains "*/" which would close a comment'],
  ['<', 'contains "<" (as in "</style" or "<!--") which could end an inline <style>'],
  ['\\', 'contains a backslash escape, which could hide forbidden characters'],
];

/**
 * Checks that a value can sit inside `--name: <value>;` without ending the declaration, the rule or
 * the surrounding `<style>` element. Returns the reason it cannot, or undefined when it is safe.
 * Backslashes are refused outright: a CSS escape could spell any of the forbidden characters.
 */
export function findUnsafeCss(value: string): string | undefined {
  // One pass finds whether anything below could apply; most values ("#0969da", "var(--x)") are clean.
  if (!MAYBE_UNSAFE.test(value)) return findUnbalanced(value);
  if (value.trim() === '') return 'is empty';
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return 'contains a newline or control character';
    if (code === 0x2028 || code === 0x2029) return 'contains a line separator character';
  }
  for (const [text, reason] of FORBIDDEN) if (value.includes(text)) return reason;
  return findUnbalanced(value);
}

/** Any character that one of the checks above looks for, or a blank value (`\\s` is what trim removes). */
const MAYBE_UNSAFE = /[\u0000-\u001f\u007f\u2028\u2029;{}/*<\\]|^\s*$/;

/** Most values have no bracket or quote at all: nothing to balance. */
const BALANCED_CHARS = /["'()[\]]/;

function findUnbalanced(value: string): string | undefined {
  if (!BALANCED_CHARS.test(value)) return undefined;
  const closers: string[] = [];
  let quote: string | undefined;
  for (let i = 0; i < value.length; i++) {
    const char = value[i]!;
    if (quote) {
      if (char === quote) quote = undefined;
      continue;
    }
    if (char === '"' || char === "'") quote = char;
    else if (char === '(') closers.push(')');
    else if (char === '[') closers.push(']');
    else if (char === ')' || char === ']') {
      if (closers.pop() !== char) return `has an unmatched "${char}"`;
    }
  }
  if (quote) return `has an unclosed ${quote} quote`;
  if (closers.length) return `has an unclosed "${closers[closers.length - 1] === ')' ? '(' : '['}"`;
  return undefined;
}

/** Comment text made safe to place between `/*` and `*\/`, on one line, inside a `<style>`. */
export function toSafeComment(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ')
    .replaceAll('*/', '* /')
    .replaceAll('/*', '/ *')
    .replaceAll('<', '‹')
    .trim();
}
