// Loads @primer/primitives' DTCG sources (JSON5) into one token tree per palette: base + functional
// + component, as the comparison describes. Both tools get exactly the same trees.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import JSON5 from 'json5';

const ROOT = path.resolve('node_modules/@primer/primitives/src/tokens');

/**
 * Files left out, for both tools alike, because they are not valid input for either:
 * - syntax.json5 and component/focus.json5 define both `x.fooBar` and `x.foo-bar`, which become
 *   one CSS variable: dspec refuses the collision, Style Dictionary silently emits it twice.
 */
export const EXCLUDED = ['functional/color/syntax.json5', 'component/focus.json5'];

function walk(directory) {
  return readdirSync(directory)
    .sort()
    .flatMap((name) => (statSync(path.join(directory, name)).isDirectory() ? walk(path.join(directory, name)) : [path.join(directory, name)]));
}

function mergeInto(target, source) {
  for (const [key, value] of Object.entries(source)) {
    if (value && typeof value === 'object' && !Array.isArray(value) && target[key] && typeof target[key] === 'object') mergeInto(target[key], value);
    else target[key] = value;
  }
  return target;
}

function paletteFiles(palette) {
  return palette === 'light' ? ['base/color/light/light.json5', 'base/color/light/display-light.json5'] : ['base/color/dark/dark.json5', 'base/color/dark/display-dark.json5'];
}

function sharedFiles(excluded = EXCLUDED) {
  const relative = (file) => path.relative(ROOT, file);
  return [
    ...walk(path.join(ROOT, 'base')).map(relative).filter((file) => !file.startsWith('base/color/')),
    ...walk(path.join(ROOT, 'functional')).map(relative),
    ...walk(path.join(ROOT, 'component')).map(relative),
  ].filter((file) => !excluded.includes(file) && /\.json5?$/.test(file));
}

export function primerTree(palette, excluded = EXCLUDED) {
  const tree = {};
  for (const file of [...paletteFiles(palette), ...sharedFiles(excluded)]) mergeInto(tree, JSON5.parse(readFileSync(path.join(ROOT, file), 'utf8')));
  return tree;
}

/** The same two palettes as one DTCG resolver document: a light/dark modifier over the shared sets. */
export function primerResolverDocument() {
  const shared = {};
  for (const file of sharedFiles()) mergeInto(shared, JSON5.parse(readFileSync(path.join(ROOT, file), 'utf8')));
  const palette = (name) => paletteFiles(name).reduce((tree, file) => mergeInto(tree, JSON5.parse(readFileSync(path.join(ROOT, file), 'utf8'))), {});
  return {
    name: 'primer',
    version: '2025.10',
    sets: { shared: { sources: [shared] } },
    modifiers: { mode: { default: 'light', contexts: { light: [palette('light')], dark: [palette('dark')] } } },
    resolutionOrder: [{ $ref: '#/modifiers/mode' }, { $ref: '#/sets/shared' }],
  };
}

export function countTokens(tree) {
  let count = 0;
  const visit = (node) => {
    if (!node || typeof node !== 'object') return;
    if ('$value' in node) count++;
    else for (const [key, child] of Object.entries(node)) if (!key.startsWith('$')) visit(child);
  };
  visit(tree);
  return count;
}
