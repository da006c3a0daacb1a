/**
 * A tiny reader for the YAML subset prompt files use in their front matter: `key: scalar`,
 * lists of scalars (`- item`), and maps nested up to three levels
 * (`variables:` → `name:` → `required: true`). Anything else is an error, reported with its
 * line, rather than a silent misreading.
 */
export type FrontMatterValue = string | number | boolean | null | FrontMatterValue[] | { [key: string]: FrontMatterValue };

export class FrontMatterError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'FrontMatterError';
  }
}

/** Splits `---\n…\n---\n body` into its parsed front matter and the body. */
export function splitFrontMatter(text: string): { data: Record<string, FrontMatterValue>; body: string; bodyStartLine: number } {
  const normalised = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const match = /^---\n([\s\S]*?)\n---[ \t]*(?:\n|$)/.exec(normalised);
  if (!match) throw new FrontMatterError('a prompt file must start with front matter between two "---" lines', 1);
  const header = match[1] ?? '';
  return { data: parseFrontMatter(header, 2), body: normalised.slice(match[0].length), bodyStartLine: header.split('\n').length + 3 };
}

interface Line {
  indent: number;
  text: string;
  number: number;
}

export function parseFrontMatter(text: string, firstLine = 1): Record<string, FrontMatterValue> {
  const lines: Line[] = [];
  text.split('\n').forEach((raw, index) => {
    const withoutComment = stripComment(raw);
    if (withoutComment.trim() === '') return;
    if (/^\s*\t/.test(withoutComment)) throw new FrontMatterError('indent with spaces, not tabs', firstLine + index);
    lines.push({ indent: withoutComment.length - withoutComment.trimStart().length, text: withoutComment.trim(), number: firstLine + index });
  });
  const cursor = { index: 0 };
  const result = parseMap(lines, cursor, 0, 1);
  if (cursor.index < lines.length) throw new FrontMatterError('unexpected indentation', lines[cursor.index]!.number);
  return result;
}

const MAX_DEPTH = 3;

function parseMap(lines: Line[], cursor: { index: number }, indent: number, depth: number): Record<string, FrontMatterValue> {
  const map: Record<string, FrontMatterValue> = {};
  while (cursor.index < lines.length) {
    const line = lines[cursor.index]!;
    if (line.indent < indent) break;
    if (line.indent > indent) throw new FrontMatterError('unexpected indentation', line.number);
    const match = /^([A-Za-z_][A-Za-z0-9_-]*)\s*:(?:\s+(.*))?$/.exec(line.text);
    if (!match) throw new FrontMatterError(`expected "key: value", found "${line.text.slice(0, 60)}"`, line.number);
    const key = match[1]!;
    if (Object.hasOwn(map, key)) throw new FrontMatterError(`duplicate key "${key}"`, line.number);
    cursor.index++;
    const inline = match[2]?.trim();
    if (inline !== undefined && inline !== '') {
      map[key] = parseInlineValue(inline, line.number);
      continue;
    }
    const next = lines[cursor.index];
    if (!next || next.indent <= indent) {
      map[key] = null;
    } else if (next.text.startsWith('- ') || next.text === '-') {
      map[key] = parseList(lines, cursor, next.indent);
    } else {
      if (depth >= MAX_DEPTH) throw new FrontMatterError(`maps nest at most ${MAX_DEPTH} levels`, next.number);
      map[key] = parseMap(lines, cursor, next.indent, depth + 1);
    }
  }
  return map;
}

function parseList(lines: Line[], cursor: { index: number }, indent: number): FrontMatterValue[] {
  const list: FrontMatterValue[] = [];
  while (cursor.index < lines.length) {
    const line = lines[cursor.index]!;
    if (line.indent < indent) break;
    if (line.indent > indent || !(line.text.startsWith('- ') || line.text === '-')) throw new FrontMatterError('a list holds "- item" lines only', line.number);
    list.push(parseInlineValue(line.text.slice(1).trim(), line.number));
    cursor.index++;
  }
  return list;
}

function parseInlineValue(text: string, lineNumber: number): FrontMatterValue {
  if (text.startsWith('[')) {
    if (!text.endsWith(']')) throw new FrontMatterError('an inline list must end with "]"', lineNumber);
    const inner = text.slice(1, -1).trim();
    return inner === '' ? [] : splitInlineList(inner).map((item) => parseScalar(item.trim(), lineNumber));
  }
  return parseScalar(text, lineNumber);
}

function splitInlineList(text: string): string[] {
  const items: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (const char of text) {
    if (quote) {
      if (char === quote) quote = undefined;
      current += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      current += char;
    } else if (char === ',') {
      items.push(current);
      current = '';
    } else current += char;
  }
  items.push(current);
  return items;
}

function parseScalar(text: string, lineNumber: number): FrontMatterValue {
  if (text.startsWith('"')) {
    try {
      return JSON.parse(text) as string;
    } catch {
      throw new FrontMatterError('unterminated or invalid double-quoted string', lineNumber);
    }
  }
  if (text.startsWith("'")) {
    if (!text.endsWith("'") || text.length < 2) throw new FrontMatterError('unterminated single-quoted string', lineNumber);
    return text.slice(1, -1).replace(/''/g, "'");
  }
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null' || text === '~') return null;
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (/^[{&*!|>%@`]/.test(text)) throw new FrontMatterError(`"${text.slice(0, 20)}" is YAML this reader does not support; quote the value`, lineNumber);
  return text;
}

/** A `#` starts a comment unless it is inside quotes or glued to a word. */
function stripComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '#' && (i === 0 || /\s/.test(line[i - 1]!))) return line.slice(0, i).trimEnd();
  }
  return line.trimEnd();
}
