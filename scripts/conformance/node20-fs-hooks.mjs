// Module resolve hook (registered by register-node20-fs.mjs): the conformance suite's own
// `import … from "fs"` resolves to fs-with-glob.mjs; every other importer gets node:fs untouched.

/** @type {{ shimUrl: string, packageUrlPrefix: string } | undefined} */
let target;

/** @param {{ shimUrl: string, packageUrlPrefix: string }} data */
export function initialize(data) {
  target = data;
}

/**
 * @param {string} specifier
 * @param {{ parentURL?: string }} context
 * @param {(specifier: string, context: object) => Promise<{ url: string }>} nextResolve
 */
export async function resolve(specifier, context, nextResolve) {
  const isFs = specifier === 'fs' || specifier === 'node:fs';
  if (isFs && target && context.parentURL?.startsWith(target.packageUrlPrefix)) return { url: target.shimUrl, shortCircuit: true };
  return nextResolve(specifier, context);
}
