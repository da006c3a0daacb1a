import postcss from 'postcss';

/**
 * The custom properties a stylesheet declares (`--color-primary: …`), in any rule or at-rule:
 * the set the undefined-variable rule checks against when a theme arrives as CSS (an export's
 * `theme.css`) rather than as tokens. Throws postcss's CssSyntaxError (with line and column)
 * on CSS that does not parse.
 */
export function customPropertiesDeclaredIn(css: string, fileName: string): ReadonlySet<string> {
  const declared = new Set<string>();
  postcss.parse(css, { from: fileName }).walkDecls((declaration) => {
    if (declaration.prop.startsWith('--')) declared.add(declaration.prop);
  });
  return declared;
}
