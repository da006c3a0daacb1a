import * as z from 'zod';
import type { ErrorIssue } from '../errors.js';

/** One mode emitted under its own selector (option `modes`). */
export const ThemeModeSchema = z.object({
  name: z.string().min(1).max(60).describe('The mode as the input names it: a Primer override key ("dark-dimmed"), a Tokens Studio theme or a resolver context.'),
  selector: z.string().min(1).max(200).optional().describe('Selector of its block; default darkSelector for "dark", else [data-theme="<name>"].'),
});
export type ThemeModeOption = z.infer<typeof ThemeModeSchema>;

/** Options of `generate_theme_css` and `dspec theme css`; one source for the tool schema and the CLI. */
export const ThemeCssOptionsSchema = z.object({
  darkSelector: z.string().min(1).max(200).default('.dark').describe('Selector that receives the dark-mode overrides (default ".dark").'),
  darkMedia: z.boolean().default(false).describe('Also emit the dark overrides inside @media (prefers-color-scheme: dark) on :root.'),
  references: z.enum(['var', 'resolve']).default('var').describe('"var": semantic/component tokens become var(--…) so dark overrides propagate; "resolve": every value is final.'),
  comments: z.boolean().default(false).describe('Emit token descriptions and deprecations as CSS comments.'),
  minify: z.boolean().default(false).describe('Emit the CSS without whitespace.'),
  componentDefaults: z.boolean().default(true).describe('Also bind the variables the catalog components read (e.g. --button-primary-background) to the theme tokens, or to documented fallbacks.'),
  strict: z.boolean().default(false).describe('All or nothing: any refused token fails the whole conversion. Default: the CSS of every usable token comes back together with the list of errors.'),
  naming: z
    .enum(['kebab', 'preserve'])
    .default('kebab')
    .describe(
      '"kebab": each path segment camelCase → kebab-case (--font-size-sm); "preserve": each segment kept as written, as Primer\'s own CSS does (--prettylights-syntax-constantOtherReferenceLink).',
    ),
  prefix: z
    .string()
    .max(60)
    .regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, 'a prefix is letters, digits, "-" and "_", starting with a letter or "_"')
    .optional()
    .describe('Put before every variable name, as Style Dictionary\'s platform prefix does: prefix "ds" → --ds-color-brand.'),
  unwrap: z
    .array(z.string().min(1).max(200))
    .max(200)
    .optional()
    .describe('Top-level groups that are not part of the token names (a Tokens Studio set such as "global"): their contents are read as if at the top level, and references name tokens without them.'),
  includeSets: z
    .array(z.string().min(1).max(200))
    .max(500)
    .optional()
    .describe(
      'Tokens Studio sets that no $themes entry selects, to read anyway (merged in set order with the chosen themes\' sets); "*" reads every such set. Without it they are left out, with one warning naming them.',
    ),
  mode: z
    .string()
    .min(1)
    .max(60)
    .optional()
    .describe(
      'Apply the vendor overrides of this mode on top of the base values: Primer\'s $extensions["org.primer.overrides"].<mode> (e.g. "dark", "dark-dimmed"; a variant falls back to its first word\'s override, as Primer\'s build does), the Tokens Studio $themes entry or the DTCG resolver context of that name.',
    ),
  modes: z
    .array(ThemeModeSchema)
    .min(1)
    .max(32)
    .optional()
    .describe(
      'Emit several modes in one file: :root holds the base (`mode`, else the default), and each listed mode the declarations that differ from it, under its selector. A mode is read as `mode` would read it (vendor overrides, Tokens Studio theme, resolver context; "dark" also a Tekton darkMode). Replaces the single dark block.',
    ),
});
export type ThemeCssOptions = z.infer<typeof ThemeCssOptionsSchema>;
export type ThemeCssOptionsInput = z.input<typeof ThemeCssOptionsSchema>;

export const ThemeWarningSchema = z.object({
  code: z.string(),
  path: z.string(),
  message: z.string(),
});
export type ThemeWarning = z.infer<typeof ThemeWarningSchema>;

export const ThemeFormatSchema = z.enum(['tekton', 'dtcg', 'dtcg-resolver', 'style-dictionary', 'tokens-studio']);
export type ThemeFormat = z.infer<typeof ThemeFormatSchema>;

/** One line of the warning summary: a code, how often it occurred and the first few token paths. */
export interface WarningSummary {
  code: string;
  count: number;
  paths: string[];
}

/** What the emitter returns: the CSS plus the maps later stages (validation, screens) read. */
export interface ThemeCss {
  css: string;
  /**
   * Tokens that were refused (each names its path, with a suggestion where one helps). Empty unless
   * the conversion was partial; `generateThemeCss` and `strict` throw instead of returning any.
   */
  errors: ErrorIssue[];
  /** Every error found, including those past the cap on `errors`. */
  errorCount: number;
  /** One entry per warning code, with its count and first three paths. */
  warningSummary: WarningSummary[];
  /** Tokens read from the input. */
  tokenCount: number;
  /** Light/base values by custom-property name (`--semantic-background-canvas`), as emitted. */
  variables: Map<string, string>;
  /** Dark overrides by custom-property name, as emitted. */
  darkVariables: Map<string, string>;
  /** With option `modes`: each mode's block (declarations differing from :root) and final values, in the order asked. */
  modes?: ModeBlock[];
  /** Final values after following every reference, light and dark (used by contrast checks and tests). */
  resolved: { light: Map<string, string>; dark: Map<string, string> };
  warnings: ThemeWarning[];
  themeId: string;
  format: ThemeFormat;
  /** SHA-256 (hex) of the CSS text: identical input and options give an identical hash. */
  hash: string;
}

/** One emitted mode: its selector, the declarations it overrides, and every final value in it. */
export interface ModeBlock {
  name: string;
  selector: string;
  variables: Map<string, string>;
  resolved: Map<string, string>;
}
