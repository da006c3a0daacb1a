import { canonicalJson, sha256Hex } from '../../cache/canonical-json.js';
import { loadCatalog, readComponentFiles, CATALOG_VERSION } from '../../catalog/catalog.js';
import { ALLOWED_FILE_EXTENSIONS, BUNDLE_LIMITS } from '../../shapes/bundle.js';
import { CSS_COLOUR_FUNCTIONS, CSS_NAMED_COLOURS } from '../../validation/css-named-colours.js';
import { VALIDATION_LAYERS } from '../../shapes/finding.js';
import { ALLOWED_PACKAGES, PEER_PACKAGES, TEST_ONLY_PACKAGES } from '../../validation/import-allowlist.js';
import { MAX_FINDINGS, VALIDATOR_VERSION } from '../../validation/validate-bundle.js';

/**
 * What the gate's verdict depends on, so a cache key changes whenever what passes could:
 *
 * - the rules: the data the layers judge by (allowlists, limits, colour names and functions,
 *   layer order) and `VALIDATOR_VERSION`, which still marks changes of rule *logic*;
 * - the tools, at the versions installed: TypeScript (and the React types it checks against),
 *   ESLint with its plugins, Stylelint with its plugin, PostCSS, css-tree and Babel;
 * - the catalog: the contents of every Tier 1 component file.
 *
 * Versions come from each package's own `package.json`, imported as JSON modules: a bundler
 * (esbuild) inlines them at build time with the code it inlines, and unbundled Node reads the
 * very package it runs, so the fingerprint always describes the code that actually runs. One
 * package (`stylelint-declaration-strict-value`) does not export its `package.json`; it is
 * fingerprinted by the source text of the rule the linter calls instead.
 */
export interface GateFingerprintParts {
  rules: Record<string, unknown>;
  tools: Record<string, string>;
  catalog: string;
}

let memo: Promise<{ fingerprint: string; parts: GateFingerprintParts }> | undefined;

/** The gate fingerprint of this process (computed once): SHA-256 hex of the parts below. */
export async function gateFingerprint(): Promise<string> {
  return (await gateFingerprintDetails()).fingerprint;
}

export function gateFingerprintDetails(): Promise<{ fingerprint: string; parts: GateFingerprintParts }> {
  memo ??= computeFingerprint();
  memo.catch(() => {
    memo = undefined;
  });
  return memo;
}

async function computeFingerprint(): Promise<{ fingerprint: string; parts: GateFingerprintParts }> {
  const [tools, catalog] = await Promise.all([toolVersions(), catalogHash()]);
  const parts: GateFingerprintParts = { rules: ruleConfiguration(), tools, catalog };
  return { fingerprint: sha256Hex(canonicalJson({ kind: 'dspec/gate-fingerprint', ...parts })), parts };
}

function ruleConfiguration(): Record<string, unknown> {
  return {
    validatorVersion: VALIDATOR_VERSION,
    layers: [...VALIDATION_LAYERS],
    maxFindings: MAX_FINDINGS,
    bundleLimits: BUNDLE_LIMITS,
    fileExtensions: [...ALLOWED_FILE_EXTENSIONS],
    allowedPackages: [...ALLOWED_PACKAGES].sort(),
    peerPackages: [...PEER_PACKAGES].sort(),
    testOnlyPackages: [...TEST_ONLY_PACKAGES].sort(),
    namedColours: [...CSS_NAMED_COLOURS].sort(),
    colourFunctions: [...CSS_COLOUR_FUNCTIONS].sort(),
  };
}

async function toolVersions(): Promise<Record<string, string>> {
  const [typescript, typesReact, eslint, jsxA11y, reactHooks, visitorKeys, stylelint, postcss, cssTree, babelParser, babelTraverse, babelTypes, strictValue] = await Promise.all([
    import('typescript/package.json', { with: { type: 'json' } }),
    // TypeScript refuses a path into an `@types` package even for its JSON; Node and esbuild do not.
    // @ts-expect-error TS6137: the version of the React types the type layer checks against is wanted here.
    import('@types/react/package.json', { with: { type: 'json' } }) as Promise<{ default: { version: string } }>,
    import('eslint/package.json', { with: { type: 'json' } }),
    import('eslint-plugin-jsx-a11y/package.json', { with: { type: 'json' } }),
    import('eslint-plugin-react-hooks/package.json', { with: { type: 'json' } }),
    import('eslint-visitor-keys/package.json', { with: { type: 'json' } }),
    import('stylelint/package.json', { with: { type: 'json' } }),
    import('postcss/package.json', { with: { type: 'json' } }),
    import('css-tree/package.json', { with: { type: 'json' } }),
    import('@babel/parser/package.json', { with: { type: 'json' } }),
    import('@babel/traverse/package.json', { with: { type: 'json' } }),
    import('@babel/types/package.json', { with: { type: 'json' } }),
    import('stylelint-declaration-strict-value'),
  ]);
  return {
    typescript: typescript.default.version,
    '@types/react': typesReact.default.version,
    eslint: eslint.default.version,
    'eslint-plugin-jsx-a11y': jsxA11y.default.version,
    'eslint-plugin-react-hooks': reactHooks.default.version,
    'eslint-visitor-keys': visitorKeys.default.version,
    stylelint: stylelint.default.version,
    postcss: postcss.default.version,
    'css-tree': cssTree.default.version,
    '@babel/parser': babelParser.default.version,
    '@babel/traverse': babelTraverse.default.version,
    '@babel/types': babelTypes.default.version,
    'stylelint-declaration-strict-value': `rule-sha256:${sha256Hex(String(strictValue.rule))}`,
  };
}

/** Every file of every Tier 1 component, by path, hashed: a catalog edit changes the fingerprint without a version bump. */
async function catalogHash(): Promise<string> {
  const catalog = await loadCatalog();
  const files: Array<[string, string]> = [];
  for (const entry of [...catalog.components.values()].sort((a, b) => a.meta.name.localeCompare(b.meta.name))) {
    for (const file of await readComponentFiles(catalog, entry)) files.push([file.path, sha256Hex(file.contents)]);
  }
  return sha256Hex(canonicalJson({ version: CATALOG_VERSION, files }));
}
