/**
 * Checks that a value can sit inside `--name: <value>;` without ending the declaration, the rule or
 * the surrounding `<style>` element. Returns the reason it cannot, or undefined when it is safe.
 * An empty value is safe: `--x: ;` is a valid (empty) custom property (CSS Variables 1, 2022).
 *
 * The value is read as the CSS Syntax Level 3 tokenizer reads it, so a CSS escape is accepted where
 * it cannot change the structure: any escape inside a string (`"\f00d"`, an icon-font glyph), and
 * escapes in identifiers that spell ordinary characters. Refused: unbalanced brackets outside
 * strings, an unclosed string (also one whose closing quote is escaped), a backslash at the very end
 * (it would escape the `;` after the value), an identifier escape that spells a character refused
 * unescaped (`red\3b`, which a tool that unescapes without tokenizing would turn into `;`), and
 * anywhere, even in a string: `<` (as in `</style`, which the HTML parser sees whatever CSS thinks),
 * newlines and control characters, and `;`, `{`, `}`, `/*`, `*\/` (a string holds them safely
 * for a CSS parser, but not for the minifiers and CSS-in-JS tools that split on them unaware of strings).
 */
export function findUnsafeValue(value: string): string | undefined {
  // Most values ("#0969da", "var(--x)", "1rem") hold none of the characters any rule looks at.
  if (!MAYBE_UNSAFE.test(value)) return undefined;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return 'contains a newline or control character';
    if (code === 0x2028 || code === 0x2029) return 'contains a line separator character';
  }
  if (value.includes('<')) return 'contains "<" (as in "</style" or "<!--") which could end an inline <style>';
  if (value.includes('/*')) return 'contains "/*" which would open a comment';
  if (value.includes('*/')) return 'contains "*/" which would close a comment';
  for (const char of [';', '{', '}'] as const) if (value.includes(char)) return STRUCTURAL[char];
  return scanTokens(value);
}

/**
 * findUnsafeValue for text that must not be blank either: a selector or a default binding's
 * fallback (a token's empty value is emitted as `--x: ;`).
 */
export function findUnsafeCss(value: string): string | undefined {
  if (value.trim() === '') return 'is empty';
  return findUnsafeValue(value);
}

/** Any character one of the rules looks at; a value without one is safe as it is. */
// eslint-disable-next-line no-control-regex -- control characters would break out of a CSS value: spotting them is the job
const MAYBE_UNSAFE = /[\u0000-\u001f\u007f\u2028\u2029;{}/*<\\"'()[\]]/;

const STRUCTURAL: Readonly<Record<'{' | '}' | ';', string>> = {
  ';': 'contains ";" which would end the declaration',
  '{': 'contains "{" which would open a block',
  '}': 'contains "}" which would close the rule',
};

/** Characters an identifier escape must not spell: those refused or balanced when written plainly. */
// eslint-disable-next-line no-control-regex -- an escape spelling a control character is as unsafe as the character itself
const UNSAFE_WHEN_UNESCAPED = /[\u0000-\u001f\u007f\u2028\u2029;{}<>/*\\"'()[\]]/;

/** One pass over the value as CSS tokens: strings (with their escapes), identifier escapes, brackets. */
function scanTokens(value: string): string | undefined {
  const closers: string[] = [];
  let i = 0;
  while (i < value.length) {
    const char = value[i]!;
    if (char === '"' || char === "'") {
      const end = stringEnd(value, i);
      if (typeof end === 'string') return end;
      i = end;
    } else if (char === '\\') {
      const escape = readEscape(value, i);
      if (typeof escape === 'string') return escape;
      if (UNSAFE_WHEN_UNESCAPED.test(String.fromCodePoint(escape.codePoint))) {
        return `has an escape ${JSON.stringify(value.slice(i, escape.end).trim())} that spells ${JSON.stringify(String.fromCodePoint(escape.codePoint))} outside a string, which a tool that unescapes could turn into CSS syntax`;
      }
      i = escape.end;
    } else {
      if (char === '(') closers.push(')');
      else if (char === '[') closers.push(']');
      else if ((char === ')' || char === ']') && closers.pop() !== char) return `has an unmatched "${char}"`;
      i++;
    }
  }
  if (closers.length) return `has an unclosed "${closers[closers.length - 1] === ')' ? '(' : '['}"`;
  return undefined;
}

/** The index just after the string that opens at `start`, or why it is unsafe (unclosed, a bad escape). */
function stringEnd(value: string, start: number): number | string {
  const quote = value[start]!;
  let i = start + 1;
  while (i < value.length) {
    const char = value[i]!;
    if (char === quote) return i + 1;
    if (char === '\\') {
      const escape = readEscape(value, i);
      if (typeof escape === 'string') return escape;
      i = escape.end;
    } else {
      i++;
    }
  }
  return `has an unclosed ${quote} quote`;
}

const HEX_DIGIT = /[0-9a-fA-F]/;
const ESCAPE_WHITESPACE = /[ \t\n\r\f]/;

/**
 * The escape at `start` (a backslash) as CSS Syntax 3 consumes it: up to six hex digits and one
 * whitespace, or the one character after the backslash. Returns its code point and end, or why it
 * is unsafe: a backslash at the end of the value (it would escape what follows the value) or one
 * that spells no character (NUL, a surrogate, beyond U+10FFFF).
 */
function readEscape(value: string, start: number): { codePoint: number; end: number } | string {
  let i = start + 1;
  if (i >= value.length) return 'ends with a backslash, which would escape the ";" after the value';
  if (!HEX_DIGIT.test(value[i]!)) {
    const codePoint = value.codePointAt(i)!;
    return { codePoint, end: i + (codePoint > 0xffff ? 2 : 1) };
  }
  let hex = '';
  while (i < value.length && hex.length < 6 && HEX_DIGIT.test(value[i]!)) hex += value[i++];
  if (i < value.length && ESCAPE_WHITESPACE.test(value[i]!)) i++;
  const codePoint = parseInt(hex, 16);
  if (codePoint === 0 || (codePoint >= 0xd800 && codePoint <= 0xdfff) || codePoint > 0x10ffff) {
    return `has an escape "\\${hex}" that spells no character (NUL, a surrogate or beyond U+10FFFF)`;
  }
  return { codePoint, end: i };
}

/** Runs of control characters and line separators, any of which would break a one-line comment. */
// eslint-disable-next-line no-control-regex -- finding control characters is this pattern's job
const LINE_BREAKING_RUNS = /[\u0000-\u001f\u007f\u2028\u2029]+/g;

/** Comment text made safe to place between `/*` and `*\/`, on one line, inside a `<style>`. */
export function toSafeComment(text: string): string {
  return text.replace(LINE_BREAKING_RUNS, ' ').replaceAll('*/', '* /').replaceAll('/*', '/ *').replaceAll('<', '‹').trim();
}
