// Build: `tsc` type-checks and emits the library modules to dist/; esbuild then bundles the
// bin into one start-up-friendly file (plus lazily loaded chunks), because plain ESM pays
// ~250 ms to resolve the MCP SDK's module graph at every start.
import { execFileSync } from 'node:child_process';
import { chmodSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

rmSync('dist', { recursive: true, force: true });
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], { stdio: 'inherit' });

await build({
  entryPoints: { dspec: 'src/bin/dspec.ts' },
  outdir: 'dist/bin',
  bundle: true,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: false,
  minify: false,
  legalComments: 'none',
  // Heavy and rarely needed: loaded from node_modules on demand, never bundled.
  external: ['typescript', 'eslint', 'eslint-plugin-*', 'stylelint', 'stylelint-*', '@babel/*', 'style-dictionary', 'postcss', '@anthropic-ai/sdk', 'openai'],
  banner: { js: "import { createRequire as __dspecCreateRequire } from 'node:module'; const require = __dspecCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
chmodSync('dist/bin/dspec.js', 0o755);
