// A chunk compiled from V8's code cache loses what its import() calls need on Node 20 (the host
// options vm.Script's `importModuleDynamically` sets are not restored across processes: the call
// throws "A dynamic import callback was not specified"). The build already turns every import()
// of a chunk, a package or a built-in into a require; the few left take a computed specifier (a
// config file, a plugin, in ESLint's and Stylelint's code). Those calls are renamed to
// `__dspec_import`, which src/startup/load-chunks.ts hands each chunk: Node's own import(), made
// from the loader's module, which Node compiled itself.
import { parse } from '@babel/parser';

export const COMPUTED_IMPORT = '__dspec_import';

/**
 * @param {string} code a chunk as a CommonJS script
 * @returns {string} the same code with every `import(…)` call calling COMPUTED_IMPORT instead
 */
export function routeComputedImports(code) {
  // Only a parse tells a call from the word in a string or a comment; most chunks have neither.
  if (!/\bimport\s*\(/.test(code)) return code;
  const ast = parse(code, { sourceType: 'script', errorRecovery: false });
  /** @type {number[]} */
  const starts = [];
  // An explicit stack, not recursion: minified code can nest deep.
  const pending = [ast.program];
  while (pending.length) {
    const node = pending.pop();
    if (Array.isArray(node)) {
      pending.push(...node);
      continue;
    }
    if (!node || typeof node !== 'object' || typeof node.type !== 'string') continue;
    // Babel 7 writes `import(x)` as a call whose callee is an `Import` node (an ImportExpression when asked to).
    if (node.type === 'Import' || node.type === 'ImportExpression') starts.push(node.start);
    for (const key of Object.keys(node)) {
      if (key === 'loc' || key === 'extra' || key.endsWith('Comments')) continue;
      const value = node[key];
      if (value && typeof value === 'object') pending.push(value);
    }
  }
  let routed = code;
  for (const start of starts.sort((a, b) => b - a)) {
    if (routed.slice(start, start + 6) !== 'import') throw new Error(`route-computed-imports: expected "import" at offset ${start}`);
    routed = `${routed.slice(0, start)}${COMPUTED_IMPORT}${routed.slice(start + 6)}`;
  }
  return routed;
}
