import { parse } from 'css-tree';
import { generateThemeCss } from '../../src/theme/generate-theme-css.js';
import { ThemeCssOptionsSchema, type ThemeCssOptionsInput } from '../../src/theme/schemas.js';
import { DspecError } from '../../src/errors.js';

/** css-tree's parse errors for a stylesheet; an empty list means it parses cleanly. */
export function cssParseErrors(css: string): string[] {
  const errors: string[] = [];
  parse(css, { onParseError: (error) => errors.push(error.message) });
  return errors;
}

export function generate(theme: unknown, options: ThemeCssOptionsInput = {}, limits?: { maxTokens?: number }) {
  return generateThemeCss(theme, ThemeCssOptionsSchema.parse(options), limits);
}

/** The error `generate` throws, for assertions on its issues. */
export function generateError(theme: unknown, options: ThemeCssOptionsInput = {}, limits?: { maxTokens?: number }): DspecError {
  try {
    generate(theme, options, limits);
  } catch (error) {
    if (error instanceof DspecError) return error;
    throw error;
  }
  throw new Error('expected generateThemeCss to throw');
}
