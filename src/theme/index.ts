export { generateThemeCss } from './generate-theme-css.js';
export { parseThemeText } from './parse-theme-text.js';
export { detectThemeFormat } from './detect-format.js';
export { toVariableName } from './variable-name.js';
export { ThemeCssOptionsSchema, ThemeFormatSchema, ThemeWarningSchema, type ThemeCss, type ThemeCssOptions, type ThemeCssOptionsInput, type ThemeFormat, type ThemeWarning } from './schemas.js';
export { bindDefaults, type DefaultBinding } from './default-bindings.js';
