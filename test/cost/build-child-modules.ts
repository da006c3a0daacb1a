import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';

/**
 * Bundles the real cost and cache modules (from src/, with their dependencies) into one ESM file that
 * child `node` processes can import: the children then run exactly the code under test.
 */
export async function buildCostModules(): Promise<{ dir: string; module: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'dspec-cost-children-'));
  const entry = path.join(dir, 'entry.ts');
  const src = path.resolve('src/cost');
  writeFileSync(
    entry,
    [
      `export { Ledger } from ${JSON.stringify(path.join(src, 'ledger.ts'))};`,
      `export { createCostTracker } from ${JSON.stringify(path.join(src, 'create-cost-tracker.ts'))};`,
      `export { createPriceTable } from ${JSON.stringify(path.join(src, 'price-table.ts'))};`,
      `export { withFileLock } from ${JSON.stringify(path.join(src, 'file-lock.ts'))};`,
      `export { FileCache } from ${JSON.stringify(path.resolve('src/cache/file-cache.ts'))};`,
      `export { makeEntry } from ${JSON.stringify(path.resolve('test/cache/entry-fixture.ts'))};`,
    ].join('\n'),
  );
  const module = path.join(dir, 'cost.mjs');
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: module,
    logLevel: 'warning',
    // CommonJS dependencies (proper-lockfile) require Node built-ins, which an ESM bundle has no `require` for.
    banner: { js: "import { createRequire as __childCreateRequire } from 'node:module'; const require = __childCreateRequire(import.meta.url);" },
  });
  return { dir, module };
}

export function writeChildScript(dir: string, name: string, source: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, source);
  return file;
}
