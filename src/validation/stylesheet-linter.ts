import type { Config, LinterResult } from 'stylelint';

export interface StylesheetWarning {
  line: number;
  column: number;
  message: string;
}

/** Where the four colour rules of Stylelint overlap, keep one report per position. */
const COLOUR_RULES = ['color-no-hex', 'color-named', 'function-disallowed-list', 'scale-unlimited/declaration-strict-value'];

/** Properties whose every value must be a variable, a function (var) or a neutral keyword. */
const STRICT_COLOUR_PROPERTIES = ['/color$/', 'fill', 'stroke'];
const NEUTRAL_KEYWORDS = ['transparent', 'currentColor', 'currentcolor', 'inherit', 'initial', 'unset', 'revert', 'revert-layer', 'none', 'auto', 'context-fill', 'context-stroke'];

/**
 * Stylelint with the colour rules, for the bundle's stylesheets. Stylelint is imported on
 * first use and its config object is built once, so repeated lints cost a couple of ms.
 */
export class StylesheetLinter {
  private loaded?: Promise<{ lint: (code: string) => Promise<LinterResult> }>;

  async lint(code: string): Promise<StylesheetWarning[]> {
    const { lint } = await this.load();
    const result = await lint(code);
    const warnings = result.results.flatMap((entry) => entry.warnings);
    const byLine = new Map<number, StylesheetWarning[]>();
    const out: StylesheetWarning[] = [];
    // Specific rules first, so the generic strict-value report is dropped when one exists on that line.
    const ordered = [...warnings].sort((a, b) => Number(a.rule === COLOUR_RULES[3]) - Number(b.rule === COLOUR_RULES[3]));
    for (const warning of ordered) {
      if (!COLOUR_RULES.includes(warning.rule)) continue;
      const sameLine = byLine.get(warning.line) ?? [];
      if (warning.rule === COLOUR_RULES[3] && sameLine.length) continue;
      if (sameLine.some((other) => other.column === warning.column)) continue;
      const message = warning.text
        .replace(/\s*\([^()]*\)$/, '')
        .replace(/^Unexpected /, '')
        .replace(/^Expected variable, function or keyword for /, 'value ');
      const entry = { line: warning.line, column: warning.column, message: `${message} (${warning.rule})` };
      sameLine.push(entry);
      byLine.set(warning.line, sameLine);
      out.push(entry);
    }
    return out.sort((a, b) => a.line - b.line || a.column - b.column);
  }

  private load() {
    this.loaded ??= (async () => {
      const stylelint = (await import('stylelint')).default;
      const strictValue = (await import('stylelint-declaration-strict-value')).default;
      const config: Config = {
        plugins: [strictValue],
        rules: {
          'color-no-hex': true,
          'color-named': 'never',
          'function-disallowed-list': ['rgb', 'rgba', 'hsl', 'hsla', 'hwb', 'lab', 'lch', 'oklab', 'oklch', 'color', 'color-mix', 'device-cmyk'],
          'scale-unlimited/declaration-strict-value': [STRICT_COLOUR_PROPERTIES, { ignoreValues: NEUTRAL_KEYWORDS }],
        },
      };
      return { lint: (code: string) => stylelint.lint({ code, config }) };
    })();
    return this.loaded;
  }
}
