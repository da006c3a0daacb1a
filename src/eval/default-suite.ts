import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../errors.js';

/**
 * The suite shipped with the package (`evals/components.json`): from `src/eval/`, `dist/eval/`
 * or the bundled `dist/bin/` chunks, walk up to the folder holding `package.json` and `evals/`.
 */
export function defaultSuitePath(): string {
  let directory = path.dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth++) {
    const candidate = path.join(directory, 'evals', 'components.json');
    if (existsSync(path.join(directory, 'package.json')) && existsSync(candidate)) return candidate;
    const parent = path.dirname(directory);
    if (parent === directory) break;
    directory = parent;
  }
  throw new InputError('The default suite evals/components.json was not found next to the dspec package.', { suggestion: 'Pass one with --suite FILE|DIR.' });
}
