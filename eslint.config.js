// Lint for the project's own code (`npm run lint`). The gate's linting of generated code is
// separate (src/validation/check-accessibility.ts) and never reads this file.
import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const root = import.meta.dirname;

/**
 * The layers of docs/architecture.md, as folders (or single files) under src/. Keep the two in
 * step: the doc says why, this table is what CI enforces.
 */
const LAYERS = {
  entry: ['src/index.ts', 'src/bin', 'src/cli', 'src/startup'],
  runtime: ['src/runtime'],
  server: ['src/server'],
  // Domain folders are listed one by one below: some may not import others.
  shared: ['src/shapes', 'src/errors.ts', 'src/version.ts'],
  infra: ['src/infra'],
};
const DOMAIN = ['theme', 'validation', 'catalog', 'screen', 'cache', 'cost', 'jobs', 'generation', 'preview', 'eval', 'dashboard'];
const BELOW_DOMAIN = ['shared', 'infra'];

/** What each part may import (besides itself). Anything under src/ that is not listed is refused. */
const MAY_IMPORT = {
  entry: ['runtime', 'server', ...DOMAIN, ...BELOW_DOMAIN],
  runtime: ['server', ...DOMAIN, ...BELOW_DOMAIN],
  server: [...DOMAIN, ...BELOW_DOMAIN],
  // Leaves: the theme is parsed and emitted from its input alone.
  theme: BELOW_DOMAIN,
  // The gate judges generated code, so it never depends on what produces it.
  validation: ['theme', ...BELOW_DOMAIN],
  catalog: ['theme', 'validation', ...BELOW_DOMAIN],
  screen: ['catalog', 'theme', 'validation', ...BELOW_DOMAIN],
  // Storage and accounting do not know their callers.
  cache: BELOW_DOMAIN,
  cost: BELOW_DOMAIN,
  // Job records keep tool results by handle; the handle is a content hash, as cache keys are.
  jobs: ['cache', ...BELOW_DOMAIN],
  generation: ['cache', 'catalog', 'cost', 'screen', 'theme', 'validation', ...BELOW_DOMAIN],
  preview: ['cache', 'catalog', 'generation', 'screen', 'theme', 'validation', ...BELOW_DOMAIN],
  eval: ['cache', 'catalog', 'cost', 'generation', 'screen', 'theme', 'validation', ...BELOW_DOMAIN],
  // Renders eval summaries and ledger totals; the CLI's eval command calls its run page renderer.
  dashboard: ['cache', 'cost', 'eval', ...BELOW_DOMAIN],
  shared: [],
  infra: ['shared'],
};

/** @param {string} part @returns {string[]} */
const pathsOf = (part) => /** @type {Record<string, string[]>} */ (LAYERS)[part] ?? [`src/${part}`];

// A folder the table does not place would be exempt from every boundary: refuse to lint until it is placed.
const placed = new Set(Object.keys(MAY_IMPORT).flatMap(pathsOf));
const unplaced = readdirSync(`${root}/src`)
  .map((name) => `src/${name}`)
  .filter((entry) => !placed.has(entry));
if (unplaced.length > 0) {
  throw new Error(`eslint.config.js: ${unplaced.join(', ')} belong to no layer; add them to LAYERS or DOMAIN (and to docs/architecture.md).`);
}

/** One no-restricted-paths zone per part: everything under src/ it may not import. */
const layerZones = Object.entries(MAY_IMPORT).flatMap(([part, allowed]) => {
  const permitted = new Set([part, ...allowed]);
  const refused = Object.keys(MAY_IMPORT).filter((other) => !permitted.has(other));
  if (refused.length === 0) return [];
  return [
    {
      target: pathsOf(part),
      from: refused.flatMap(pathsOf),
      message: `${part} may import only ${allowed.length > 0 ? allowed.join(', ') : 'nothing else under src/'} (docs/architecture.md, "What may import what").`,
    },
  ];
});

/**
 * Inside generation (docs/architecture.md): the back ends, the prompts and the claims know
 * nothing of the request pipeline that drives them, nor of each other; only pipeline/ puts them together.
 */
const generationZones = [
  {
    target: 'src/generation/providers',
    from: ['src/generation/pipeline', 'src/generation/prompts'],
    message: 'generation/providers/ may not import generation/pipeline/ or generation/prompts/ (docs/architecture.md).',
  },
  {
    target: 'src/generation/prompts',
    from: ['src/generation/pipeline', 'src/generation/providers'],
    message: 'generation/prompts/ may not import generation/pipeline/ or generation/providers/ (docs/architecture.md).',
  },
  {
    target: 'src/generation/claims',
    from: ['src/generation/pipeline', 'src/generation/providers', 'src/generation/prompts'],
    message: 'generation/claims/ may not import generation/pipeline/, generation/providers/ or generation/prompts/ (docs/architecture.md).',
  },
];

const TYPED = ['src/**/*.ts', 'src/**/*.tsx'];

export default defineConfig(
  {
    ignores: ['dist/', 'node_modules/', 'bench/results/', 'test/fixtures/', 'examples/', 'coverage/'],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  // Type-aware rules (floating promises, unsafe any, misused promises) for the shipped code only:
  // over the tests and benches too they would take lint from about a minute to four.
  ...tseslint.configs.recommendedTypeChecked.map((config) => ({ ...config, files: TYPED })),
  {
    files: TYPED,
    languageOptions: {
      parserOptions: {
        // Each file is checked with the tsconfig that owns it (tsconfig.json lists them all).
        projectService: true,
        tsconfigRootDir: root,
      },
    },
  },
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.node },
    },
    plugins: { 'import-x': importX },
    settings: {
      // The built bundles (some tests import them) are megabytes of vendored code: never parse them for cycles.
      'import-x/ignore': ['[\\\\/]dist[\\\\/]'],
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: `${root}/tsconfig.json` })],
    },
    rules: {
      // A cycle makes start-up order matter and hides which module owns what.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      // An unused variable named with a leading underscore is a deliberate placeholder.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'import-x/no-restricted-paths': ['error', { basePath: root, zones: [...layerZones, ...generationZones] }],
    },
  },
  {
    files: ['src/preview/browser/**', 'ui-reference/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
