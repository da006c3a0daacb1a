import traverseModule from '@babel/traverse';

type Traverse = typeof traverseModule.default;

/**
 * @babel/traverse is CommonJS with `exports.default`: Node's ESM loader hands us the exports
 * object, bundlers sometimes the function itself. Either way, this is the function.
 */
export const traverse: Traverse = (traverseModule as unknown as { default?: Traverse }).default ?? (traverseModule as unknown as Traverse);
