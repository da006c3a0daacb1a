// Loads @primer/primitives' DTCG sources (JSON5) into one token tree per palette: base + functional
// + component, every token file of src/tokens, as Primer's own build reads them. Both tools get
// exactly the same trees.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import JSON5 from 'json5';

const ROOT = path.resolve('node_modules/@primer/primitives/src/tokens');

/**
 * Files under src/tokens that are not token sources: `removed.json` lists removed names (`"auto.black":
 * null`) and `fallback/color-fallbacks.json` maps variable names to fallbacks; neither holds a `$value`
 * (test/theme/primer-tokens.test.ts checks that they have no token). Every other file is read.
 */
export const NOT_TOKEN_FILES = ['removed.json', 'fallback/color-fallbacks.json'];

/** Base palettes per published theme: `dark` is the dark palette plus the `dark` overrides. */
const PALETTES = {
  light: ['base/color/light/light.json5', 'base/color/light/display-light.json5'],
  dark: ['base/color/dark/dark.json5', 'base/color/dark/display-dark.json5'],
};

const LIGHT = 'base/color/light/';
const DARK = 'base/color/dark/';
/**
 * Primer's other published themes, as its build (scripts/themes.config.ts) assembles them: the CSS
 * file, the `org.primer.overrides` key it applies, and its base palette files in merge order.
 * @type {Record<string, [overridesMode: string, paletteFiles: string[]]>}
 */
export const PRIMER_THEMES = {
  'light-tritanopia': ['light-tritanopia', [`${LIGHT}light.json5`, `${LIGHT}display-light.json5`]],
  'light-colorblind': ['light-protanopia-deuteranopia', [`${LIGHT}light.json5`, `${LIGHT}display-light.json5`]],
  'light-high-contrast': ['light-high-contrast', [`${LIGHT}light.json5`, `${LIGHT}light.high-contrast.json5`, `${LIGHT}display-light.json5`]],
  'light-tritanopia-high-contrast': ['light-tritanopia-high-contrast', [`${LIGHT}light.json5`, `${LIGHT}light.high-contrast.json5`, `${LIGHT}display-light.json5`]],
  'light-colorblind-high-contrast': ['light-protanopia-deuteranopia-high-contrast', [`${LIGHT}light.json5`, `${LIGHT}light.high-contrast.json5`, `${LIGHT}display-light.json5`]],
  'dark-dimmed': ['dark-dimmed', [`${DARK}dark.json5`, `${DARK}dark.dimmed.json5`, `${DARK}display-dark.json5`]],
  'dark-dimmed-high-contrast': ['dark-dimmed-high-contrast', [`${DARK}dark.json5`, `${DARK}dark.high-contrast.json5`, `${DARK}dark.dimmed.json5`, `${DARK}display-dark.json5`]],
  'dark-high-contrast': ['dark-high-contrast', [`${DARK}dark.json5`, `${DARK}dark.high-contrast.json5`, `${DARK}display-dark.json5`]],
  'dark-tritanopia': ['dark-tritanopia', [`${DARK}dark.json5`, `${DARK}display-dark.json5`]],
  'dark-tritanopia-high-contrast': ['dark-tritanopia-high-contrast', [`${DARK}dark.json5`, `${DARK}dark.high-contrast.json5`, `${DARK}display-dark.json5`]],
  'dark-colorblind': ['dark-protanopia-deuteranopia', [`${DARK}dark.json5`, `${DARK}display-dark.json5`]],
  'dark-colorblind-high-contrast': ['dark-protanopia-deuteranopia-high-contrast', [`${DARK}dark.json5`, `${DARK}dark.high-contrast.json5`, `${DARK}display-dark.json5`]],
};

/** The PRIMER_THEMES row of `theme`; an unknown name is an error, not an undefined palette. */
function primerTheme(theme) {
  const row = PRIMER_THEMES[theme];
  if (!row) throw new Error(`no Primer theme named "${theme}": PRIMER_THEMES has ${Object.keys(PRIMER_THEMES).join(', ')}`);
  return row;
}

/** One of PRIMER_THEMES as a token tree: its palette files, then every shared file. */
export function primerThemeTree(theme) {
  const [, paletteFiles] = primerTheme(theme);
  const tree = {};
  for (const file of [...paletteFiles, ...sharedFiles()]) mergeInto(tree, read(file));
  return tree;
}

/** Every file under `directory`, depth first, in name order. */
export function walk(directory) {
  return readdirSync(directory)
    .sort()
    .flatMap((name) => (statSync(path.join(directory, name)).isDirectory() ? walk(path.join(directory, name)) : [path.join(directory, name)]));
}

/** Deep-merges token tree `source` into `target` (later files win), as Style Dictionary merges its sources. */
export function mergeInto(target, source) {
  for (const [key, value] of Object.entries(source)) {
    if (value && typeof value === 'object' && !Array.isArray(value) && target[key] && typeof target[key] === 'object') mergeInto(target[key], value);
    else target[key] = value;
  }
  return target;
}

const read = (file) => JSON5.parse(readFileSync(path.join(ROOT, file), 'utf8'));

/** Every token file except the base colour palettes (which depend on the mode). */
export function sharedFiles() {
  return walk(ROOT)
    .map((file) => path.relative(ROOT, file))
    .filter((file) => /\.json5?$/.test(file) && !file.startsWith('base/color/') && !NOT_TOKEN_FILES.includes(file));
}

export function allTokenFiles() {
  return [...PALETTES.light, ...PALETTES.dark, ...sharedFiles()];
}

export function primerTree(palette) {
  const tree = {};
  for (const file of [...PALETTES[palette], ...sharedFiles()]) mergeInto(tree, read(file));
  return tree;
}

/** The same two palettes as one DTCG resolver document: a light/dark modifier over the shared sets. */
export function primerResolverDocument() {
  const shared = {};
  for (const file of sharedFiles()) mergeInto(shared, read(file));
  const palette = (name) => PALETTES[name].reduce((tree, file) => mergeInto(tree, read(file)), {});
  return {
    name: 'primer',
    version: '2025.10',
    sets: { shared: { sources: [shared] } },
    modifiers: { mode: { default: 'light', contexts: { light: [palette('light')], dark: [palette('dark')] } } },
    resolutionOrder: [{ $ref: '#/modifiers/mode' }, { $ref: '#/sets/shared' }],
  };
}

/**
 * Several of Primer's themes as one DTCG resolver document: a modifier whose contexts are named
 * after the themes' override modes, each holding that theme's palette, over the shared sets.
 */
export function primerModesDocument(themes) {
  const shared = {};
  for (const file of sharedFiles()) mergeInto(shared, read(file));
  const contexts = {};
  for (const theme of themes) {
    const [mode, files] = PALETTES[theme] ? [theme, PALETTES[theme]] : primerTheme(theme);
    contexts[mode] = [files.reduce((tree, file) => mergeInto(tree, read(file)), {})];
  }
  return {
    name: 'primer',
    version: '2025.10',
    sets: { shared: { sources: [shared] } },
    modifiers: { theme: { default: 'light', contexts } },
    resolutionOrder: [{ $ref: '#/modifiers/theme' }, { $ref: '#/sets/shared' }],
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
