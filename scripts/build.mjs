// Build: `tsc` type-checks and emits the library modules to dist/; esbuild then bundles the
// bin into one start-up-friendly file (plus lazily loaded chunks), because plain ESM pays
// ~250 ms to resolve the MCP SDK's module graph at every start.
import { execFileSync } from 'node:child_process';
import { chmodSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

rmSync('dist', { recursive: true, force: true });
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], { stdio: 'inherit' });

/**
 * The SDK's server statically imports ajv (to validate elicitation answers, which dspec never
 * requests) and zod-to-json-schema (for zod 3 schemas; ours are zod 4). Together they are most
 * of the start-up parse cost, so the bundle swaps them for stand-ins that load them on first use.
 */
const loadOnFirstUse = {
  name: 'load-on-first-use',
  setup(builder) {
    builder.onLoad({ filter: /@modelcontextprotocol[\\/]sdk[\\/]dist[\\/]esm[\\/]validation[\\/]ajv-provider\.js$/ }, () => ({
      loader: 'js',
      contents: `
        import { createRequire } from 'node:module';
        const load = createRequire(import.meta.url);
        export class AjvJsonSchemaValidator {
          constructor(ajv) { this._ajv = ajv; this._inner = undefined; }
          getValidator(schema) {
            if (!this._inner) {
              const Ajv = load('ajv'); const addFormats = load('ajv-formats');
              const ajv = this._ajv ?? new (Ajv.default ?? Ajv)({ strict: false, validateFormats: true, validateSchema: false, allErrors: true });
              if (!this._ajv) (addFormats.default ?? addFormats)(ajv);
              this._inner = ajv;
            }
            const validate = this._inner.compile(schema);
            return (input) => validate(input)
              ? { valid: true, data: input, errorMessage: undefined }
              : { valid: false, data: undefined, errorMessage: this._inner.errorsText(validate.errors) };
          }
        }`,
    }));
    builder.onResolve({ filter: /^zod-to-json-schema$/ }, () => ({ path: 'zod-to-json-schema-on-first-use', namespace: 'load-on-first-use' }));
    builder.onLoad({ filter: /.*/, namespace: 'load-on-first-use' }, () => ({
      loader: 'js',
      contents: `import { createRequire } from 'node:module'; const load = createRequire(import.meta.url);\n        export function zodToJsonSchema(...args) { return load('zod-to-json-schema').zodToJsonSchema(...args); }`,
    }));
  },
};

await build({
  plugins: [loadOnFirstUse],
  entryPoints: { dspec: 'src/bin/dspec.ts' },
  outdir: 'dist/bin',
  bundle: true,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: false,
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  // Heavy and rarely needed: loaded from node_modules on demand, never bundled.
  external: ['typescript', 'esbuild', 'playwright-core', 'css-tree', 'eslint-visitor-keys', 'eslint', 'eslint-plugin-*', 'stylelint', 'stylelint-*', '@babel/*', 'style-dictionary', 'postcss', '@anthropic-ai/sdk', 'openai'],
  banner: { js: "import { createRequire as __dspecCreateRequire } from 'node:module'; const require = __dspecCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
chmodSync('dist/bin/dspec.js', 0o755);
