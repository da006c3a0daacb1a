import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DspecError, ErrorCode, InputError, issuesFromZod } from '../errors.js';
import { COMPONENT_NAME_PATTERN, ComponentMetaSchema, type ComponentMeta } from './component-meta.js';
import { editDistance } from '../infra/edit-distance.js';

/**
 * The Tier 1 catalog: an index over `ui-reference/<Name>/`, read once. Lookups go through
 * the index only: a requested name is matched against known names and aliases and never
 * joined into a path, so no input can reach a file outside the catalog.
 */

/** Bumped whenever a component's files or metadata change in a way callers can see. */
export const CATALOG_VERSION = '1.0.0';

/** The number of vetted components the catalog ships. */
export const TIER1_COMPONENT_COUNT = 20;

export interface CatalogEntry {
  meta: ComponentMeta;
  /** Folder of the component, absolute. */
  directory: string;
  /** Files of the component, relative to `ui-reference/` with forward slashes (`Button/Button.tsx`), sorted. */
  files: string[];
}

export interface Catalog {
  version: string;
  /** Absolute path of `ui-reference/`. */
  root: string;
  /** By canonical name (`Button`). */
  components: ReadonlyMap<string, CatalogEntry>;
  /** Lower-cased names and aliases → canonical name. */
  lookup: ReadonlyMap<string, string>;
}

export interface BundleFile {
  path: string;
  contents: string;
}

/**
 * Finds the package root from this module's location: `src/catalog/catalog.ts` and
 * `dist/catalog/catalog.js` sit two levels down, the bundled bin's chunks three, so walk up
 * to the first folder that holds both `package.json` and `ui-reference/`.
 */
function defaultCatalogRoot(): string {
  let directory = path.dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth += 1) {
    const candidate = path.join(directory, 'ui-reference');
    if (existsSync(path.join(directory, 'package.json')) && existsSync(candidate)) return candidate;
    const parent = path.dirname(directory);
    if (parent === directory) break;
    directory = parent;
  }
  throw new DspecError(ErrorCode.Internal, 'The ui-reference/ folder of the component catalog was not found next to the dspec package.', {
    suggestion: 'Reinstall dspec: the published package ships ui-reference/.',
  });
}

const loaded = new Map<string, Promise<Catalog>>();

/** Loads and validates the catalog under `rootDir` (default: the package's `ui-reference/`); cached per root. */
export function loadCatalog(rootDir?: string): Promise<Catalog> {
  const root = path.resolve(rootDir ?? defaultCatalogRoot());
  let pending = loaded.get(root);
  if (!pending) {
    pending = readCatalog(root);
    loaded.set(root, pending);
    // A failed load is not cached: the next call reads again.
    pending.catch(() => loaded.delete(root));
  }
  return pending;
}

async function readCatalog(root: string): Promise<Catalog> {
  const folders = (await readdir(root, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory() && /^[A-Z]/.test(entry.name))
    .map((entry) => entry.name)
    .sort();
  const components = new Map<string, CatalogEntry>();
  const lookup = new Map<string, string>();
  for (const folder of folders) {
    const directory = path.join(root, folder);
    const metaPath = path.join(directory, 'meta.json');
    let raw: unknown;
    try {
      raw = JSON.parse(await readFile(metaPath, 'utf8'));
    } catch (cause) {
      throw new DspecError(ErrorCode.Internal, `Catalog component ${folder}: meta.json is missing or not JSON.`, { cause });
    }
    const parsed = ComponentMetaSchema.safeParse(raw);
    if (!parsed.success) {
      const issues = issuesFromZod(parsed.error.issues);
      const first = issues[0];
      throw new DspecError(ErrorCode.Internal, `Catalog component ${folder}: meta.json does not match the metadata schema${first ? ` (${first.path}: ${first.message})` : ''}.`, { issues });
    }
    const meta = parsed.data;
    if (meta.name !== folder) {
      throw new DspecError(ErrorCode.Internal, `Catalog folder ${folder} holds the metadata of "${meta.name}": the names must match.`);
    }
    for (const name of [meta.name, ...meta.aliases]) {
      const key = name.toLowerCase();
      const owner = lookup.get(key);
      if (owner) throw new DspecError(ErrorCode.NameCollision, `Catalog name "${name}" is claimed by both ${owner} and ${meta.name}.`);
      lookup.set(key, meta.name);
    }
    const files = (await readdir(directory, { withFileTypes: true }))
      .filter((entry) => entry.isFile())
      .map((entry) => `${folder}/${entry.name}`)
      .sort();
    components.set(meta.name, { meta, directory, files });
  }
  return { version: CATALOG_VERSION, root, components, lookup };
}

/** Throws an InputError unless `name` has the only shape a component name can have. */
export function assertComponentName(name: string): void {
  if (typeof name !== 'string' || !COMPONENT_NAME_PATTERN.test(name)) {
    throw new InputError(`"${String(name).slice(0, 80)}" is not a component name.`, {
      suggestion: 'Use a name such as "Button" or "Dialog": a letter, then up to 63 letters, digits or hyphens.',
    });
  }
}

/**
 * The entry whose name or alias matches `name`, case-insensitively (`dialog` → Modal);
 * `undefined` when none does. Names of any other shape are refused with an InputError.
 */
export function findComponent(catalog: Catalog, name: string): CatalogEntry | undefined {
  assertComponentName(name);
  const canonical = catalog.lookup.get(name.toLowerCase());
  return canonical === undefined ? undefined : catalog.components.get(canonical);
}

/** Like `findComponent`, but a miss is a NOT_FOUND error that suggests the closest names. */
export function requireComponent(catalog: Catalog, name: string): CatalogEntry {
  const entry = findComponent(catalog, name);
  if (entry) return entry;
  const suggestions = closestNames(catalog, name, 3);
  throw new DspecError(ErrorCode.NotFound, `"${name}" is not a Tier 1 component.`, {
    suggestion: suggestions.length ? `Did you mean ${suggestions.map((suggestion) => `"${suggestion}"`).join(', ')}? Otherwise it can be generated.` : 'It can be generated instead.',
    context: { suggestions },
  });
}

/**
 * Up to `limit` canonical component names closest to `name` by edit distance over names and
 * aliases (`Buton` → Button, `Dialgo` → Modal). Only reasonably close names are offered.
 */
export function closestNames(catalog: Catalog, name: string, limit = 3): string[] {
  const query = String(name).slice(0, 64);
  const best = new Map<string, number>();
  for (const [alias, canonical] of catalog.lookup) {
    const distance = editDistance(query.toLowerCase(), alias.toLowerCase()); // case-insensitive
    if (distance <= Math.max(2, Math.floor(alias.length / 3)) && distance < (best.get(canonical) ?? Infinity)) {
      best.set(canonical, distance);
    }
  }
  return [...best.entries()]
    .sort(([nameA, a], [nameB, b]) => a - b || nameA.localeCompare(nameB))
    .slice(0, limit)
    .map(([canonical]) => canonical);
}

/** The contents of an entry's files, by their catalog-relative paths (the files of a Tier 1 bundle). */
export async function readComponentFiles(catalog: Catalog, entry: CatalogEntry): Promise<BundleFile[]> {
  return Promise.all(entry.files.map(async (file) => ({ path: file, contents: await readFile(path.join(catalog.root, file), 'utf8') })));
}
