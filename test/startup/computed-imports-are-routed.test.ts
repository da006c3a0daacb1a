import { describe, expect, it } from 'vitest';
import { COMPUTED_IMPORT, routeComputedImports } from '../../scripts/route-computed-imports.mjs';

describe('computed import() calls in the built chunks (scripts/route-computed-imports.mjs)', () => {
  it('renames every import() call to the loader’s, whatever its argument', () => {
    const code = 'async function load(file, url) { const a = await import(file); const b = await import (url.href, { with: { type: "json" } }); return [a, b]; }';
    expect(routeComputedImports(code)).toBe(
      `async function load(file, url) { const a = await ${COMPUTED_IMPORT}(file); const b = await ${COMPUTED_IMPORT} (url.href, { with: { type: "json" } }); return [a, b]; }`,
    );
  });

  it('leaves the word alone in strings, templates, comments, property names and other identifiers', () => {
    const code = [
      'var message = "use import() or import.meta";',
      "var hint = `set globalThis.File to import('node:buffer').File`;",
      '// import(x) in a comment',
      'var parser = { import() { return 1; } }; parser.import(); reimport(2);',
    ].join('\n');
    expect(routeComputedImports(code)).toBe(code);
  });

  it('finds calls nested in calls, arguments and closures', () => {
    const code = 'load(() => import(a).then((m) => import(m.next)), [import(b)]);';
    expect(routeComputedImports(code)).toBe(`load(() => ${COMPUTED_IMPORT}(a).then((m) => ${COMPUTED_IMPORT}(m.next)), [${COMPUTED_IMPORT}(b)]);`);
  });
});
