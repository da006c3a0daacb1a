import { createHash } from 'node:crypto';
import path from 'node:path';
import { CATALOG_VERSION, readComponentFiles, type Catalog, type CatalogEntry } from './catalog.js';

/** A catalog component as a flat bundle: what `generate_component` returns for Tier 1 and what the gate checks. */
export interface Tier1Bundle {
  name: string;
  tier: 'tier1';
  files: Array<{ path: string; contents: string }>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  exports: string[];
  catalogVersion: string;
  /** SHA-256 of the files (path and contents, in order): equal bundles have equal hashes. */
  hash: string;
}

/** Files of the bundle: everything in the component folder but its metadata, with bare names. */
export async function buildTier1Bundle(catalog: Catalog, entry: CatalogEntry, props?: Record<string, unknown>): Promise<Tier1Bundle> {
  const { meta } = entry;
  const files = (await readComponentFiles(catalog, entry))
    .filter((file) => path.posix.basename(file.path) !== 'meta.json')
    .map((file) => ({ path: path.posix.basename(file.path), contents: file.contents }));
  if (props && Object.keys(props).length) {
    const main = files.find((file) => file.path === `${meta.name}.tsx`);
    if (main) {
      // Babel loads only for a props transform.
      const { applyDefaultProps } = await import('./apply-default-props.js');
      main.contents = applyDefaultProps(main.contents, meta.name, props, meta);
    }
  }
  return {
    name: meta.name,
    tier: 'tier1',
    files,
    dependencies: { ...meta.dependencies },
    devDependencies: { ...(meta.devDependencies ?? {}) },
    exports: [meta.name, `${meta.name}Props`],
    catalogVersion: CATALOG_VERSION,
    hash: hashFiles(files),
  };
}

export function hashFiles(files: ReadonlyArray<{ path: string; contents: string }>): string {
  const hash = createHash('sha256');
  for (const file of files) hash.update(file.path).update('\0').update(file.contents).update('\0');
  return hash.digest('hex');
}
