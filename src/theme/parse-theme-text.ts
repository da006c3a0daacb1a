import { parseJsonText } from '../infra/json.js';

/**
 * Theme file text → the value `generateThemeCss` takes. A syntax error becomes a JsonParseError
 * with the line and column of the fault, reported against `sourceName`.
 */
export function parseThemeText(text: string, sourceName: string): unknown {
  return parseJsonText(text, sourceName);
}
