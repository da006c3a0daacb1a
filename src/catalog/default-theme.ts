import { generateThemeCss } from '../theme/generate-theme-css.js';
import { ThemeCssOptionsSchema, type ThemeCss } from '../theme/schemas.js';
import { CONTRACT_VARIABLES } from './contract.js';

/**
 * The theme used when a caller gives none: a single spacing token, so every contract variable
 * takes its documented fallback. Catalog components, generated ones and screen exports then all
 * read the same variables, and the gate checks generated code against exactly those.
 */
export const DEFAULT_THEME = { id: 'dspec-default', name: 'dspec default', tokens: { atomic: { spacing: { '1': '4px' } } } };

let cached: ThemeCss | undefined;

export function defaultThemeCss(): ThemeCss {
  cached ??= generateThemeCss(DEFAULT_THEME, ThemeCssOptionsSchema.parse({}), { defaultBindings: CONTRACT_VARIABLES });
  return cached;
}
