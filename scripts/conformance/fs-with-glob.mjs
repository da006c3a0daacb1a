// `node:fs` plus the `globSync` Node 22 added, for the conformance suite on Node 20 (see
// register-node20-fs.mjs). The suite reads only `globSync('**/checks.json', { cwd })` (tier-check
// collecting saved results), but it imports the name at load, so every command needs it to exist.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { globSync as globFiles } from 'tinyglobby';

export * from 'node:fs';
export default fs;

/**
 * `fs.globSync(pattern, { cwd, exclude })` as Node 22 answers it: matching paths relative to `cwd`,
 * directories included. `withFileTypes` is refused rather than answered with the wrong shape.
 * @param {string | string[]} pattern
 * @param {{ cwd?: string | URL, exclude?: string[] | ((path: string) => boolean), withFileTypes?: boolean }} [options]
 * @returns {string[]}
 */
export function globSync(pattern, options = {}) {
  if (options.withFileTypes) throw new Error('globSync (Node 20 shim for the conformance suite): withFileTypes is not supported; pass it a Node 22 or drop the option');
  const cwd = options.cwd instanceof URL ? fileURLToPath(options.cwd) : (options.cwd ?? process.cwd());
  const excludePatterns = Array.isArray(options.exclude) ? options.exclude : [];
  const found = globFiles(pattern, { cwd, ignore: excludePatterns, onlyFiles: false, expandDirectories: false });
  // tinyglobby marks directories with a trailing slash; Node does not.
  const paths = found.map((path) => (path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path));
  const exclude = options.exclude;
  return typeof exclude === 'function' ? paths.filter((path) => !exclude(path)) : paths;
}
