// `npm run bench real-world`: public design systems' own token sources, converted by dspec with
// default options, compared variable by variable with the CSS each design system publishes on npm
// (names normalised, var() chains resolved on both sides, colours compared as colours).
// Writes docs/real-world-tokens.md.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { compareVariables, parseDeclarations } from './css-compare.mjs';
import { PRIMER_THEMES, allTokenFiles, countTokens, mergeInto, primerThemeTree, primerTree, walk } from './primer-tokens.mjs';
import { printTable, round } from './stats.mjs';

const PRIMER_CSS = 'node_modules/@primer/primitives/dist/css';
const AURO = 'node_modules/@aurodesignsystem/design-tokens';
const UTRECHT = 'node_modules/@utrecht/design-tokens';
const RIJKSHUISSTIJL = 'node_modules/@rijkshuisstijl-community/design-tokens';
const AVAILITY = 'node_modules/@availity/design-tokens';

/** Primer's size, motion and typography CSS: its theme files refer to these with var(). */
function primerContext() {
  const map = new Map();
  for (const directory of ['base/motion', 'base/size', 'base/typography', 'functional/motion', 'functional/size', 'functional/spacing', 'functional/typography']) {
    for (const file of walk(path.join(PRIMER_CSS, directory))) for (const [name, value] of parseDeclarations(readFileSync(file, 'utf8'))) map.set(name, value);
  }
  return map;
}

/**
 * One design system's token source and the CSS it publishes; sets differ in which optional fields they carry.
 * @typedef {object} RealWorldSet
 * @property {string} set
 * @property {string} source
 * @property {() => unknown} input
 * @property {Record<string, unknown>} options
 * @property {() => Map<string, string>} published
 * @property {Map<string, string>} [context] variables the published CSS refers to with var() but declares in other files
 * @property {string} [publishedPrefix]
 * @property {string[]} [refusedExpected] token paths dspec is expected to refuse (docs/real-world-tokens.md explains each)
 */

/** @returns {RealWorldSet[]} */
export function realWorldSets() {
  const context = primerContext();
  const auroFiles = walk(path.join(AURO, 'src/themes/auro-classic'));
  // Utrecht's style-dictionary-build.mjs reads src/{brand,common,component}/**/*.tokens.json (src/dark is its dark build).
  const utrechtFiles = ['brand', 'common', 'component'].flatMap((group) => walk(path.join(UTRECHT, 'src', group))).filter((file) => file.endsWith('.tokens.json'));
  const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));
  return [
    {
      set: 'GitHub Primer, light (`@primer/primitives`, DTCG)',
      source: `all ${allTokenFiles().length - 2} token files of src/tokens (light palette)`,
      input: () => primerTree('light'),
      options: { mode: 'light' },
      published: () => parseDeclarations(readFileSync(path.join(PRIMER_CSS, 'functional/themes/light.css'), 'utf8')),
      context,
    },
    {
      set: 'GitHub Primer, dark (`@primer/primitives`, DTCG + `org.primer.overrides`)',
      source: `all ${allTokenFiles().length - 2} token files of src/tokens (dark palette), mode "dark"`,
      input: () => primerTree('dark'),
      options: { mode: 'dark' },
      published: () => parseDeclarations(readFileSync(path.join(PRIMER_CSS, 'functional/themes/dark.css'), 'utf8')),
      context,
    },
    // Primer's other published themes: each its palette files plus the overrides of its mode.
    ...Object.entries(PRIMER_THEMES).map(([theme, [mode, palette]]) => ({
      set: `GitHub Primer, ${theme} (\`@primer/primitives\`, DTCG + \`org.primer.overrides\`)`,
      source: `all ${allTokenFiles().length - 2} token files of src/tokens with the ${palette.map((file) => path.basename(file, '.json5')).join(' + ')} palette, mode "${mode}"`,
      input: () => primerThemeTree(theme),
      options: { mode },
      published: () => parseDeclarations(readFileSync(path.join(PRIMER_CSS, `functional/themes/${theme}.css`), 'utf8')),
      context,
    })),
    {
      set: 'Alaska Airlines Auro classic (`@aurodesignsystem/design-tokens`, Style Dictionary 3)',
      source: `all ${auroFiles.length} files of src/themes/auro-classic`,
      input: () => auroFiles.reduce((tree, file) => mergeInto(tree, JSON.parse(readFileSync(file, 'utf8'))), {}),
      options: {},
      published: () => parseDeclarations(readFileSync(path.join(AURO, 'dist/legacy/auro-classic/CSSCustomProperties.css'), 'utf8')),
      publishedPrefix: 'ds',
      refusedExpected: ['comments.color.base', 'comments.color.brand'],
    },
    {
      set: 'Gemeente Utrecht (`@utrecht/design-tokens`, Style Dictionary)',
      source: `all ${utrechtFiles.length} token files of src/brand, src/common, src/component`,
      input: () => utrechtFiles.reduce((tree, file) => mergeInto(tree, readJson(file)), {}),
      options: {},
      published: () => parseDeclarations(readFileSync(path.join(UTRECHT, 'dist/variables.css'), 'utf8')),
    },
    {
      set: 'NL Rijkshuisstijl Community (`@rijkshuisstijl-community/design-tokens`, Tokens Studio W3C export)',
      source: 'figma/figma.tokens.json (all sets, `$themes`), mode "Kern - Lintblauw" (the theme its build publishes as dist/root.css)',
      input: () => readJson(path.join(RIJKSHUISSTIJL, 'figma/figma.tokens.json')),
      options: { mode: 'Kern - Lintblauw' },
      refusedExpected: ['utrecht.listbox.font-weight', 'rhc.sidenav.link.focus.background-color'],
      published: () => parseDeclarations(readFileSync(path.join(RIJKSHUISSTIJL, 'dist/root.css'), 'utf8')),
    },
    {
      set: 'NL Rijkshuisstijl Community, generated (`@rijkshuisstijl-community/design-tokens`, Tokens Studio sets without `$metadata`)',
      source: 'src/generated/kern-lintblauw/tokens.json (78 sets, no `$metadata`/`$themes`; the package builds dist/kern-lintblauw from it)',
      input: () => readJson(path.join(RIJKSHUISSTIJL, 'src/generated/kern-lintblauw/tokens.json')),
      options: {},
      refusedExpected: ['utrecht.listbox.font-weight', 'rhc.sidenav.link.focus.background-color'],
      published: () => parseDeclarations(readFileSync(path.join(RIJKSHUISSTIJL, 'dist/kern-lintblauw/root.css'), 'utf8')),
    },
    {
      set: 'Availity Element (`@availity/design-tokens`, Tokens Studio legacy export)',
      source: 'src/tokens.json (Tokens Studio export; the package builds dist/css/variables.css from it)',
      input: () => readJson(path.join(AVAILITY, 'src/tokens.json')),
      options: {},
      published: () => parseDeclarations(readFileSync(path.join(AVAILITY, 'dist/css/variables.css'), 'utf8')),
    },
  ];
}

/** Why the remaining differences differ, by set; checked against the sources by hand. */
const EXPLANATIONS = {
  'GitHub Primer, dark (`@primer/primitives`, DTCG + `org.primer.overrides`)':
    "`overlay.borderColor`: its `dark` override is `{ $value: \"{borderColor.muted}\", alpha: 1 }`. dspec applies alpha 1 to borderColor.muted's colour (opaque #3d444d); Primer publishes borderColor.muted's own alpha 0.7 (#3d444db3). Elsewhere Primer's alpha replaces the referenced colour's (light overlay.borderColor: 0.5 over 0.7 is published as 0.5, as dspec does), so its build appears to skip an alpha of exactly 1.",
  ...Object.fromEntries(
    ['dark-tritanopia', 'dark-colorblind'].map((theme) => [
      `GitHub Primer, ${theme} (\`@primer/primitives\`, DTCG + \`org.primer.overrides\`)`,
      `As dark: \`overlay.borderColor\` (no ${theme} override, so the dark one applies, with alpha 1).`,
    ]),
  ),
  'Alaska Airlines Auro classic (`@aurodesignsystem/design-tokens`, Style Dictionary 3)':
    '`color.base.green.200` is `#d4cece4` in the source (seven hex digits, not a colour): dspec emits it as written under its vendor type "semantic", Auro\'s build prints #000000. `color.background.gradient.default` embeds references to colours with alpha: the referenced source values are 8-digit hex written without "#" (`"white-opacity-0": "ffffff00"`), which dspec emits as written; Auro\'s own build turns them into rgba(). The two refused tokens, `comments.color.base` and `.brand`, hold an object of comments (`{ comment, type, deprecated }`) as their value, not a CSS value; Auro publishes no variable for them.',
  'NL Rijkshuisstijl Community (`@rijkshuisstijl-community/design-tokens`, Tokens Studio W3C export)':
    'The two refused tokens are the two published variables not covered, both unusable as typed (test/theme/tokens-studio.test.ts shows each refused): `utrecht.listbox.font-weight` is `$type: "dimension"` but refers to a font weight (`{rhc.text.font-weight.regular}`, 400), a type mismatch; `rhc.sidenav.link.focus.background-color` is `$type: "color"` with the value `none`, which is not a CSS colour. Style Dictionary copies both as written. Every other variable agrees.',
  'NL Rijkshuisstijl Community, generated (`@rijkshuisstijl-community/design-tokens`, Tokens Studio sets without `$metadata`)':
    "The same 78 sets as the figma export, as its token-transformer step writes them for one theme: no `$metadata` or `$themes`, set names (`brand/color`) as top-level keys, references across sets without the set name. dspec recognises the shape (most top-level keys are set paths, and references resolve only once the sets are merged) and merges the sets in file order, as Tokens Studio does; before, it read the file as DTCG and refused 1,097 of 1,412 tokens as broken references and put the set names in the other variables' names. The two refused tokens are the figma export's two (a dimension referring to a font weight, the colour `none`), and they are the two published variables not covered.",
  'Availity Element (`@availity/design-tokens`, Tokens Studio legacy export)':
    "`--token-set-order-0: core` is not a token: the package's build (token-transformer, then Style Dictionary 3) turns Tokens Studio's `$metadata.tokenSetOrder` into a variable; dspec reads it as metadata. Every other published variable agrees, including the typography parts (`-paragraph-spacing`, `-text-case`, `-text-decoration`).",
};

export async function runRealWorldBench() {
  const { convertTheme } = await import(path.resolve('dist/theme/generate-theme-css.js'));
  const { ThemeCssOptionsSchema } = await import(path.resolve('dist/theme/schemas.js'));
  const rows = [];
  for (const entry of realWorldSets()) {
    const input = entry.input();
    const result = convertTheme(input, ThemeCssOptionsSchema.parse({ componentDefaults: false, ...entry.options }));
    const published = entry.published();
    const comparison = compareVariables(result.variables, published, entry.context ? new Map([...entry.context, ...published]) : published, { publishedPrefix: entry.publishedPrefix });
    rows.push({
      set: entry.set,
      source: entry.source,
      tokens: result.tokenCount,
      refused: result.errorCount,
      published: comparison.published,
      coverage: round(comparison.coverage * 100, 1),
      agreement: round(comparison.agreement * 100, 1),
      differences: comparison.differences.slice(0, 10),
      missing: comparison.missing.slice(0, 10),
      refusedExamples: result.errors.slice(0, 5),
      refusedUnexpected: result.errors.map((error) => error.path).filter((key) => !(entry.refusedExpected ?? []).includes(key)),
      explanation: EXPLANATIONS[entry.set] ?? (comparison.differences.length || comparison.missing.length ? 'not yet explained' : 'no difference'),
      countedTokens: countTokens(input),
    });
  }
  printTable(
    'Real-world token sets: dspec (defaults) vs the CSS each design system publishes',
    rows.map((row) => ({ set: row.set.split(' (')[0], tokens: row.tokens, refused: row.refused, published: row.published, 'coverage %': row.coverage, 'agreement %': row.agreement })),
  );
  writeFileSync('docs/real-world-tokens.md', renderDoc(rows));
  return { sets: rows, pass: rows.every((row) => row.coverage >= 97 && row.agreement >= 97 && row.refusedUnexpected.length === 0) };
}

function renderDoc(rows) {
  const lines = [
    '# Real-world token sets',
    '',
    'Produced by `npm run bench real-world` (bench/real-world-bench.mjs); do not edit by hand. Each set is the design',
    "system's own token sources from npm, converted by dspec with default options (`mode` only where the package publishes",
    "one theme of several: Primer's `org.primer.overrides` mode, a Tokens Studio `$themes` entry), and compared with the CSS",
    'the design system publishes in the same package: names normalised (case and separators, a platform prefix such as',
    '`--ds-`), `var()` chains resolved on both sides, colours compared as colours (culori, within one 8-bit step), `0` = `0px`.',
    'Coverage: published variables dspec emits.',
    'Agreement: published variables whose value dspec matches. "Refused" counts tokens dspec left out, each listed with its path.',
    '',
    '| Set | Sources | Tokens | Refused | Published variables | Coverage | Agreement | What differs and why |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows.map((row) => `| ${row.set} | ${row.source} | ${row.tokens} | ${row.refused} | ${row.published} | ${row.coverage} % | ${row.agreement} % | ${row.explanation.replaceAll('|', '\\|')} |`),
    '',
    'Refused tokens:',
    '',
    ...rows.flatMap((row) =>
      row.refused ? [`- ${row.set}: ${row.refused} — ${row.refusedExamples.map((e) => `\`${e.path}\` (${e.message})`).join('; ')}${row.refused > row.refusedExamples.length ? '; …' : ''}`] : [],
    ),
    '',
  ];
  return `${lines.join('\n')}\n`;
}
