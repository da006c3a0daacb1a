import { LineCounter, parseDocument } from 'yaml';

/**
 * Front matter of the prompt files, read with the `yaml` package (YAML 1.2, core schema: no
 * dates, no `on`/`yes` booleans). Duplicate keys, anchors to nowhere and other YAML errors are
 * reported with their line instead of being misread.
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

/** Parses a YAML mapping; `firstLine` is the file line of the text's first line, for messages. */
export function parseFrontMatter(text: string, firstLine = 1): Record<string, FrontMatterValue> {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, schema: 'core', uniqueKeys: true, prettyErrors: false, strict: true });
  const problem = document.errors[0] ?? document.warnings[0];
  if (problem) {
    const line = lineCounter.linePos(problem.pos[0]).line;
    throw new FrontMatterError(problem.message.split('\n')[0] ?? problem.code, firstLine + line - 1);
  }
  const data: unknown = document.toJS({ maxAliasCount: 0 });
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) throw new FrontMatterError('the front matter must be a map of "key: value" lines', firstLine);
  return checked(data, firstLine) as Record<string, FrontMatterValue>;
}

/** Only JSON-like values: a custom tag could otherwise hand the registry a Map, a Set or binary data. */
function checked(value: unknown, line: number): FrontMatterValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new FrontMatterError(`${value} is not a usable number`, line);
    return value;
  }
  if (Array.isArray(value)) return value.map((item) => checked(item, line));
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, checked(item, line)]));
  }
  throw new FrontMatterError(`a value of type ${Object.prototype.toString.call(value).slice(8, -1)} is not allowed in front matter`, line);
}
