/**
 * Loads what the design-system and accessibility layers load on first use (stylelint, ESLint and
 * its plugins, Babel's parser), so it can happen while the type layer runs in another process
 * (the CLI's snapshot host) instead of after it. Harmless when a layer never runs; a failure here
 * is left for that layer to report when it loads the same module.
 */
export function prefetchLaterLayers(): Promise<void> {
  return Promise.all([
    import('./check-design-system.js'),
    import('stylelint'),
    import('stylelint-declaration-strict-value'),
    import('eslint'),
    import('@babel/parser'),
    import('@babel/types'),
    import('eslint-visitor-keys'),
    import('eslint-plugin-jsx-a11y'),
    import('eslint-plugin-react-hooks'),
  ]).then(
    () => undefined,
    () => undefined,
  );
}
