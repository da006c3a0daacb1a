import * as z from 'zod';

/** Options of `generate_theme_css` and `dspec theme css`; one source for the tool schema and the CLI. */
export const ThemeCssOptionsSchema = z.object({
  darkSelector: z
    .string()
    .min(1)
    .max(200)
    .default('.dark')
    .describe('Selector that receives the dark-mode overrides (default ".dark").'),
  darkMedia: z
    .boolean()
    .default(false)
    .describe('Also emit the dark overrides inside @media (prefers-color-scheme: dark) on :root.'),
  references: z
    .enum(['var', 'resolve'])
    .default('var')
    .describe('"var": semantic/component tokens become var(--…) so dark overrides propagate; "resolve": every value is final.'),
  comments: z.boolean().default(false).describe('Emit token descriptions and deprecations as CSS comments.'),
  minify: z.boolean().default(false).describe('Emit the CSS without whitespace.'),
  componentDefaults: z
    .boolean()
    .default(true)
    .describe('Also bind the variables the catalog components read (e.g. --button-primary-background) to the theme tokens, or to documented fallbacks.'),
});
export type ThemeCssOptions = z.infer<typeof ThemeCssOptionsSchema>;
export type ThemeCssOptionsInput = z.input<typeof ThemeCssOptionsSchema>;

export const ThemeWarningSchema = z.object({
  code: z.string(),
  path: z.string(),
  message: z.string(),
});
export type ThemeWarning = z.infer<typeof ThemeWarningSchema>;

export const ThemeFormatSchema = z.enum(['tekton', 'dtcg', 'dtcg-resolver', 'style-dictionary']);
export type ThemeFormat = z.infer<typeof ThemeFormatSchema>;

/** What the emitter returns: the CSS plus the maps later stages (validation, screens) read. */
export interface ThemeCss {
  css: string;
  /** Light/base values by custom-property name (`--semantic-background-canvas`), as emitted. */
  variables: Map<string, string>;
  /** Dark overrides by custom-property name, as emitted. */
  darkVariables: Map<string, string>;
  /** Final values after following every reference, light and dark (used by contrast checks and tests). */
  resolved: { light: Map<string, string>; dark: Map<string, string> };
  warnings: ThemeWarning[];
  themeId: string;
  format: ThemeFormat;
  /** SHA-256 (hex) of the CSS text: identical input and options give an identical hash. */
  hash: string;
}
